package dev.idspam.pipeline.methods;

import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.graphs.methods.smop.SmopRouter;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SMoP's routing on the tiny BERT, against the equations computed in plain Java: the eval graph
 * prepends exactly p_k*·P_k* for k* = argmax of the clean router logits; in training the router and
 * the chosen prompts get a gradient and a prompt no row chose gets none; the noise is in the training
 * graph only.
 */
class SmopTest {
    private static final long SEED = 5;
    private static final int K = 4;
    private static final int T = 2;
    private static final BackboneWeights BACKBONE = TinyBert.random(3);
    private static final int[] LENGTHS = {8, 6, 3, 8, 5, 2, 7, 4};
    private static final long[] LABELS = {0, 1, 1, 0, 1, 0, 1, 0};
    /** The router bias of the prompt no row may choose. */
    private static final int NEVER = 3;

    private static MethodSpec smop(double noise) {
        return MethodSpec.of("smop", Map.of("smop-prompts", K, "smop-prompt-tokens", T, "smop-router-noise", noise));
    }

    /** Router weights large enough that rows choose different prompts; prompt NEVER gets a bias of −100. */
    private static Map<String, TensorData> router(Checkpoint initial) {
        SplittableRandom r = new SplittableRandom(17);
        int n = TinyBert.HIDDEN;
        float[] w = new float[n * K];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (3 * TinyBert.gaussian(r));
        }
        float[] b = new float[K];
        b[NEVER] = -100f;
        Map<String, TensorData> out = new LinkedHashMap<>();
        out.put(SmopRouter.ROUTER_W, TensorData.ofFloats(new long[] {n, K}, w));
        out.put(SmopRouter.ROUTER_B, TensorData.ofFloats(new long[] {K}, b));
        out.put(SmopRouter.PROMPTS, initial.parameter(SmopRouter.PROMPTS));
        return out;
    }

    /** Per row: k* = argmax z and p_k* = softmax(z)_k*, with z = mean(E[real tokens])·W + b in double precision. */
    private record Choice(int k, double p) { }

    private static Choice[] route(Batch batch, Map<String, TensorData> router) {
        int n = TinyBert.HIDDEN;
        float[] word = BACKBONE.get(TensorNames.WORD).toFloats();
        float[] w = router.get(SmopRouter.ROUTER_W).toFloats();
        float[] bias = router.get(SmopRouter.ROUTER_B).toFloats();
        HostTensor.Longs ids = (HostTensor.Longs) batch.get(TaskModel.INPUT_IDS);
        HostTensor.Longs mask = (HostTensor.Longs) batch.get(TaskModel.ATTENTION_MASK);
        int rows = (int) ids.shape()[0];
        int len = (int) ids.shape()[1];
        Choice[] out = new Choice[rows];
        for (int r = 0; r < rows; r++) {
            double[] mean = new double[n];
            int count = 0;
            for (int j = 0; j < len; j++) {
                if (mask.data()[r * len + j] == 1) {
                    count++;
                    int id = (int) ids.data()[r * len + j];
                    for (int d = 0; d < n; d++) {
                        mean[d] += word[id * n + d];
                    }
                }
            }
            double[] z = new double[K];
            int best = 0;
            for (int k = 0; k < K; k++) {
                z[k] = bias[k];
                for (int d = 0; d < n; d++) {
                    z[k] += mean[d] / count * w[d * K + k];
                }
                best = z[k] > z[best] ? k : best;
            }
            double sum = 0;
            for (int k = 0; k < K; k++) {
                sum += Math.exp(z[k] - z[best]);
            }
            out[r] = new Choice(best, 1 / sum);
        }
        return out;
    }

    @Test
    void evalPrependsTheTopOnePromptScaledByItsProbability(@TempDir Path dir) throws IOException {
        TaskModel model = new TaskModel(BACKBONE, smop(1.0).create(), HeadConfig.classification(2), SEED);
        Artifacts a = ArtifactWriter.forModel(model).build().write(dir.resolve("smop"));
        Checkpoint initial = Checkpoint.read(a.checkpoint());
        Map<String, TensorData> router = router(initial);
        Path ckpt = MethodContractTest.writeReplacing(initial, router, dir.resolve("routed.ckpt"));
        Batch batch = MethodContractTest.withTrailingPadding(MethodContractTest.batch(LENGTHS, LABELS, 31), 1);
        Choice[] choices = route(batch, router);
        Set<Integer> chosen = new HashSet<>();
        for (Choice c : choices) {
            chosen.add(c.k());
        }
        assertThat(chosen).as("prompts chosen by the rows").hasSizeGreaterThan(1).doesNotContain(NEVER);

        float[] routed;
        try (TrainingSession s = TrainingSession.open(MethodContractTest.runtime(), a, ckpt)) {
            routed = MethodContractTest.logits(s.evalStep(batch));
            assertThat(MethodContractTest.logits(s.evalStep(batch))).as("eval is deterministic").containsExactly(routed);
        }

        // the same rows through Prompt Tuning with the prompt p_k*·P_k* computed here, one row at a time
        TaskModel pt = new TaskModel(BACKBONE, MethodSpec.of("prompt-tuning", Map.of("prompt-tokens", T)).create(),
                HeadConfig.classification(2), SEED);
        Artifacts ptArtifacts = ArtifactWriter.forModel(pt).build().write(dir.resolve("pt"));
        Checkpoint ptInitial = Checkpoint.read(ptArtifacts.checkpoint());
        float[] prompts = initial.parameter(SmopRouter.PROMPTS).toFloats();
        int n = TinyBert.HIDDEN;
        double maxDiff = 0;
        for (int r = 0; r < LENGTHS.length; r++) {
            float[] s = new float[T * n];
            for (int i = 0; i < s.length; i++) {
                s[i] = (float) (choices[r].p() * prompts[choices[r].k() * T * n + i]);
            }
            Map<String, TensorData> head = new LinkedHashMap<>();
            for (String name : List.of("head.dense.w", "head.dense.b", "head.out.w", "head.out.b")) {
                head.put(name, initial.parameter(name));
            }
            head.put("prompt_tuning.prompt", TensorData.ofFloats(new long[] {T, n}, s));
            Path rowCkpt = MethodContractTest.writeReplacing(ptInitial, head, dir.resolve("row" + r + ".ckpt"));
            try (TrainingSession s2 = TrainingSession.open(MethodContractTest.runtime(), ptArtifacts, rowCkpt)) {
                float[] expected = MethodContractTest.logits(s2.evalStep(batch));
                for (int c = 0; c < 2; c++) {
                    maxDiff = Math.max(maxDiff, Math.abs(expected[r * 2 + c] - routed[r * 2 + c]));
                }
            }
        }
        System.out.printf("smop: choices %s, |logits - prompt tuning with p·P_k*| %.2g%n", java.util.Arrays.toString(choices),
                maxDiff);
        assertThat(maxDiff).as("SMoP logits vs Prompt Tuning with the hand-routed prompt").isLessThanOrEqualTo(1e-5);
    }

    @Test
    void theRouterAndTheChosenPromptsLearnAndAnUnchosenPromptDoesNot(@TempDir Path dir) throws IOException {
        // no noise, so the training graph routes as computed here
        TaskModel model = new TaskModel(BACKBONE, smop(0).create(), HeadConfig.classification(2), SEED);
        Artifacts a = ArtifactWriter.forModel(model).optimizer(AdamWConfig.defaults()).build().write(dir.resolve("smop"));
        Checkpoint initial = Checkpoint.read(a.checkpoint());
        Map<String, TensorData> router = router(initial);
        Path ckpt = MethodContractTest.writeReplacing(initial, router, dir.resolve("routed.ckpt"));
        Batch batch = MethodContractTest.batch(LENGTHS, LABELS, 31);
        Set<Integer> chosen = new HashSet<>();
        for (Choice c : route(batch, router)) {
            chosen.add(c.k());
        }
        Map<String, TensorData> after;
        try (TrainingSession s = TrainingSession.open(MethodContractTest.runtime(), a, ckpt)) {
            s.lazyResetGrad();
            s.trainStep(batch);
            s.setLearningRate(1e-2f);
            s.optimizerStep();
            after = s.weights().parameters();
        }
        assertThat(after.get(SmopRouter.ROUTER_W)).as("router weights after one step (gradient through p_k*)")
                .isNotEqualTo(router.get(SmopRouter.ROUTER_W));
        float[] before = router.get(SmopRouter.PROMPTS).toFloats();
        float[] now = after.get(SmopRouter.PROMPTS).toFloats();
        int size = T * TinyBert.HIDDEN;
        for (int k = 0; k < K; k++) {
            boolean moved = false;
            for (int i = k * size; i < (k + 1) * size; i++) {
                moved |= before[i] != now[i];
            }
            assertThat(moved).as("prompt %d (chosen: %s) moved", k, chosen.contains(k)).isEqualTo(chosen.contains(k));
        }
    }

    @Test
    void routerNoiseIsInTheTrainingGraphOnly(@TempDir Path dir) throws IOException {
        Batch batch = MethodContractTest.batch(LENGTHS, LABELS, 32);
        Map<Double, float[]> losses = new LinkedHashMap<>();
        // a head without dropout, so that the router noise is the only random draw of the training graph
        for (double noise : new double[] {0, 1}) {
            TaskModel model = new TaskModel(BACKBONE, smop(noise).create(), new HeadConfig(2, false, 0.0, 0.02), SEED);
            Artifacts a = ArtifactWriter.forModel(model).build().write(dir.resolve("noise" + noise));
            try (TrainingSession s = TrainingSession.open(MethodContractTest.runtime(), a, a.checkpoint())) {
                s.setSeed(SEED);
                float first = s.trainStep(batch);
                float second = s.trainStep(batch);
                float eval = MethodContractTest.loss(s.evalStep(batch));
                float evalAgain = MethodContractTest.loss(s.evalStep(batch));
                losses.put(noise, new float[] {first, second, eval, evalAgain});
            }
        }
        float[] quiet = losses.get(0.0);
        float[] noisy = losses.get(1.0);
        assertThat(quiet[0]).as("without noise two training steps on one batch (no update between) agree").isEqualTo(quiet[1]);
        assertThat(noisy[0]).as("with noise they draw different router logits").isNotEqualTo(noisy[1]);
        assertThat(noisy[2]).as("the eval graph has no noise").isEqualTo(noisy[3]).isEqualTo(quiet[2]);
    }
}
