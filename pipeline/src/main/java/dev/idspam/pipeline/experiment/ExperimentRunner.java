package dev.idspam.pipeline.experiment;

import dev.idspam.datasets.task.Task;
import dev.idspam.eval.metrics.MetricResult;
import dev.idspam.eval.report.GeneratedReport;
import dev.idspam.eval.store.CellKey;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.pipeline.run.Evaluate;
import dev.idspam.pipeline.run.Generate;
import dev.idspam.pipeline.run.MethodReports;
import dev.idspam.pipeline.run.RunReport;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Runs an {@link ExperimentSpec} cell by cell, sequentially, appending one record per finished run
 * to an append-only results store and skipping cells the store already holds, so an interrupted
 * experiment resumes where it stopped (a cell killed mid-run continues from its last epoch
 * checkpoint). Reports are regenerated from the store at the end.
 */
public final class ExperimentRunner {
    public static final String STORE = "results.jsonl";

    /** One in-task cell of the grid. */
    record Cell(ExperimentSpec.MethodEntry method, Integer layer, ExperimentSpec.TaskEntry task, double lr, int batchSize,
                double weightDecay, long seed) { }

    private final ExperimentSpec spec;
    private final Path out;
    private final List<Path> data;
    private final RunSettings settings;
    private final boolean keepCheckpoints;
    private final PrintStream log;
    private final TrainingListener runListener;

    /**
     * @param log         one line per cell and its result
     * @param runListener each training run's progress and notes (what the prefix cache does, each epoch's
     *                    losses), for example {@code experiment --verbose}
     */
    public ExperimentRunner(ExperimentSpec spec, Path out, List<Path> data, RunSettings settings, boolean keepCheckpoints,
                            PrintStream log, TrainingListener runListener) {
        this.spec = spec;
        this.out = out;
        this.data = data;
        this.settings = settings;
        this.keepCheckpoints = keepCheckpoints;
        this.log = log;
        this.runListener = java.util.Objects.requireNonNull(runListener, "runListener");
    }

