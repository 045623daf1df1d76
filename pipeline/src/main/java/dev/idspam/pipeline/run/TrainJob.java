package dev.idspam.pipeline.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.datasets.batch.BatchingOptions;
import dev.idspam.datasets.locate.DataLocator;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.eval.metrics.MetricResult;
import dev.idspam.graphs.artifacts.ArtifactFormatException;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainConfig;
import dev.idspam.runtime.TrainResult;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Step 2: trains the artifacts in a folder on a task's training split, evaluates every epoch on
 * the dev split, keeps the best epoch, and writes {@code report.json} and {@code report.md} there.
 * Frozen weights are verified bit-identical by comparing SHA-256 digests of every frozen tensor in
 * the initial and the trained checkpoints.
 */
public final class TrainJob {
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MD = "report.md";
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private TrainJob() {
    }

    /**
     * @param artifacts       the artifacts folder (checkpoints and reports are written there too)
     * @param data            the data folders, searched in order before the download cache (see {@link DataLocator})
     * @param epochs          passes over the training set
     * @param batchSize       examples per micro-batch
     * @param learningRate    peak learning rate
     * @param warmupRatio     linear warm-up share of the updates
     * @param accumulation    micro-batches per update
     * @param seed            data order, dropout and subset seed
     * @param maxTrainSamples 0 = the whole training split, else a seeded subset
     * @param resume          continue from {@code last.ckpt} when present
     * @param skipBadRows     skip (and count) malformed rows instead of failing
     * @param downloads       allow downloading the public data when it is not found locally
     */
    public record Spec(Path artifacts, List<Path> data, int epochs, int batchSize, double learningRate, double warmupRatio,
                       int accumulation, long seed, int maxTrainSamples, boolean resume, boolean skipBadRows,
                       boolean downloads, RunSettings run) {
        public Spec {
            OptionRanges.check(epochs, 1, OptionRanges.MAX_EPOCHS, "epochs", "epochs");
            BatchingOptions.checkBatchSize(batchSize);
            OptionRanges.checkPositive(learningRate, "learning rate", "lr");
            OptionRanges.checkHalfOpen(warmupRatio, 0, 1, "warm-up ratio", "warmup-ratio");
            OptionRanges.check(accumulation, 1, OptionRanges.MAX_ACCUMULATION, "gradient accumulation", "grad-accumulation");
            OptionRanges.check(maxTrainSamples, 0, Integer.MAX_VALUE, "max train samples", "max-train-samples");
        }
    }

    /** What a finished run reports. */
    public record Outcome(JsonObject report, Path reportJson, Path reportMarkdown) { }

