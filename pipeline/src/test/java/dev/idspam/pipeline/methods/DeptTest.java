package dev.idspam.pipeline.methods;

import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.dept.DeptMethod;
import dev.idspam.graphs.methods.head.ClassificationHead;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.graphs.methods.prompttuning.PromptTuning;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DEPT on the tiny BERT against Prompt Tuning with the same prompt: with A = 0 (its initial value)
 * the two are the same model; with A ≠ 0 DEPT equals Prompt Tuning on a backbone whose word table
 * is E + A·B, computed here in double precision.
 */
class DeptTest {
    private static final long SEED = 9;
    private static final int T = 6;
    private static final int R = 3;
    private static final BackboneWeights BACKBONE = TinyBert.random(3);
    private static final int[] LENGTHS = {8, 6, 3, 8, 5, 2};
    private static final long[] LABELS = {0, 1, 1, 0, 1, 0};

    private static MethodSpec dept() {
        return MethodSpec.of("dept", Map.of("dept-prompt-tokens", T, "dept-rank", R));
    }

    private static MethodSpec promptTuning() {
        return MethodSpec.of("prompt-tuning", Map.of("prompt-tokens", T));
    }

    private static TensorData random(SplittableRandom r, double std, long... dims) {
        float[] v = new float[Math.toIntExact(TensorData.count(dims))];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * TinyBert.gaussian(r));
        }
        return TensorData.ofFloats(dims, v);
    }

    private static float[] logits(Artifacts a, Path checkpoint, Batch batch) throws IOException {
        try (TrainingSession s = TrainingSession.open(MethodContractTest.runtime(), a, checkpoint)) {
            return MethodContractTest.logits(s.evalStep(batch));
        }
    }

    /** The same tensors with A back at 0. */
    private static Map<String, TensorData> withoutA(Map<String, TensorData> trained) {
        Map<String, TensorData> out = new LinkedHashMap<>(trained);
        out.put(DeptMethod.A, TensorData.ofFloats(trained.get(DeptMethod.A).dims(), new float[TinyBert.VOCAB * R]));
        return out;
    }

    @Test
    void withAZeroDeptIsPromptTuningWithTheSamePrompt(@TempDir Path dir) throws IOException {
        Batch batch = MethodContractTest.withTrailingPadding(MethodContractTest.batch(LENGTHS, LABELS, 41), 2);
        Artifacts dept = ArtifactWriter.forModel(new TaskModel(BACKBONE, dept().create(), HeadConfig.classification(2), SEED))
                .build().write(dir.resolve("dept"));
        Artifacts pt = ArtifactWriter.forModel(new TaskModel(BACKBONE, promptTuning().create(), HeadConfig.classification(2),
                SEED)).build().write(dir.resolve("pt"));
        Checkpoint deptInitial = Checkpoint.read(dept.checkpoint());
        assertThat(deptInitial.parameter(DeptMethod.A).toFloats()).as("A starts at 0").containsOnly(0f);
        assertThat(deptInitial.parameter(DeptMethod.PROMPT)).as("the prompt starts as Prompt Tuning's")
                .isEqualTo(Checkpoint.read(pt.checkpoint()).parameter(PromptTuning.PARAMETER));
        // a large B: with A = 0 it must still change nothing
        Path bigB = MethodContractTest.writeReplacing(deptInitial,
                Map.of(DeptMethod.B, random(new SplittableRandom(3), 2.0, R, TinyBert.HIDDEN)), dir.resolve("b.ckpt"));
        float[] expected = logits(pt, pt.checkpoint(), batch);
        assertThat(logits(dept, bigB, batch)).containsExactly(expected);
    }

    @Test
    void theLowRankUpdateIsAChangeOfTheWordTable(@TempDir Path dir) throws IOException {
        Batch batch = MethodContractTest.withTrailingPadding(MethodContractTest.batch(LENGTHS, LABELS, 42), 1);
        int n = TinyBert.HIDDEN;
        int v = TinyBert.VOCAB;
        SplittableRandom r = new SplittableRandom(4);
        TensorData a = random(r, 0.5, v, R);
        TensorData b = random(r, 0.5, R, n);
        TensorData prompt = random(r, 0.5, T, n);
        Artifacts dept = ArtifactWriter.forModel(new TaskModel(BACKBONE, dept().create(), HeadConfig.classification(2), SEED))
                .build().write(dir.resolve("dept"));
        Checkpoint deptInitial = Checkpoint.read(dept.checkpoint());
        Map<String, TensorData> trained = new LinkedHashMap<>();
        trained.put(DeptMethod.A, a);
        trained.put(DeptMethod.B, b);
        trained.put(DeptMethod.PROMPT, prompt);
        // a head large enough that a change of the word table shows in the logits
        Map<String, TensorData> head = new LinkedHashMap<>();
        for (String name : ClassificationHead.PARAMETERS) {
            head.put(name, random(r, 0.5, deptInitial.parameter(name).dims()));
        }
        trained.putAll(head);
        float[] actual = logits(dept, MethodContractTest.writeReplacing(deptInitial, trained, dir.resolve("dept.ckpt")), batch);

        // E'[w] = E[w] + Σ_j A[w, j]·B[j, :] for every token w, in double precision
        float[] e = BACKBONE.get(TensorNames.WORD).toFloats();
        float[] av = a.toFloats();
        float[] bv = b.toFloats();
        float[] changed = new float[e.length];
        for (int w = 0; w < v; w++) {
            for (int d = 0; d < n; d++) {
                double sum = e[w * n + d];
                for (int j = 0; j < R; j++) {
                    sum += (double) av[w * R + j] * bv[j * n + d];
                }
                changed[w * n + d] = (float) sum;
            }
        }
        Map<String, TensorData> tensors = new LinkedHashMap<>(BACKBONE.tensors());
        tensors.put(TensorNames.WORD, TensorData.ofFloats(new long[] {v, n}, changed));
        BackboneWeights edited = new BackboneWeights(BACKBONE.config(), tensors, "tiny BERT with E + A·B");
        Artifacts pt = ArtifactWriter.forModel(new TaskModel(edited, promptTuning().create(), HeadConfig.classification(2),
                SEED)).build().write(dir.resolve("pt"));
        Map<String, TensorData> same = new LinkedHashMap<>();
        same.put(PromptTuning.PARAMETER, prompt);
        same.putAll(head);
        float[] expected = logits(pt, MethodContractTest.writeReplacing(Checkpoint.read(pt.checkpoint()), same,
                dir.resolve("pt.ckpt")), batch);
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        System.out.printf("dept: |logits - prompt tuning on E + A·B| %.2g%n", diff);
        assertThat(diff).isLessThanOrEqualTo(1e-5);
        float[] unchanged = logits(dept, MethodContractTest.writeReplacing(deptInitial, withoutA(trained),
                dir.resolve("a0.ckpt")), batch);
        double control = 0;
        for (int i = 0; i < expected.length; i++) {
            control = Math.max(control, Math.abs(unchanged[i] - actual[i]));
        }
        assertThat(control).as("negative control: the same model with A = 0").isGreaterThan(1e-2);
    }
}
