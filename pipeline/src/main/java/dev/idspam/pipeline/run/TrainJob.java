package dev.idspam.pipeline.run;

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
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.BatchSource;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.TrainConfig;
import dev.idspam.runtime.TrainResult;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Step 2: trains the artifacts in a folder on a task's training split, evaluates every epoch on
 * the dev split, keeps the best epoch, and writes {@code report.json} and {@code report.md} there.
 * Frozen weights are verified bit-identical by comparing SHA-256 digests of every frozen tensor in
 * the initial and the trained checkpoints.
 */
public final class TrainJob {
    public static final String REPORT_JSON = "report.json";
    public static final String REPORT_MD = "report.md";
    /** The default cap of the prefix cache, in MiB ({@code --prefix-cache-max-mb}). */
    public static final int DEFAULT_PREFIX_CACHE_MAX_MB = 2048;
    /** The disk cache's scratch files, in the artifacts folder for the length of a run. */
    static final String TRAIN_CACHE_FILE = "prefix-cache-train.f32";
    static final String DEV_CACHE_FILE = "prefix-cache-dev.f32";

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
     * @param prefixCache     whether and where to cache the frozen prefix ({@link PrefixCacheUse})
     * @param prefixCacheMaxMb the prefix cache's cap in MiB
     * @param patience        stop after this many epochs without a better dev metric (0 = never)
     * @param minEpochs       early stopping waits until this many epochs are complete (0 = no wait; needs patience)
     */
    public record Spec(Path artifacts, List<Path> data, int epochs, int batchSize, double learningRate, double warmupRatio,
                       int accumulation, long seed, int maxTrainSamples, boolean resume, boolean skipBadRows,
                       boolean downloads, RunSettings run, PrefixCache.Mode prefixCache, int prefixCacheMaxMb,
                       int patience, int minEpochs) {
        /** Early stopping, if any, from the first epoch. */
        public Spec(Path artifacts, List<Path> data, int epochs, int batchSize, double learningRate, double warmupRatio,
                    int accumulation, long seed, int maxTrainSamples, boolean resume, boolean skipBadRows,
                    boolean downloads, RunSettings run, PrefixCache.Mode prefixCache, int prefixCacheMaxMb, int patience) {
            this(artifacts, data, epochs, batchSize, learningRate, warmupRatio, accumulation, seed, maxTrainSamples, resume,
                    skipBadRows, downloads, run, prefixCache, prefixCacheMaxMb, patience, 0);
        }

        /** Without early stopping. */
        public Spec(Path artifacts, List<Path> data, int epochs, int batchSize, double learningRate, double warmupRatio,
                    int accumulation, long seed, int maxTrainSamples, boolean resume, boolean skipBadRows,
                    boolean downloads, RunSettings run, PrefixCache.Mode prefixCache, int prefixCacheMaxMb) {
            this(artifacts, data, epochs, batchSize, learningRate, warmupRatio, accumulation, seed, maxTrainSamples, resume,
                    skipBadRows, downloads, run, prefixCache, prefixCacheMaxMb, 0);
        }

        /** With the prefix cache's defaults ({@code auto}, {@value #DEFAULT_PREFIX_CACHE_MAX_MB} MiB). */
        public Spec(Path artifacts, List<Path> data, int epochs, int batchSize, double learningRate, double warmupRatio,
                    int accumulation, long seed, int maxTrainSamples, boolean resume, boolean skipBadRows,
                    boolean downloads, RunSettings run) {
            this(artifacts, data, epochs, batchSize, learningRate, warmupRatio, accumulation, seed, maxTrainSamples, resume,
                    skipBadRows, downloads, run, PrefixCache.Mode.AUTO, DEFAULT_PREFIX_CACHE_MAX_MB);
        }

        public Spec {
            OptionRanges.check(patience, 0, OptionRanges.MAX_EPOCHS, "patience", "patience");
            OptionRanges.check(prefixCacheMaxMb, 1, OptionRanges.MAX_PREFIX_CACHE_MB, "prefix cache cap", "prefix-cache-max-mb");
            java.util.Objects.requireNonNull(prefixCache, "prefixCache");
            OptionRanges.check(epochs, 1, OptionRanges.MAX_EPOCHS, "epochs", "epochs");
            OptionRanges.check(minEpochs, 0, epochs, "minimum epochs", "min-epochs");
            if (minEpochs > 0 && patience == 0) {
                throw new IllegalArgumentException("--min-epochs " + minEpochs + " holds off early stopping, but there is"
                        + " none: set --patience too");
            }
            BatchingOptions.checkBatchSize(batchSize);
            OptionRanges.checkPositive(learningRate, "learning rate", "lr");
            OptionRanges.checkHalfOpen(warmupRatio, 0, 1, "warm-up ratio", "warmup-ratio");
            OptionRanges.check(accumulation, 1, OptionRanges.MAX_ACCUMULATION, "gradient accumulation", "grad-accumulation");
            OptionRanges.check(maxTrainSamples, 0, Integer.MAX_VALUE, "max train samples", "max-train-samples");
        }
    }

    /** What a finished run reports. */
    public record Outcome(RunReport report, Path reportJson, Path reportMarkdown) { }