    public static Outcome run(Spec spec, TrainingListener listener) throws IOException {
        Artifacts artifacts = Artifacts.open(spec.artifacts());
        Task task = task(artifacts);
        int maxLength = maxLength(artifacts);
        boolean tokenTypes = artifacts.manifest().trainInputNames().contains(TaskModel.TOKEN_TYPE_IDS);
        DataLocator locator = locator(spec.data(), spec.downloads());
        ReadOptions read = spec.skipBadRows() ? ReadOptions.skipBadRows(true) : ReadOptions.strict();

        TaskData train;
        TaskData dev;
        try (TextTokenizer tokenizer = TokenizerCopies.open(artifacts.manifest().tokenizer(), artifacts.directory())) {
            train = TaskData.load(task, Split.TRAIN, locator, read, tokenizer, maxLength).sample(spec.maxTrainSamples(), spec.seed());
            dev = TaskData.load(task, Split.DEV, locator, read, tokenizer, maxLength);
        }
        Scoring scoring = new Scoring(task, dev.examples());

        NativeRuntime runtime = NativeRuntime.install(spec.run().runtimeConfig());
        TrainConfig cfg = TrainConfig.builder(spec.artifacts())
                .epochs(spec.epochs())
                .learningRate(spec.learningRate())
                .warmupRatio(spec.warmupRatio())
                .gradientAccumulationSteps(spec.accumulation())
                .seed(spec.seed())
                .resume(spec.resume())
                .fingerprint(fingerprint(spec, task, train, dev))
                .build();
        long started = System.nanoTime();
        TrainResult result = new Trainer(runtime, artifacts, cfg).fit(
                train.trainingSource(spec.batchSize(), spec.seed(), tokenTypes),
                dev.evaluationSource(spec.batchSize(), tokenTypes), scoring.primaryAsEvalMetric(), listener);
        double wall = (System.nanoTime() - started) / 1e9;

        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        Evaluate.Result finalEval = Evaluate.run(runtime, artifacts, best, dev, scoring, spec.batchSize(), tokenTypes);
        boolean frozenUnchanged = frozenUnchanged(artifacts.checkpoint(), best)
                && frozenUnchanged(artifacts.checkpoint(), result.lastCheckpoint());
        finalEval.writePredictions(spec.artifacts().resolve(Evaluate.PREDICTIONS));

        JsonObject report = report(spec, artifacts, task, train, dev, result, finalEval.metrics(), frozenUnchanged, wall,
                runtime, finalEval.msPerExample());
        Path json = spec.artifacts().resolve(REPORT_JSON);
        Path md = spec.artifacts().resolve(REPORT_MD);
        AtomicFiles.writeString(json, GSON.toJson(report) + "\n");
        AtomicFiles.writeString(md, RunReportMarkdown.render(report));
        return new Outcome(report, json, md);
    }

    public static DataLocator locator(List<Path> data, boolean downloads) {
        return downloads ? DataLocator.builder().dataDirs(data).downloads(true).build() : DataLocator.offline(data);
    }

    /** True when every frozen tensor of {@code trained} has the same digest as in {@code initial}. */
    public static boolean frozenUnchanged(Path initial, Path trained) throws IOException {
        Map<String, String> before = frozenDigests(Checkpoint.read(initial));
        Map<String, String> after = frozenDigests(Checkpoint.read(trained));
        return before.equals(after);
    }

    /**
     * What determines a run besides what the trainer sees itself (learning rate, warm-up, accumulation,
     * epochs, seed, batches per epoch, the training graph): the task, the data files' contents, and
     * the options that select and batch the examples. Saved with the run state; a resume with another
     * value for any item is refused, naming it.
     */
    static Map<String, String> fingerprint(Spec spec, Task task, TaskData train, TaskData dev) throws IOException {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("task", task.shortName());
        f.put("training data", train.fingerprint());
        f.put("dev data", dev.fingerprint());
        f.put("--max-train-samples", Integer.toString(spec.maxTrainSamples()));
        f.put("--batch-size", Integer.toString(spec.batchSize()));
        f.put("--skip-bad-rows", Boolean.toString(spec.skipBadRows()));
        return f;
    }

    /** The task the artifacts were generated for ({@code model.task} in the manifest). */
    static Task task(Artifacts artifacts) throws ArtifactFormatException {
        com.google.gson.JsonElement t = artifacts.manifest().model().get("task");
        if (t == null || !t.isJsonPrimitive()) {
            throw new ArtifactFormatException(artifacts.directory().resolve(ArtifactNames.MANIFEST)
                    + ": field 'model.task' is missing; regenerate the artifacts");
        }
        try {
            return Task.parse(t.getAsString());
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException(artifacts.directory().resolve(ArtifactNames.MANIFEST) + ": field 'model.task': "
                    + e.getMessage() + "; regenerate the artifacts", e);
        }
    }

    /** The token budget the artifacts were generated with ({@code model.max_length}). */
    static int maxLength(Artifacts artifacts) throws ArtifactFormatException {
        com.google.gson.JsonElement m = artifacts.manifest().model().get("max_length");
        if (m == null || !m.isJsonPrimitive() || !m.getAsJsonPrimitive().isNumber() || m.getAsInt() < 1) {
            throw new ArtifactFormatException(artifacts.directory().resolve(ArtifactNames.MANIFEST)
                    + ": field 'model.max_length' is missing or not a positive number; regenerate the artifacts");
        }
        return m.getAsInt();
    }

