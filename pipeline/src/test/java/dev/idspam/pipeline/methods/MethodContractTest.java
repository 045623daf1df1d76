package dev.idspam.pipeline.methods;

import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.ForwardOutputs;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.graphs.artifacts.ModelDefinition;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.artifacts.PropertyBag;
import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.Encoder;
import dev.idspam.graphs.backbone.EncoderBuilder;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;
import dev.idspam.graphs.methods.ParameterInit;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.ClassificationHead;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.InferenceModel;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract every method of {@link MethodRegistry} keeps, one row per method, on a tiny seeded
 * BERT: its graphs load in ONNX Runtime; training moves exactly its own tensors and the head (every
 * frozen tensor stays bit-identical); the exported inference graph reproduces {@code evalStep};
 * a fixed batch is memorised; padding appended to a row changes nothing. Prompt methods also
 * show that the head reads the first real token (index t) and that the prompt reaches the logits.
 */
class MethodContractTest {
    private static final long SEED = 7;
    private static final int LAYER = 1;
    private static final int PROMPT_TOKENS = 3;
    private static final int LPT_RANK = 4;
    private static final int LORA_RANK = 2;
    private static final double LORA_ALPHA = 4;
    /** SMoP and DEPT run at their defaults (their prompt lengths are their own options). */
    private static final long SMOP_PROMPTS = 4;
    private static final long SMOP_PROMPT_TOKENS = 5;
    private static final long DEPT_PROMPT_TOKENS = 6;
    private static final long DEPT_RANK = 8;
    private static final int CLASSES = 2;
    private static final int STEPS = 10;
    private static final float LEARNING_RATE = 1e-2f;
    private static final BackboneWeights BACKBONE = TinyBert.random(3);
    /** Rows of different lengths (padding in three of them), labels to memorise. */
    private static final int[] LENGTHS = {8, 6, 3, 8, 5, 2};
    private static final long[] LABELS = {0, 1, 1, 0, 1, 0};

    /**
     * What a method trains besides the head: its own tensors by name, how many elements they hold
     * (written out from the method's equations for this backbone, not read from the code), and
     * which of them cannot move at the first update.
     */
    record Row(String id, Set<String> own, long ownElements, Set<String> stillAfterFirstStep) {
        Row {
            // sorted, so that seeded draws over the names are the same in every JVM (Set.of order is not)
            own = Collections.unmodifiableSortedSet(new TreeSet<>(own));
            stillAfterFirstStep = Collections.unmodifiableSortedSet(new TreeSet<>(stillAfterFirstStep));
        }
    }

    private static final Map<String, Row> ROWS = rows();

    private static Map<String, Row> rows() {
        long n = TinyBert.HIDDEN;
        long t = PROMPT_TOKENS;
        long c = n / 2; // ID-SPAM's default bottleneck for n < 384
        long r = LPT_RANK;
        long q = LORA_RANK;
        Map<String, Row> m = new LinkedHashMap<>();
        put(m, new Row("idspam", Set.of("idspam.q.w", "idspam.q.b", "idspam.k.w", "idspam.k.b", "idspam.v.w", "idspam.v.b",
                "idspam.down.w", "idspam.down.b", "idspam.up.w", "idspam.up.b"),
                3 * (n * n + n) + (n * c + c) + (c * t * n + t * n), Set.of()));
        put(m, new Row("idspam-meanpool", Set.of("idspam.down.w", "idspam.down.b", "idspam.up.w", "idspam.up.b"),
                (n * c + c) + (c * t * n + t * n), Set.of()));
        put(m, new Row("prompt-tuning", Set.of("prompt_tuning.prompt"), t * n, Set.of()));
        put(m, new Row("lpt", Set.of("lpt.down.w", "lpt.down.b", "lpt.up.w", "lpt.up.b"), n * r + r + r * t * n + t * n,
                Set.of()));
        Set<String> lora = new LinkedHashSet<>();
        Set<String> loraA = new LinkedHashSet<>();
        for (int layer = 0; layer < TinyBert.LAYERS; layer++) {
            for (String p : List.of("q", "v")) {
                lora.add("lora." + layer + "." + p + ".a");
                lora.add("lora." + layer + "." + p + ".b");
                loraA.add("lora." + layer + "." + p + ".a");
            }
        }
        // B starts at zero, so A's gradient (through B) is exactly zero until B has moved once
        put(m, new Row("lora", lora, TinyBert.LAYERS * 2 * (n * q + q * n), loraA));
        put(m, new Row("full", TensorNames.encoderShapes(TinyBert.config()).keySet(), TinyBert.config().parameterCount(),
                Set.of()));
        put(m, new Row("probe", Set.of(), 0, Set.of()));
        // P-Tuning v2: a prompt [t, n] for every layer
        Set<String> deep = new LinkedHashSet<>();
        for (int layer = 0; layer < TinyBert.LAYERS; layer++) {
            deep.add("ptuning_v2.layer" + layer + ".prompt");
        }
        put(m, new Row("ptuning-v2", deep, TinyBert.LAYERS * t * n, Set.of()));
        // SMoP at its defaults: K = 4 prompts of 5 tokens [K, 5, n], router n→K with bias
        long k = SMOP_PROMPTS;
        put(m, new Row("smop", Set.of("smop.prompts", "smop.router.w", "smop.router.b"), k * SMOP_PROMPT_TOKENS * n + n * k + k,
                Set.of()));
        // DEPT at its defaults: prompt [6, n], A [V, 8], B [8, n]; A starts at 0, so B's gradient Aᵀ·dE' is 0 at first
        put(m, new Row("dept", Set.of("dept.prompt", "dept.embedding.a", "dept.embedding.b"),
                DEPT_PROMPT_TOKENS * n + (long) TinyBert.VOCAB * DEPT_RANK + DEPT_RANK * n, Set.of("dept.embedding.b")));
        return m;
    }