    public static Outcome run(Spec spec, TrainingListener listener) throws IOException {
        Artifacts artifacts = Artifacts.open(spec.artifacts());
        ModelInfo model = ModelInfo.of(artifacts);
        Task task = task(artifacts);
        int maxLength = model.maxLength();
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
                .patience(spec.patience())
                .minEpochs(spec.minEpochs())
                .fingerprint(fingerprint(spec, task, train, dev))
                .build();
        long started = System.nanoTime();
        BatchSource trainSource = train.trainingSource(spec.batchSize(), spec.seed(), tokenTypes);
        BatchSource devSource = dev.evaluationSource(spec.batchSize(), tokenTypes);
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        TrainResult result;
        PrefixCacheUse cache = PrefixCacheUse.prepare(spec, artifacts, model, runtime, trainSource, devSource, l);
        try {
            result = new Trainer(runtime, artifacts, cfg, cache.active()).fit(cache.train(trainSource), cache.dev(devSource),
                    scoring.primaryAsEvalMetric(), l);
        } finally {
            cache.close();
        }
        double wall = (System.nanoTime() - started) / 1e9;

        Path best = result.bestCheckpoint() != null ? result.bestCheckpoint() : result.lastCheckpoint();
        Evaluate.Result finalEval = Evaluate.run(runtime, artifacts, best, dev, scoring, spec.batchSize(), tokenTypes);
        boolean frozenUnchanged = frozenUnchanged(artifacts.checkpoint(), best)
                && frozenUnchanged(artifacts.checkpoint(), result.lastCheckpoint());
        finalEval.writePredictions(spec.artifacts().resolve(Evaluate.PREDICTIONS));

        RunReport report = report(spec, artifacts, model, task, train, dev, result, finalEval.metrics(), frozenUnchanged, wall,
                runtime, finalEval.msPerExample());
        Path json = spec.artifacts().resolve(REPORT_JSON);
        Path md = spec.artifacts().resolve(REPORT_MD);
        AtomicFiles.writeString(json, report.toJson());
        Optional<byte[]> chart = RunReportMarkdown.tryLossChart(report);
        if (chart.isPresent()) {
            AtomicFiles.write(spec.artifacts().resolve(RunReportMarkdown.LOSS_CHART), chart.get());
        }
        AtomicFiles.writeString(md, RunReportMarkdown.render(report, chart.isPresent()));
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

    /** The task the artifacts were generated for ({@code model.task} in the manifest): the one place it is parsed. */
    static Task task(Artifacts artifacts) throws ArtifactFormatException {
        ModelInfo info = ModelInfo.of(artifacts);
        String name = info.task();
        if (info.customTask() != null) {
            java.nio.file.Path manifest = artifacts.directory().resolve(ArtifactNames.MANIFEST);
            try {
                return Task.custom(dev.idspam.datasets.task.CustomTask.fromJson(info.customTask(), manifest.getParent(),
                        manifest + ": field 'model.custom_task'"));
            } catch (java.io.IOException e) {
                throw new ArtifactFormatException(e.getMessage() + "; regenerate the artifacts", e);
            }
        }
        try {
            return Task.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ArtifactFormatException(artifacts.directory().resolve(ArtifactNames.MANIFEST) + ": field 'model.task': "
                    + e.getMessage() + "; regenerate the artifacts", e);
        }
    }

    /** The token budget the artifacts were generated with ({@code model.max_length}). */
    static int maxLength(Artifacts artifacts) throws ArtifactFormatException {
        return ModelInfo.of(artifacts).maxLength();
    }

    private static Map<String, String> frozenDigests(Checkpoint c) {
        Map<String, String> m = new LinkedHashMap<>();
        for (NamedTensor t : c.frozen()) {
            m.put(t.name(), t.data().sha256());
        }
        return m;
    }

    private static RunReport report(Spec spec, Artifacts artifacts, ModelInfo model, Task task, TaskData train,
                                    TaskData dev, TrainResult result, MetricResult metrics, boolean frozenUnchanged,
                                    double wall, NativeRuntime runtime, double evalMsPerSample) {
        JsonObject mc = model.methodConfig();
        Integer layer = mc.has("layer") ? mc.get("layer").getAsInt() : null;
        double trainSeconds = 0;
        double secondsToBest = 0;
        for (EpochSummary e : result.history()) {
            trainSeconds += e.trainSeconds();
            if (e.epoch() <= result.bestEpoch()) {
                secondsToBest += e.seconds();
            }
        }
        long samplesSeen = (long) train.size() * result.history().size();
        List<RunReport.EpochRecord> history = new ArrayList<>();
        for (EpochSummary e : result.history()) {
            boolean scored = e.dev() != null;
            history.add(new RunReport.EpochRecord(e.epoch() + 1, round(e.trainLoss()), scored ? round(e.dev().loss()) : null,
                    scored ? e.dev().metricName() : null, scored ? round(e.dev().metric()) : null, e.best(),
                    round(e.seconds()), round(e.trainSeconds())));
        }
        return new RunReport(task.shortName(), model.method(), mc, model.backbone().id(), layer, spec.seed(),
                spec.epochs(), result.bestEpoch() + 1, metrics.values(), metrics.primary(),
                artifacts.manifest().trainable().elements(), artifacts.manifest().frozen().elements(), frozenUnchanged,
                round(trainSeconds), round(samplesSeen / Math.max(trainSeconds, 1e-9)), round(secondsToBest),
                round(evalMsPerSample), round(wall), train.size(), train.read().size(), train.read().skippedRows(),
                dev.size(), dev.read().skippedRows(), spec.batchSize(), spec.accumulation(), spec.learningRate(),
                spec.warmupRatio(), artifacts.manifest().optimizer().weightDecay(), model.maxLength(),
                runtime.device().name(), runtime.config().intraOpThreads(), runtime.version(), history,
                Instant.now().toString(), Generate.headPooling(artifacts.manifest().model()), spec.patience() > 0 ? spec.patience() : null,
                spec.minEpochs() > 0 ? spec.minEpochs() : null);
    }


    static double round(double v) {
        return Double.isFinite(v) ? Double.parseDouble(String.format(Locale.ROOT, "%.6g", v)) : v;
    }
}
