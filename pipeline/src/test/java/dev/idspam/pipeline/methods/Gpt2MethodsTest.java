package dev.idspam.pipeline.methods;

import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.TinyGpt2;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.InferenceModel;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered method on a tiny GPT-2 (2 blocks, n = 16), with the head on the last real token:
 * the graphs load in ONNX Runtime with no token-type input, ten training steps memorise a fixed batch
 * (the eval loss falls), every frozen tensor stays bit-identical, padding appended to the rows
 * changes no logit, and the exported inference graph reproduces evalStep.
 */
class Gpt2MethodsTest {
    private static final long SEED = 7;
    private static final int STEPS = 10;
    private static final float LEARNING_RATE = 1e-2f;
    private static final BackboneWeights BACKBONE = TinyGpt2.random(TinyGpt2.config(), 3);
    private static final int[] LENGTHS = {8, 6, 3, 8, 5, 2};
    private static final long[] LABELS = {0, 1, 1, 0, 1, 0};
    private static final Map<String, Number> SETTINGS = Map.of("layer", 1, "prompt-tokens", 3, "lpt-rank", 4,
            "lora-rank", 2, "lora-alpha", 4);

    static Stream<String> ids() {
        return MethodRegistry.ids().stream();
    }

    private static MethodSpec spec(String id) {
        Map<String, Number> values = new LinkedHashMap<>();
        for (MethodOption o : MethodRegistry.get(id).options()) {
            if (SETTINGS.containsKey(o.name())) {
                values.put(o.name(), SETTINGS.get(o.name()));
            }
        }
        return MethodSpec.of(id, values);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void trainsOnGpt2AndLeavesTheFrozenBackboneAlone(String id, @TempDir Path dir) throws IOException {
        HeadConfig head = HeadConfig.classification(2).withPooling(HeadConfig.Pooling.defaultFor(BACKBONE.config().family()));
        TaskModel model = new TaskModel(BACKBONE, spec(id).create(), head, SEED);
        Artifacts artifacts = ArtifactWriter.forModel(model).optimizer(AdamWConfig.defaults()).build()
                .write(dir.resolve("artifacts"));
        Manifest m = artifacts.manifest();
        assertThat(m.trainInputNames()).containsExactly(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK, TaskModel.LABELS);

        NativeRuntime runtime = NativeRuntime.install(new RunSettings(Device.CPU, 1).runtimeConfig());
        Batch train = batch(0);
        Batch padded = batch(3);
        Map<String, TensorData> before = Checkpoint.read(artifacts.checkpoint()).parameters();
        try (TrainingSession s = TrainingSession.open(runtime, artifacts, artifacts.checkpoint())) {
            s.setSeed(SEED);
            float evalBefore = loss(s.evalStep(train));
            for (int step = 0; step < STEPS; step++) {
                s.lazyResetGrad();
                s.trainStep(train);
                s.setLearningRate(LEARNING_RATE);
                s.optimizerStep();
            }
            Map<String, TensorData> after = s.weights().parameters();
            for (String name : m.frozen().names()) {
                assertThat(after.get(name).sha256()).as(id + ": frozen tensor '" + name + "' changed")
                        .isEqualTo(before.get(name).sha256());
            }
            float evalAfter = loss(s.evalStep(train));
            float[] plain = logits(s.evalStep(train));
            float[] withPadding = logits(s.evalStep(padded));
            Path exported = dir.resolve("model.onnx");
            s.exportForInference(exported, List.of(TaskModel.LOGITS));
            double exportDiff;
            try (InferenceModel inference = InferenceModel.open(runtime, exported)) {
                assertThat(inference.inputNames()).containsExactlyInAnyOrder(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK);
                exportDiff = maxAbsDiff(logits(inference.run(padded)), withPadding);
            }
            System.out.printf("gpt2 %s: eval loss %.4f -> %.4f, padding diff %.2g, export diff %.2g%n", id, evalBefore,
                    evalAfter, maxAbsDiff(plain, withPadding), exportDiff);
            assertThat(evalAfter).as(id + ": eval loss on the memorised batch").isLessThan(0.9f * evalBefore);
            assertThat(maxAbsDiff(plain, withPadding)).as(id + ": logits with 3 more padding columns").isLessThanOrEqualTo(1e-5);
            assertThat(exportDiff).as(id + ": |inference - evalStep|").isLessThanOrEqualTo(1e-6);
        }
    }

    /** Seeded rows of the given lengths, padded on the right with end-of-text (mask 0), {@code extra} more columns. */
    private static Batch batch(int extra) {
        SplittableRandom r = new SplittableRandom(11);
        int rows = LENGTHS.length;
        int len = java.util.Arrays.stream(LENGTHS).max().orElseThrow() + extra;
        long pad = BACKBONE.config().padTokenId();
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        java.util.Arrays.fill(ids, pad);
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < LENGTHS[i]; j++) {
                ids[i * len + j] = r.nextInt((int) pad);
                mask[i * len + j] = 1;
            }
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(TaskModel.INPUT_IDS, HostTensor.longs(ids, rows, len));
        in.put(TaskModel.ATTENTION_MASK, HostTensor.longs(mask, rows, len));
        in.put(TaskModel.LABELS, HostTensor.longs(LABELS.clone(), rows));
        return new Batch(in);
    }

    private static float loss(Map<String, HostTensor> out) {
        return ((HostTensor.Floats) out.get("loss")).scalar();
    }

    private static float[] logits(Map<String, HostTensor> out) {
        return ((HostTensor.Floats) out.get(TaskModel.LOGITS)).data();
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }
}