    private static Map<String, String> frozenDigests(Checkpoint c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (NamedTensor t : c.frozen()) {
            m.put(t.name(), t.data().sha256());
        }
        return m;
    }

    private static JsonObject report(Spec spec, Artifacts artifacts, Task task, TaskData train, TaskData dev,
                                     TrainResult result, MetricResult metrics, boolean frozenUnchanged, double wall,
                                     NativeRuntime runtime, double evalMsPerSample) {
        JsonObject model = artifacts.manifest().model();
        JsonObject r = new JsonObject();
        r.addProperty("task", task.shortName());
        r.addProperty("method", model.get("method").getAsString());
        r.add("method_config", model.get("method_config"));
        r.addProperty("backbone", model.getAsJsonObject("backbone").get("id").getAsString());
        JsonObject mc = model.getAsJsonObject("method_config");
        if (mc.has("layer")) {
            r.addProperty("layer", mc.get("layer").getAsInt());
        }
        r.addProperty("seed", spec.seed());
        r.addProperty("epochs", spec.epochs());
        r.addProperty("best_epoch", result.bestEpoch() + 1);
        JsonObject devMetrics = new JsonObject();
        metrics.values().forEach(devMetrics::addProperty);
        r.add("dev_metrics", devMetrics);
        r.addProperty("primary_metric", metrics.primary());
        r.addProperty("trainable_params", artifacts.manifest().trainable().elements());
        r.addProperty("frozen_params", artifacts.manifest().frozen().elements());
        r.addProperty("frozen_weights_unchanged", frozenUnchanged);
        double trainSeconds = 0;
        double secondsToBest = 0;
        for (EpochSummary e : result.history()) {
            trainSeconds += e.trainSeconds();
            if (e.epoch() <= result.bestEpoch()) {
                secondsToBest += e.seconds();
            }
        }
        long samplesSeen = (long) train.size() * result.history().size();
        r.addProperty("train_seconds", round(trainSeconds));
        r.addProperty("train_samples_per_second", round(samplesSeen / Math.max(trainSeconds, 1e-9)));
        r.addProperty("seconds_to_best_epoch", round(secondsToBest));
        r.addProperty("eval_ms_per_sample", round(evalMsPerSample));
        r.addProperty("wall_seconds", round(wall));
        r.addProperty("train_samples", train.size());
        r.addProperty("train_split_size", train.read().size());
        r.addProperty("train_skipped_rows", train.read().skippedRows());
        r.addProperty("dev_samples", dev.size());
        r.addProperty("dev_skipped_rows", dev.read().skippedRows());
        r.addProperty("batch_size", spec.batchSize());
        r.addProperty("gradient_accumulation", spec.accumulation());
        r.addProperty("learning_rate", spec.learningRate());
        r.addProperty("warmup_ratio", spec.warmupRatio());
        r.addProperty("weight_decay", artifacts.manifest().optimizer().weightDecay());
        r.addProperty("max_length", model.get("max_length").getAsInt());
        r.addProperty("device", runtime.device().name());
        r.addProperty("threads", runtime.config().intraOpThreads());
        r.addProperty("onnxruntime", runtime.version());
        JsonArray history = new JsonArray();
        for (EpochSummary e : result.history()) {
            JsonObject h = new JsonObject();
            h.addProperty("epoch", e.epoch() + 1);
            h.addProperty("train_loss", round(e.trainLoss()));
            if (e.dev() != null) {
                h.addProperty("dev_loss", round(e.dev().loss()));
                h.addProperty("dev_" + e.dev().metricName(), round(e.dev().metric()));
            }
            h.addProperty("best", e.best());
            h.addProperty("seconds", round(e.seconds()));
            h.addProperty("train_seconds", round(e.trainSeconds()));
            history.add(h);
        }
        r.add("history", history);
        r.addProperty("finished_at", Instant.now().toString());
        return r;
    }

    static double round(double v) {
        return Double.isFinite(v) ? Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)) : v;
    }
}