    /** Cells in run order: task by task, then method, layer, hyperparameters and seed. */
    List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (ExperimentSpec.TaskEntry t : spec.tasks()) {
            for (ExperimentSpec.MethodEntry m : spec.methods()) {
                for (Integer layer : m.layers()) {
                    for (double lr : m.learningRates(spec.learningRates())) {
                        for (int bs : spec.batchSizes()) {
                            for (double wd : spec.weightDecays()) {
                                for (long seed : spec.seeds()) {
                                    cells.add(new Cell(m, layer, t, lr, bs, wd, seed));
                                }
                            }
                        }
                    }
                }
            }
        }
        return cells;
    }

    CellKey key(Cell c, Task task, ExperimentSpec.TransferEntry transfer) {
        Map<String, String> hp = new TreeMap<>();
        hp.put("lr", Double.toString(c.lr()));
        hp.put("batch_size", Integer.toString(c.batchSize()));
        hp.put("weight_decay", Double.toString(c.weightDecay()));
        hp.put("epochs", Integer.toString(transfer != null && transfer.shots() > 0 ? transfer.epochs() : c.task().epochs()));
        hp.put("prompt_tokens", Integer.toString(promptTokens(c)));
        // options an entry sets itself tell its cells apart; entries without any keep the keys they always had
        c.method().options().forEach((name, v) -> {
            if (!name.equals(MethodSettings.PROMPT_TOKENS.name())) {
                hp.put(name.replace('-', '_'), v.toString());
            }
        });
        hp.put("max_length", Integer.toString(spec.maxLength()));
        if (c.task().maxTrainSamples() > 0) {
            hp.put("max_train_samples", Integer.toString(c.task().maxTrainSamples()));
        }
        // settings that change results get a key only when not at their default, so earlier stores keep their cells
        if (c.task().patience() > 0 && transfer == null) {
            hp.put("patience", Integer.toString(c.task().patience()));
            if (c.task().minEpochs() > 0) {
                hp.put("min_epochs", Integer.toString(c.task().minEpochs()));
            }
        }
        if (spec.headPooling() != null && spec.headPooling() != HeadConfig.Pooling.FIRST) {
            hp.put("head_pooling", spec.headPooling().option());
        }
        CellKey.Builder b = CellKey.builder().method(c.method().method()).task(task.shortName()).backbone(spec.backbone())
                .layer(c.layer()).seed(c.seed()).hyperparameters(hp);
        if (transfer != null) {
            b.transfer(transfer.source().shortName(), transfer.shots());
        }
        return b.build();
    }

    private Path cellDir(Cell c) {
        StringBuilder options = new StringBuilder();
        c.method().options().forEach((k, v) -> options.append('-').append(k).append(v));
        String name = String.format(Locale.ROOT, "%s-%s%s%s-lr%s-b%d-wd%s-s%d", c.task().task().shortName(), c.method().method(),
                c.layer() == null ? "" : "-m" + c.layer(), options, c.lr(), c.batchSize(), c.weightDecay(), c.seed());
        return out.resolve("runs").resolve(name);
    }

    /** Runs every missing cell, then the transfers, then regenerates the reports. */
    public GeneratedReport run(boolean dryRun) throws IOException {
        Files.createDirectories(out);
        ResultsStore store = new ResultsStore(out.resolve(STORE));
        List<Cell> cells = cells();
        int missing = 0;
        for (Cell c : cells) {
            if (!store.contains(key(c, c.task().task(), null))) {
                missing++;
            }
        }
        log.printf(Locale.ROOT, "experiment %s: %d cells, %d already in %s, %d to run%n", spec.id(), cells.size(),
                cells.size() - missing, store.file(), missing);
        if (dryRun) {
            cells.forEach(c -> log.println("  " + key(c, c.task().task(), null)));
            return null;
        }
        BackboneSource source = BackboneCatalog.resolve(spec.backbone());
        BackboneWeights weights = source.load();
        NativeRuntime runtime = NativeRuntime.install(settings.runtimeConfig());
        int done = 0;
        for (Cell c : cells) {
            done++;
            CellKey key = key(c, c.task().task(), null);
            boolean needed = !store.contains(key);
            boolean sourceOfTransfer = spec.transfers().stream().anyMatch(x -> x.source() == c.task().task());
            if (!needed && !(sourceOfTransfer && transfersMissing(store, c))) {
                continue;
            }
            Path dir = cellDir(c);
            if (needed) {
                log.printf(Locale.ROOT, "[%d/%d] %s%n", done, cells.size(), key.configLabel() + " " + key.method() + " "
                        + key.task() + " seed " + key.seed());
                RunReport report = trainCell(c, dir, source, weights);
                store.append(record(key, report, null));
            }
            if (sourceOfTransfer) {
                runTransfers(store, c, dir, source, weights, runtime);
            }
            if (!keepCheckpoints) {
                deleteCheckpoints(dir);
            }
        }
        GeneratedReport report = MethodReports.generator().generate(store.file(), out.resolve("report"));
        log.println("report: " + report.index());
        return report;
    }

    private boolean transfersMissing(ResultsStore store, Cell c) throws IOException {
        for (ExperimentSpec.TransferEntry x : spec.transfers()) {
            if (x.source() == c.task().task() && !store.contains(key(c, x.target(), x))) {
                return true;
            }
        }
        return false;
    }

    private RunReport trainCell(Cell c, Path dir, BackboneSource source, BackboneWeights weights) throws IOException {
        boolean resumable = Files.exists(dir.resolve("manifest.json")) && Files.exists(dir.resolve(Trainer.LAST_CHECKPOINT));
        if (!resumable) {
            MethodSpec ms = methodSpec(c);
            Generate.run(new Generate.Spec(spec.backbone(), ms, c.task().task(), c.seed(),
                    AdamWConfig.defaults().withWeightDecay((float) c.weightDecay()), spec.maxLength(), dir, spec.headPooling()),
                    source, weights);
        } else {
            log.println("  resuming from " + dir.resolve(Trainer.LAST_CHECKPOINT));
        }
        TrainJob.Spec ts = new TrainJob.Spec(dir, data, c.task().epochs(), c.batchSize(), c.lr(), 0.06, 1, c.seed(),
                c.task().maxTrainSamples(), resumable, false, false, settings, PrefixCache.Mode.AUTO,
                TrainJob.DEFAULT_PREFIX_CACHE_MAX_MB, c.task().patience(),
                c.task().minEpochs());
        TrainJob.Outcome o = TrainJob.run(ts, runListener);
        RunReport r = o.report();
        log.printf(Locale.ROOT, "  -> %s %.4f, %.1f samples/s, %.0f s, frozen unchanged %s%n", r.primaryMetric(),
                r.primaryValue(), r.trainSamplesPerSecond(), r.trainSeconds(), r.frozenWeightsUnchanged());
        if (!r.frozenWeightsUnchanged()) {
            throw new IllegalStateException(dir + ": frozen backbone weights changed during training");
        }
        return o.report();
    }

    /** The method of a cell: the entry's options, the cell's layer, the spec's prompt length unless the entry sets one. */
    MethodSpec methodSpec(Cell c) {
        Map<String, Number> values = new java.util.LinkedHashMap<>(c.method().options());
        MethodSpec d = MethodSpec.defaults(c.method().method());
        if (d.reads(MethodSettings.PROMPT_TOKENS.name())) {
            values.putIfAbsent(MethodSettings.PROMPT_TOKENS.name(), spec.promptTokens());
        }
        if (c.layer() != null) {
            values.put(MethodSettings.LAYER.name(), c.layer());
        }
        return MethodSpec.of(c.method().method(), values);
    }

    /** The prompt length of a cell's runs: the entry's own, else the spec's. */
    private int promptTokens(Cell c) {
        Number own = c.method().options().get(MethodSettings.PROMPT_TOKENS.name());
        return own == null ? spec.promptTokens() : own.intValue();
    }

    private void runTransfers(ResultsStore store, Cell c, Path dir, BackboneSource source, BackboneWeights weights,
                              NativeRuntime runtime) throws IOException {
        Artifacts artifacts = Artifacts.open(dir);
        Path best = Evaluate.defaultCheckpoint(artifacts);
        for (ExperimentSpec.TransferEntry x : spec.transfers()) {
            if (x.source() != c.task().task()) {
                continue;
            }
            CellKey key = key(c, x.target(), x);
            if (store.contains(key)) {
                continue;
            }
            log.printf(Locale.ROOT, "  transfer %s -> %s (%s)%n", x.source().shortName(), x.target().shortName(),
                    x.shots() == 0 ? "zero-shot" : x.shots() + "-shot");
            if (x.shots() == 0) {
                long t0 = System.nanoTime();
                Evaluate.Result r = Evaluate.transfer(runtime, artifacts, best, x.target(), data, c.batchSize());
                RunRecord.Builder rb = RunRecord.builder().experiment(spec.id()).cell(key).metrics(r.metrics().values())
                        .primaryMetric(r.metrics().primary())
                        .params(artifacts.manifest().trainable().elements(), artifacts.manifest().frozen().elements())
                        .inferenceMsPerSample(r.msPerExample()).device(settings.deviceLabel()).timestamp(Instant.now());
                store.append(rb.build());
                log.printf(Locale.ROOT, "  -> %s %.4f (%.0f s)%n", r.metrics().primary(), r.metrics().primaryValue(),
                        (System.nanoTime() - t0) / 1e9);
            } else {
                Map<String, TensorData> trained = new LinkedHashMap<>();
                for (NamedTensor t : Checkpoint.read(best).trainable()) {
                    trained.put(t.name(), t.data());
                }
                Path fewDir = dir.resolveSibling(dir.getFileName() + "-to-" + x.target().shortName() + "-" + x.shots());
                Generate.run(new Generate.Spec(spec.backbone(), methodSpec(c), x.target(), c.seed(),
                        AdamWConfig.defaults().withWeightDecay((float) c.weightDecay()), spec.maxLength(), fewDir), source,
                        weights, trained);
                TrainJob.Outcome o = TrainJob.run(new TrainJob.Spec(fewDir, data, x.epochs(), Math.min(c.batchSize(), x.shots()),
                        c.lr(), 0.06, 1, c.seed(), x.shots(), false, false, false, settings), TrainingListener.NONE);
                Evaluate.Result r = Evaluate.transfer(runtime, Artifacts.open(fewDir), Evaluate.defaultCheckpoint(Artifacts.open(fewDir)),
                        x.target(), data, c.batchSize());
                store.append(record(key, o.report(), r.metrics()));
                if (!keepCheckpoints) {
                    deleteCheckpoints(fewDir);
                }
            }
        }
    }

    /** The store record of a training run; {@code scored} replaces the report's dev metrics (transfer runs). */
    private RunRecord record(CellKey key, RunReport report, MetricResult scored) {
        Map<String, Double> metrics = scored != null ? scored.values() : report.devMetrics();
        RunRecord.Builder b = RunRecord.builder().experiment(spec.id()).cell(key).metrics(metrics)
                .primaryMetric(scored != null ? scored.primary() : report.primaryMetric())
                .params(report.trainableParams(), report.frozenParams())
                .trainSeconds(report.trainSeconds())
                .trainSamplesPerSecond(report.trainSamplesPerSecond())
                .inferenceMsPerSample(report.evalMsPerSample())
                .bestEpoch(report.bestEpoch(), report.secondsToBestEpoch())
                .device(settings.deviceLabel()).timestamp(Instant.now());
        int used = report.trainSamples();
        int all = report.trainSplitSize();
        if (used < all) {
            b.trainSubset(String.format(Locale.ROOT, "seeded random %,d of %,d training examples", used, all));
        }
        return b.build();
    }

    private static void deleteCheckpoints(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                String n = p.getFileName().toString();
                if (n.endsWith(".ckpt") || n.endsWith(".ckpt" + CheckpointSeal.SUFFIX) || n.equals("checkpoint")) {
                    Files.delete(p);
                }
            }
        }
    }
}