    private static void put(Map<String, Row> m, Row row) {
        m.put(row.id(), row);
    }

    /** The settings of the rows, by option name; each method takes the ones it reads. */
    private static final Map<String, Number> SETTINGS = Map.of("layer", LAYER, "prompt-tokens", PROMPT_TOKENS,
            "prompt-dropout", 0.1, "lpt-rank", LPT_RANK, "lora-rank", LORA_RANK, "lora-alpha", LORA_ALPHA);

    private static MethodSpec spec(String id) {
        Map<String, Number> values = new LinkedHashMap<>();
        for (MethodOption o : MethodRegistry.get(id).options()) {
            if (SETTINGS.containsKey(o.name())) {
                values.put(o.name(), SETTINGS.get(o.name()));
            }
        }
        return MethodSpec.of(id, values);
    }

    /** The one runtime of this JVM; the pipeline tests install the same one through {@link RunSettings}. */
    static NativeRuntime runtime() {
        return NativeRuntime.install(new RunSettings(Device.CPU, 1).runtimeConfig());
    }

    static Stream<String> ids() {
        return MethodRegistry.ids().stream();
    }

    static Stream<String> promptMethods() {
        return MethodRegistry.ids().stream().filter(id -> spec(id).create().promptTokens() > 0);
    }

    @Test
    void everyRegisteredMethodHasARow() {
        assertThat(ROWS.keySet()).as("MethodContractTest rows; add a row for each new method id")
                .containsExactlyInAnyOrderElementsOf(MethodRegistry.ids());
        assertThat(promptMethods()).as("methods that prepend prompt tokens")
                .containsExactlyInAnyOrder("idspam", "idspam-meanpool", "prompt-tuning", "lpt", "ptuning-v2", "smop", "dept");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void keepsTheMethodContract(String id, @TempDir Path dir) throws IOException {
        Row row = ROWS.get(id);
        assertThat(row).as("contract row for method '" + id + "'").isNotNull();
        BackboneConfig cfg = BACKBONE.config();
        TaskModel model = new TaskModel(BACKBONE, spec(id).create(), HeadConfig.classification(CLASSES), SEED);
        ArtifactWriter.forModel(model).optimizer(AdamWConfig.defaults()).build().write(dir.resolve("artifacts"));

        // (a) the files verify against their manifest and describe the task model's interface
        Artifacts artifacts = Artifacts.open(dir.resolve("artifacts"));
        Manifest m = artifacts.manifest();
        assertThat(m.trainInputNames()).containsExactly(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK,
                TaskModel.TOKEN_TYPE_IDS, TaskModel.LABELS);
        assertThat(m.evalOutputNames()).containsExactly("loss", TaskModel.LOGITS);

        // (b, declared) trainable = the method's own tensors + the head; everything else of the encoder is frozen
        Set<String> trainable = new LinkedHashSet<>(row.own());
        trainable.addAll(ClassificationHead.PARAMETERS);
        Set<String> frozen = new LinkedHashSet<>(TensorNames.encoderShapes(cfg).keySet());
        frozen.removeAll(row.own());
        assertThat(m.trainable().names()).as("trainable tensors of " + id).containsExactlyInAnyOrderElementsOf(trainable);
        assertThat(model.trainableParameters()).as("what " + id + " declared").containsExactlyInAnyOrderElementsOf(trainable);
        assertThat(m.frozen().names()).as("frozen tensors of " + id).containsExactlyInAnyOrderElementsOf(frozen);
        long n = cfg.hidden();
        long head = n * n + n + n * CLASSES + CLASSES;
        assertThat(m.trainable().elements()).as("trainable elements of " + id + " (method + head)")
                .isEqualTo(row.ownElements() + head);
        assertThat(spec(id).trainableParameters(ModelSizes.of(cfg))).as("the provider's count formula of " + id)
                .isEqualTo(row.ownElements());
        assertThat(m.frozen().elements()).as("frozen elements of " + id)
                .isEqualTo(elements(cfg, frozen));

        Batch train = batch(LENGTHS, LABELS, 11);
        Batch padded = withTrailingPadding(train, 3);
        Map<String, TensorData> before = Checkpoint.read(artifacts.checkpoint()).parameters();
        try (TrainingSession s = TrainingSession.open(runtime(), artifacts, artifacts.checkpoint())) {
            s.setSeed(SEED);
            float evalLossBefore = loss(s.evalStep(train));
            List<Float> trainLosses = new ArrayList<>();
            Map<String, TensorData> afterFirst = null;
            for (int step = 0; step < STEPS; step++) {
                s.lazyResetGrad();
                trainLosses.add(s.trainStep(train));
                s.setLearningRate(LEARNING_RATE);
                s.optimizerStep();
                if (step == 0) {
                    afterFirst = s.weights().parameters();
                }
            }
            Map<String, TensorData> after = s.weights().parameters();

            // (b, trained) frozen tensors bit-identical; every tensor a gradient reaches has moved
            assertThat(after.keySet()).containsExactlyInAnyOrderElementsOf(before.keySet());
            for (String name : frozen) {
                assertThat(after.get(name).sha256()).as(id + ": frozen tensor '" + name + "' changed").isEqualTo(
                        before.get(name).sha256());
            }
            for (String name : movers(trainable)) {
                assertThat(after.get(name)).as(id + ": trainable tensor '" + name + "' did not move in " + STEPS
                        + " updates").isNotEqualTo(before.get(name));
                if (row.stillAfterFirstStep().contains(name)) {
                    assertThat(afterFirst.get(name)).as(id + ": '" + name + "' must not move at the first update")
                            .isEqualTo(before.get(name));
                } else {
                    assertThat(afterFirst.get(name)).as(id + ": '" + name + "' did not move at the first update")
                            .isNotEqualTo(before.get(name));
                }
            }

            // (d) memorisation: the eval loss on the training batch falls, and so does the training loss
            float evalLossAfter = loss(s.evalStep(train));
            assertThat(evalLossAfter).as(id + ": eval loss on the memorised batch, before %.4f", evalLossBefore)
                    .isLessThan(0.9f * evalLossBefore);
            assertThat(trainLosses.get(STEPS - 1)).as(id + ": training losses " + trainLosses)
                    .isLessThan(trainLosses.get(0));

            // padding appended to every row changes no row's logits
            float[] plain = logits(s.evalStep(train));
            float[] withPadding = logits(s.evalStep(padded));
            assertThat(maxAbsDiff(plain, withPadding)).as(id + ": logits with 3 more padding columns")
                    .isLessThanOrEqualTo(1e-5);

            // (c) the exported inference graph reproduces evalStep on a padded batch
            Path exported = dir.resolve("model.onnx");
            s.exportForInference(exported, List.of(TaskModel.LOGITS));
            try (InferenceModel inference = InferenceModel.open(runtime(), exported)) {
                assertThat(inference.inputNames()).containsExactlyInAnyOrder(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK,
                        TaskModel.TOKEN_TYPE_IDS);
                float[] served = logits(inference.run(padded));
                assertThat(served).hasSize(LENGTHS.length * CLASSES);
                double exportDiff = maxAbsDiff(served, withPadding);
                System.out.printf("contract %s: eval loss %.4f -> %.4f, padding diff %.2g, export diff %.2g%n", id,
                        evalLossBefore, evalLossAfter, maxAbsDiff(plain, withPadding), exportDiff);
                assertThat(exportDiff).as(id + ": |inference - evalStep|").isLessThanOrEqualTo(1e-6);
            }
        }
    }

    /**
     * The last layer built for the head's row alone (EncoderBuilder's "one read token") is the same
     * model as the whole layer: the same initial checkpoint, training losses, trained tensors and
     * logits within float rounding over several updates. The one-row graph really is the smaller one
     * (its last layer's queries read a Slice), so the comparison is not of a graph with itself.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("ids")
    void lastLayerForTheReadTokenAloneIsTheSameModel(String id, @TempDir Path dir) throws IOException {
        Method method = spec(id).create();
        TaskModel oneRow = new TaskModel(BACKBONE, method, HeadConfig.classification(CLASSES), SEED);
        TaskModel everyRow = oneRow.everyRow();
        assertThat(oneRow.readToken()).as(id + ": the row the head reads").isEqualTo(method.promptTokens());
        assertThat(everyRow.readToken()).isEqualTo(EncoderBuilder.ALL_TOKENS);
        Artifacts a = ArtifactWriter.forModel(oneRow).optimizer(AdamWConfig.defaults()).build().write(dir.resolve("one"));
        Artifacts b = ArtifactWriter.forModel(everyRow).optimizer(AdamWConfig.defaults()).build().write(dir.resolve("all"));
        String last = "encoder/layer" + (TinyBert.LAYERS - 1) + "/";
        assertThat(sliceNodes(a.evalModel(), last)).as(id + ": Slice nodes in the one-row last layer").isEqualTo(1);
        assertThat(sliceNodes(b.evalModel(), last)).as(id + ": Slice nodes in the whole last layer").isZero();
        assertThat(Checkpoint.read(a.checkpoint()).parameters().keySet())
                .containsExactlyElementsOf(Checkpoint.read(b.checkpoint()).parameters().keySet());

        Batch train = withTrailingPadding(batch(LENGTHS, LABELS, 17), 2);
        List<Float> lossesA = new ArrayList<>();
        List<Float> lossesB = new ArrayList<>();
        Map<String, TensorData> trainedA;
        Map<String, TensorData> trainedB;
        float[] logitsA;
        float[] logitsB;
        try (TrainingSession sa = TrainingSession.open(runtime(), a, a.checkpoint());
             TrainingSession sb = TrainingSession.open(runtime(), b, b.checkpoint())) {
            double initial = maxAbsDiff(logits(sa.evalStep(train)), logits(sb.evalStep(train)));
            System.out.printf("one read token %s: initial |logits| %.2g%n", id, initial);
            assertThat(initial).as(id + ": logits before training").isLessThanOrEqualTo(1e-6);
            // one session after the other: ONNX Runtime's dropout generator is process-wide, seeded by setSeed
            for (TrainingSession s : List.of(sa, sb)) {
                s.setSeed(SEED);
                for (int step = 0; step < 4; step++) {
                    s.lazyResetGrad();
                    (s == sa ? lossesA : lossesB).add(s.trainStep(train));
                    s.setLearningRate(LEARNING_RATE);
                    s.optimizerStep();
                }
            }
            trainedA = sa.weights().parameters();
            trainedB = sb.weights().parameters();
            logitsA = logits(sa.evalStep(train));
            logitsB = logits(sb.evalStep(train));
        }
        double lossDiff = 0;
        for (int i = 0; i < lossesA.size(); i++) {
            lossDiff = Math.max(lossDiff, Math.abs(lossesA.get(i) - lossesB.get(i)));
        }
        double weightDiff = 0;
        for (String name : trainedA.keySet()) {
            weightDiff = Math.max(weightDiff, maxAbsDiff(trainedA.get(name).toFloats(), trainedB.get(name).toFloats()));
        }
        System.out.printf("one read token %s: losses %s vs %s, |loss| %.2g, |weights| %.2g, |logits| %.2g%n", id,
                lossesA, lossesB, lossDiff, weightDiff, maxAbsDiff(logitsA, logitsB));
        assertThat(lossesA.get(3)).as(id + ": the runs train").isLessThan(lossesA.get(0));
        assertThat(lossDiff).as(id + ": training losses, one row vs every row").isLessThanOrEqualTo(1e-6);
        assertThat(weightDiff).as(id + ": trained tensors after 4 updates").isLessThanOrEqualTo(1e-5);
        assertThat(maxAbsDiff(logitsA, logitsB)).as(id + ": logits after training").isLessThanOrEqualTo(1e-5);
    }

    private static long sliceNodes(Path model, String scope) throws IOException {
        ai.onnx.proto.OnnxMl.ModelProto m = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(java.nio.file.Files.readAllBytes(model));
        return m.getGraph().getNodeList().stream().filter(n -> n.getOpType().equals("Slice") && n.getName().startsWith(scope))
                .count();
    }

    /**
     * Trainable tensors a gradient reaches: all but attention key biases (softmax ignores a shift
     * shared by all keys, so their gradient is zero up to rounding).
     */
    private static Set<String> movers(Set<String> trainable) {
        Set<String> out = new LinkedHashSet<>(trainable);
        out.removeIf(name -> name.endsWith(".k.b"));
        return out;
    }

    @Test
    void loraBeforeTrainingIsTheFrozenBackboneAndTheProbeHead(@TempDir Path dir) throws IOException {
        Batch padded = withTrailingPadding(batch(LENGTHS, LABELS, 12), 2);
        Map<String, float[]> logits = new LinkedHashMap<>();
        for (String id : List.of("lora", "probe")) {
            TaskModel model = new TaskModel(BACKBONE, spec(id).create(), HeadConfig.classification(CLASSES), SEED);
            Artifacts a = ArtifactWriter.forModel(model).build().write(dir.resolve(id));
            try (TrainingSession s = TrainingSession.open(runtime(), a, a.checkpoint())) {
                logits.put(id, logits(s.evalStep(padded)));
            }
        }
        // B = 0 makes every LoRA delta exactly zero; the head has the probe's initial values (same seed)
        assertThat(logits.get("lora")).containsExactly(logits.get("probe"));
        assertThat(maxAbsDiff(logits.get("lora"), new float[logits.get("lora").length])).as("logits are not all zero")
                .isGreaterThan(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("promptMethods")
    void headReadsTheFirstRealTokenAndThePromptReachesTheLogits(String id, @TempDir Path dir) throws IOException {
        Method method = spec(id).create();
        int t = method.promptTokens();
        TaskModel model = new TaskModel(BACKBONE, method, HeadConfig.classification(CLASSES), SEED);
        Artifacts artifacts = ArtifactWriter.forModel(model).build().write(dir.resolve("artifacts"));
        Checkpoint initial = Checkpoint.read(artifacts.checkpoint());
        Set<String> own = ROWS.get(id).own();

        // a head large enough to matter, then the same model with different prompt-generating tensors
        SplittableRandom r = new SplittableRandom(21);
        Map<String, TensorData> bigHead = new LinkedHashMap<>();
        for (String name : ClassificationHead.PARAMETERS) {
            bigHead.put(name, plusNoise(initial.parameter(name), 0.3, r));
        }
        Map<String, TensorData> otherPrompt = new LinkedHashMap<>(bigHead);
        for (String name : own) {
            otherPrompt.put(name, plusNoise(initial.parameter(name), 0.3, r));
        }
        Path ckptA = writeReplacing(initial, bigHead, dir.resolve("a.ckpt"));
        Path ckptB = writeReplacing(initial, otherPrompt, dir.resolve("b.ckpt"));
        Batch batch = withTrailingPadding(batch(LENGTHS, LABELS, 13), 1);
        float[] logitsA;
        float[] logitsB;
        try (TrainingSession s = TrainingSession.open(runtime(), artifacts, ckptA)) {
            logitsA = logits(s.evalStep(batch));
        }
        float[] logitsBPadded;
        try (TrainingSession s = TrainingSession.open(runtime(), artifacts, ckptB)) {
            logitsB = logits(s.evalStep(batch));
            logitsBPadded = logits(s.evalStep(withTrailingPadding(batch, 3)));
        }
        assertThat(maxAbsDiff(logitsA, logitsB)).as(id + ": logits after changing only the prompt tensors")
                .isGreaterThan(1e-2);
        // with generator weights far from their near-uniform initial attention, padding must still not leak in
        assertThat(maxAbsDiff(logitsB, logitsBPadded)).as(id + ": logits with 3 more padding columns")
                .isLessThanOrEqualTo(1e-5);

        // the encoder alone (same injection, same weights as b.ckpt), its last hidden states [B, t+L, n] ...
        Artifacts encoderOnly = ArtifactWriter.forModel(lastHiddenState(BACKBONE, id)).build().write(dir.resolve("encoder"));
        Checkpoint encoderInitial = Checkpoint.read(encoderOnly.checkpoint());
        Map<String, TensorData> promptB = new LinkedHashMap<>();
        own.forEach(name -> promptB.put(name, otherPrompt.get(name)));
        Path encoderCkpt = writeReplacing(encoderInitial, promptB, dir.resolve("encoder.ckpt"));
        HostTensor.Floats hidden;
        try (TrainingSession s = TrainingSession.open(runtime(), encoderOnly, encoderCkpt)) {
            hidden = (HostTensor.Floats) s.evalStep(batch).get("hidden");
        }
        long[] shape = hidden.shape();
        int len = (int) batch.get(TaskModel.INPUT_IDS).shape()[1];
        assertThat(shape).containsExactly(LENGTHS.length, t + len, TinyBert.HIDDEN);

        // ... through the head in plain Java: at index t it gives the task model's logits, at index 0 it does not
        double[] atT = javaHead(hidden, t, bigHead);
        double[] atZero = javaHead(hidden, 0, bigHead);
        System.out.printf("prompt %s: |A - B| %.3g, padding diff %.2g, |logits - head@t| %.2g, |logits - head@0| %.3g%n",
                id, maxAbsDiff(logitsA, logitsB), maxAbsDiff(logitsB, logitsBPadded), maxAbsDiff(logitsB, atT),
                maxAbsDiff(logitsB, atZero));
        assertThat(maxAbsDiff(logitsB, atT)).as(id + ": task-model logits vs the head applied at index t = " + t)
                .isLessThanOrEqualTo(1e-5);
        assertThat(maxAbsDiff(logitsB, atZero)).as(id + ": the head applied at index 0 (a prompt token)")
                .isGreaterThan(1e-2);
    }

    /** The task model's encoder and method without the head: eval output {@code hidden}, loss = its mean. */
    private static ModelDefinition lastHiddenState(BackboneWeights backbone, String id) {
        return (b, training) -> {
            Method method = spec(id).create();
            Value ids = b.input(TaskModel.INPUT_IDS, DType.INT64, Shape.of("batch", "sequence"));
            Value mask = b.input(TaskModel.ATTENTION_MASK, DType.INT64, Shape.of("batch", "sequence"));
            Value types = b.input(TaskModel.TOKEN_TYPE_IDS, DType.INT64, Shape.of("batch", "sequence"));
            MethodContext ctx = new MethodContext(backbone, new ParameterInit(SEED), SEED, false);
            Map<String, Value> weights = EncoderBuilder.bindWeights(b, backbone, EncoderBuilder.WeightBinding.FROZEN, "");
            Encoder enc = EncoderBuilder.buildWith(b, backbone.config(), weights, ids, mask, types, method.encoderChanges(ctx));
            Value hidden = enc.lastHiddenState();
            Map<String, Value> outputs = new LinkedHashMap<>();
            outputs.put("hidden", hidden);
            return new ForwardOutputs(b.ops().reduceMean(hidden, false, 0, 1, 2), outputs);
        };
    }

    /** logits[r] = tanh(h[r, index]·W_dense + b_dense)·W_out + b_out, in double precision. */
    private static double[] javaHead(HostTensor.Floats hidden, int index, Map<String, TensorData> head) {
        long[] s = hidden.shape();
        int rows = (int) s[0];
        int seq = (int) s[1];
        int n = (int) s[2];
        float[] dw = head.get("head.dense.w").toFloats();
        float[] db = head.get("head.dense.b").toFloats();
        float[] ow = head.get("head.out.w").toFloats();
        float[] ob = head.get("head.out.b").toFloats();
        int classes = ob.length;
        double[] out = new double[rows * classes];
        for (int r = 0; r < rows; r++) {
            int base = (r * seq + index) * n;
            double[] d = new double[n];
            for (int j = 0; j < n; j++) {
                double acc = db[j];
                for (int i = 0; i < n; i++) {
                    acc += hidden.data()[base + i] * (double) dw[i * n + j];
                }
                d[j] = Math.tanh(acc);
            }
            for (int k = 0; k < classes; k++) {
                double acc = ob[k];
                for (int j = 0; j < n; j++) {
                    acc += d[j] * ow[j * classes + k];
                }
                out[r * classes + k] = acc;
            }
        }
        return out;
    }

    // ------------------------------------------------------------------------------------ helpers

    /**
     * Rows of random token ids (1..V-1) of the given lengths, padded with id 0 to the longest; token
     * type 1 on the second half of each row's real tokens.
     */
    static Batch batch(int[] lengths, long[] labels, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int rows = lengths.length;
        int len = java.util.Arrays.stream(lengths).max().orElseThrow();
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] types = new long[rows * len];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < lengths[i]; j++) {
                ids[i * len + j] = 1 + r.nextInt(TinyBert.VOCAB - 1);
                mask[i * len + j] = 1;
                types[i * len + j] = j >= (lengths[i] + 1) / 2 ? 1 : 0;
            }
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(TaskModel.INPUT_IDS, HostTensor.longs(ids, rows, len));
        in.put(TaskModel.ATTENTION_MASK, HostTensor.longs(mask, rows, len));
        in.put(TaskModel.TOKEN_TYPE_IDS, HostTensor.longs(types, rows, len));
        in.put(TaskModel.LABELS, HostTensor.longs(labels.clone(), rows));
        return new Batch(in);
    }

    /** The same batch with {@code extra} more padding columns (id 0, mask 0, type 0) at the end of every row. */
    static Batch withTrailingPadding(Batch b, int extra) {
        Map<String, HostTensor> out = new LinkedHashMap<>();
        for (String name : List.of(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK, TaskModel.TOKEN_TYPE_IDS)) {
            HostTensor.Longs t = (HostTensor.Longs) b.get(name);
            int rows = (int) t.shape()[0];
            int len = (int) t.shape()[1];
            long[] wider = new long[rows * (len + extra)];
            for (int i = 0; i < rows; i++) {
                System.arraycopy(t.data(), i * len, wider, i * (len + extra), len);
            }
            out.put(name, HostTensor.longs(wider, rows, len + extra));
        }
        out.put(TaskModel.LABELS, b.get(TaskModel.LABELS));
        return new Batch(out);
    }

    static float loss(Map<String, HostTensor> out) {
        return ((HostTensor.Floats) out.get("loss")).scalar();
    }

    static float[] logits(Map<String, HostTensor> out) {
        return ((HostTensor.Floats) out.get(TaskModel.LOGITS)).data();
    }

    private static long elements(BackboneConfig cfg, Set<String> names) {
        long sum = 0;
        for (Map.Entry<String, long[]> e : TensorNames.encoderShapes(cfg).entrySet()) {
            if (names.contains(e.getKey())) {
                sum += TensorData.count(e.getValue());
            }
        }
        return sum;
    }

    private static TensorData plusNoise(TensorData t, double std, SplittableRandom r) {
        float[] v = t.toFloats();
        for (int i = 0; i < v.length; i++) {
            v[i] += (float) (std * TinyBert.gaussian(r));
        }
        return TensorData.ofFloats(t.dims(), v);
    }

    /** {@code base} with some tensors replaced (same names, shapes and groups), written to {@code file}. */
    static Path writeReplacing(Checkpoint base, Map<String, TensorData> replacements, Path file)
            throws IOException {
        List<NamedTensor> trainable = new ArrayList<>();
        for (NamedTensor t : base.trainable()) {
            trainable.add(new NamedTensor(t.name(), replacements.getOrDefault(t.name(), t.data())));
        }
        List<NamedTensor> frozen = new ArrayList<>();
        for (NamedTensor t : base.frozen()) {
            frozen.add(new NamedTensor(t.name(), replacements.getOrDefault(t.name(), t.data())));
        }
        new Checkpoint(trainable, frozen, Optional.empty(), PropertyBag.empty()).write(file);
        return file;
    }

    static double maxAbsDiff(float[] a, float[] b) {
        assertThat(a).hasSameSizeAs(b);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((double) a[i] - b[i]));
        }
        return m;
    }

    private static double maxAbsDiff(float[] a, double[] b) {
        assertThat(a.length).isEqualTo(b.length);
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs(a[i] - b[i]));
        }
        return m;
    }
}
