package dev.idspam.pipeline.run;

import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactGraphs;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.io.FolderUpdate;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.runtime.Trainer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Step 1 of the pipeline: backbone + method + task → ONNX Runtime training artifacts (training,
 * eval and optimizer models, checkpoint, manifest) plus a copy of the tokenizer.
 *
 * <p>Regenerating into a folder that holds artifacts and a trained run: every option is checked
 * and both graphs are built before the folder is touched, so a bad option (a layer the backbone
 * does not have, heads that do not divide the hidden size, a too long {@code --max-length}) leaves
 * it byte-identical. The new files are then staged and committed with {@link FolderUpdate}: the
 * earlier folder stays intact until the commit, which removes the earlier manifest, then the run's
 * checkpoints and reports (they belong to the earlier graphs), and renames the new files in with
 * the manifest last; see {@link FolderUpdate} for what a crash at each step leaves.
 */
public final class Generate {
    /** Outputs of a training run, removed when artifacts are (re)generated into the same folder. */
    static final List<String> STALE_RUN_FILES = List.of(Trainer.LAST_CHECKPOINT, Trainer.BEST_CHECKPOINT,
            Trainer.LAST_CHECKPOINT + CheckpointSeal.SUFFIX, Trainer.BEST_CHECKPOINT + CheckpointSeal.SUFFIX,
            TrainJob.REPORT_JSON, TrainJob.REPORT_MD, RunReportMarkdown.LOSS_CHART, Evaluate.PREDICTIONS,
            // the prefix-cache graphs of earlier artifacts (a method without them leaves none behind) and scratch files
            ArtifactNames.CACHED_TRAINING_MODEL, ArtifactNames.CACHED_EVAL_MODEL, ArtifactNames.PREFIX_MODEL,
            TrainJob.TRAIN_CACHE_FILE, TrainJob.DEV_CACHE_FILE);

    private Generate() {
    }

    /**
     * @param backbone  catalog id ({@code minilm-l6}) or a local path
     * @param method    the method and its settings
     * @param task      the task, which fixes the labels and the head
     * @param seed      seeds the initial values of the new tensors
     * @param optimizer AdamW settings baked into the optimizer model
     * @param maxLength the token budget recorded for training and inference
     * @param out       the artifacts folder
     * @param headPooling what the task head reads, or null for the backbone's default
     *                  ({@link HeadConfig.Pooling#defaultFor}: the first token on encoders, the last real
     *                  token on decoders); the resolved value is recorded as {@code model.head_pooling}
     */
    public record Spec(String backbone, MethodSpec method, Task task, long seed, AdamWConfig optimizer, int maxLength,
                       Path out, HeadConfig.Pooling headPooling) {
        /** With the backbone's default head (the paper's first-token head on encoders, the last token on decoders). */
        public Spec(String backbone, MethodSpec method, Task task, long seed, AdamWConfig optimizer, int maxLength, Path out) {
            this(backbone, method, task, seed, optimizer, maxLength, out, null);
        }

        public Spec {
            if (maxLength < 8) {
                throw new IllegalArgumentException("max length (--max-length) must be >= 8, got " + maxLength);
            }
        }
    }

    public static Artifacts run(Spec spec) throws IOException {
        requireFolder(spec.out());
        BackboneSource source = BackboneCatalog.resolve(spec.backbone());
        BackboneWeights weights = source.load();
        return run(spec, source, weights);
    }

    /** Generates from already-loaded weights (several artifacts from one backbone load). */
    public static Artifacts run(Spec spec, BackboneSource source, BackboneWeights weights) throws IOException {
        return run(spec, source, weights, Map.of());
    }

    /** As {@link #run(Spec, BackboneSource, BackboneWeights)}, starting the named trainable tensors from given values. */
    public static Artifacts run(Spec spec, BackboneSource source, BackboneWeights weights, Map<String, TensorData> initial)
            throws IOException {
        return run(spec, source, weights, initial, UnaryOperator.identity());
    }

    /** The manifest's {@code model} member naming what the task head reads (first, mean or last). */
    static final String HEAD_POOLING = "head_pooling";

    /** {@code model.head_pooling} as written here, or null for artifacts generated before it was recorded. */
    static String headPooling(JsonObject model) {
        return model.has(HEAD_POOLING) && model.get(HEAD_POOLING).isJsonPrimitive()
                ? model.get(HEAD_POOLING).getAsString() : null;
    }

    /**
     * As {@link #run(Spec, BackboneSource, BackboneWeights, Map)}, with the task model passed through
     * {@code variant} before its graphs are built (benchmarks compare such variants of one model, e.g.
     * {@link TaskModel#everyRow()}).
     */
    public static Artifacts run(Spec spec, BackboneSource source, BackboneWeights weights, Map<String, TensorData> initial,
                                UnaryOperator<TaskModel> variant) throws IOException {
        requireFolder(spec.out());
        Task task = spec.task();
        HeadConfig.Pooling pooling = spec.headPooling() != null ? spec.headPooling()
                : HeadConfig.Pooling.defaultFor(weights.config().family());
        HeadConfig head = (task.regression() ? HeadConfig.regressionHead() : HeadConfig.classification(task.numOutputs()))
                .withPooling(pooling);
        TaskModel model = variant.apply(new TaskModel(weights, spec.method().create(), head, spec.seed())
                .withInitialValues(initial));
        int maxPositions = weights.config().maxSequenceLength();
        // prompt tokens are injected after the embeddings and take no positions
        if (spec.maxLength() > maxPositions) {
            throw new IllegalArgumentException("max length (--max-length) " + spec.maxLength() + " exceeds the backbone's " + maxPositions
                    + " positions");
        }
        ModelInfo info = new ModelInfo(weights.origin(), model.method().id(), model.method().config(),
                model.method().promptTokens(), head.numOutputs(), head.regression(), head.dropout(), spec.seed(),
                describe(source, weights.config()), task.shortName(), task.labelNames(), spec.maxLength(),
                task.customSpec().map(dev.idspam.datasets.task.CustomTask::toJson).orElse(null));
        JsonObject described = info.toJson();
        described.addProperty(HEAD_POOLING, head.pooling().option()); // informational: the graphs have it built in
        ArtifactWriter writer = ArtifactWriter.forModel(model).optimizer(spec.optimizer()).modelInfo(described).build();
        // the method's settings are checked against the backbone while the graphs are built: before any file
        ArtifactGraphs graphs = writer.buildGraphs();
        try (FolderUpdate update = FolderUpdate.begin(spec.out())) {
            JsonObject tokenizer = TokenizerCopies.copyInto(source.tokenizer(), update.staging());
            Manifest manifest = writer.withTokenizer(tokenizer).stage(graphs, update);
            update.commit(ArtifactNames.MANIFEST, STALE_RUN_FILES);
            return new Artifacts(spec.out(), manifest);
        }
    }

    private static void requireFolder(Path out) throws IOException {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + ": --out must be a folder, this is a file");
        }
    }

    static ModelInfo.BackboneInfo describe(BackboneSource source, BackboneConfig c) {
        return new ModelInfo.BackboneInfo(source.id(), source.format().name(), source.model().toString(),
                source.mavenCoordinates(), c.family().name(), c.layers(), c.hidden(), c.heads(), c.intermediate(),
                c.vocabSize(), c.maxPositions(), c.typeVocabSize(), c.parameterCount());
    }
}
