package dev.idspam.pipeline.bench;

import dev.idspam.datasets.batch.Batcher;
import dev.idspam.datasets.batch.BatchingOptions;
import dev.idspam.datasets.batch.EncodedDataset;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.Generate;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.pipeline.run.TaskData;
import dev.idspam.pipeline.run.TokenizerCopies;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.InferenceModel;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.TrainingSession;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Measures, in one process and on the same batches: training throughput of several methods
 * (trainStep + optimizerStep), inference throughput of the exported ID-SPAM graph and of the
 * original backbone model, and peak resident memory. Calls of different kinds alternate over
 * repetitions so that drifting machine load affects them alike.
 */
public final class TrainingBenchmark {
    /**
     * Settings; {@code data} (the data folders) is null to measure the fixed workload only.
     * {@code dumpBatches}, when not null, is a folder that receives every workload's batches
     * ({@link BatchDump}) before anything is timed, so that another implementation can be timed on
     * the same batches; null writes none. {@code everyRow} also times every method built with its
     * last layer computing every row ({@link TaskModel#everyRow()}), as {@code <id>/every-row}, so
     * that what the one-row last layer saves is measured side by side.
     */
    public record Spec(String backbone, List<MethodSpec> methods, int batchSize, int seqLen, int warmup, int repetitions,
                       List<Path> data, Path work, Path dumpBatches, RunSettings run, boolean everyRow) {
        public Spec(String backbone, List<MethodSpec> methods, int batchSize, int seqLen, int warmup, int repetitions,
                    List<Path> data, Path work, Path dumpBatches, RunSettings run) {
            this(backbone, methods, batchSize, seqLen, warmup, repetitions, data, work, dumpBatches, run, false);
        }
    }

    /** The suffix of a method's every-row variant ({@link Spec#everyRow()}). */
    public static final String EVERY_ROW = "/every-row";

    /** One measured line. */
    public record Row(String workload, String what, double samplesPerSecond, double msPerBatch) { }

    /**
     * The measured lines, and the peak resident memory while the first ID-SPAM method trained on the
     * fixed workload with no other session open (the peak is reset after generation; -1 where
     * {@code /proc} cannot do that, or without an ID-SPAM method).
     */
    public record Outcome(List<Row> rows, long idspamTrainingPeakRssBytes) { }

    private TrainingBenchmark() {
    }

    public static Outcome run(Spec spec, PrintStream log) throws IOException {
        NativeRuntime runtime = NativeRuntime.install(spec.run().runtimeConfig());
        BackboneSource source = BackboneCatalog.resolve(spec.backbone());
        BackboneWeights weights = source.load();
        Files.createDirectories(spec.work());
        Map<String, Artifacts> artifacts = new LinkedHashMap<>();
        for (MethodSpec m : spec.methods()) {
            Path dir = spec.work().resolve(m.id());
            log.printf(Locale.ROOT, "generating %s ...%n", m.id());
            Generate.Spec g = new Generate.Spec(spec.backbone(), m, Task.SST2, 1, AdamWConfig.defaults(),
                    Math.max(spec.seqLen(), 128), dir);
            artifacts.put(m.id(), Generate.run(g, source, weights));
            if (spec.everyRow()) {
                Path every = spec.work().resolve(m.id() + "-every-row");
                artifacts.put(m.id() + EVERY_ROW, Generate.run(new Generate.Spec(g.backbone(), m, g.task(), g.seed(),
                        g.optimizer(), g.maxLength(), every), source, weights, Map.of(), TaskModel::everyRow));
            }
        }
        Map<String, List<Batch>> workloads = new LinkedHashMap<>();
        workloads.put(String.format(Locale.ROOT, "fixed %dx%d", spec.batchSize(), spec.seqLen()),
                fixedBatches(spec, weights.config().vocabSize()));
        if (spec.data() != null) {
            Artifacts any = artifacts.values().iterator().next();
            workloads.put("SST-2 lengths", sst2Batches(spec, any));
        }
        if (spec.dumpBatches() != null) {
            Map<String, Object> about = new LinkedHashMap<>();
            about.put("backbone", spec.backbone());
            about.put("batch_size", spec.batchSize());
            about.put("seq_len", spec.seqLen());
            BatchDump.write(spec.dumpBatches(), workloads, about);
            log.printf(Locale.ROOT, "wrote the batches of %d workloads to %s%n", workloads.size(), spec.dumpBatches());
        }
        // the original backbone model as shipped, for the inference baseline (backbones shipped as ONNX only)
        Path original = null;
        if (source.format() == BackboneSource.Format.ONNX) {
            original = spec.work().resolve("backbone.onnx");
            AtomicFiles.write(original, source.model().readAllBytes());
        } else {
            log.printf(Locale.ROOT, "no inference baseline: backbone %s is not shipped as ONNX (%s)%n", spec.backbone(),
                    source.format());
        }

        List<Row> rows = new ArrayList<>();
        // the proposed method, or else one of its ablations
        String idspam = spec.methods().stream().map(MethodSpec::id)
                .filter(id -> MethodRegistry.get(id).role() != MethodProvider.Role.BASELINE).findFirst().orElse(null);
        Path exported = null;
        Map<String, Path> variants = new java.util.TreeMap<>();
        if (idspam != null) {
            exported = spec.work().resolve("idspam-inference.onnx");
            try (TrainingSession s = TrainingSession.open(runtime, artifacts.get(idspam), artifacts.get(idspam).checkpoint())) {
                s.exportForInference(exported, List.of(TaskModel.LOGITS));
            }
            if (spec.everyRow()) {
                Path every = spec.work().resolve("idspam-inference-every-row.onnx");
                Artifacts a = artifacts.get(idspam + EVERY_ROW);
                try (TrainingSession s = TrainingSession.open(runtime, a, a.checkpoint())) {
                    s.exportForInference(every, List.of(TaskModel.LOGITS));
                }
                variants.put(EVERY_ROW.substring(1), every);
            }
            // the export's graph options, each a rewrite of the same exported graph
            for (Map.Entry<String, Export.GraphOptions> v : Map.of("fused", new Export.GraphOptions(true, false),
                    "int8", new Export.GraphOptions(false, true)).entrySet()) {
                Path p = spec.work().resolve("idspam-inference-" + v.getKey() + ".onnx");
                Files.copy(exported, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                Export.rewrite(p, weights.config().layers(), weights.config().heads(), v.getValue());
                variants.put(v.getKey(), p);
            }
        }
        long trainingPeak = -1;
        if (idspam != null) {
            List<Batch> fixed = workloads.values().iterator().next();
            System.gc();
            if (resetPeakRss()) {
                try (TrainingSession s = TrainingSession.open(runtime, artifacts.get(idspam), artifacts.get(idspam).checkpoint())) {
                    s.setLearningRate(1e-5f);
                    timeTraining(s, fixed);
                    timeTraining(s, fixed);
                }
                trainingPeak = peakRssBytes();
            }
        }
        for (Map.Entry<String, List<Batch>> w : workloads.entrySet()) {
            List<Batch> batches = w.getValue();
            long samples = batches.stream().mapToLong(Batch::rows).sum();
            Map<String, Double> seconds = new LinkedHashMap<>();
            List<AutoCloseable> open = new ArrayList<>();
            try {
                Map<String, TrainingSession> sessions = new LinkedHashMap<>();
                Map<String, List<Batch>> fed = new LinkedHashMap<>();
                for (Map.Entry<String, Artifacts> a : artifacts.entrySet()) {
                    TrainingSession s = TrainingSession.open(runtime, a.getValue(), a.getValue().checkpoint());
                    s.setLearningRate(1e-5f);
                    open.add(s);
                    sessions.put("train " + a.getKey(), s);
                    fed.put("train " + a.getKey(), batches);
                    if (a.getValue().hasPrefixCacheGraphs()) {
                        // epochs after the cache is built: the suffix graphs on X_m computed beforehand
                        List<Batch> withXm = new ArrayList<>();
                        try (PrefixCache.Model prefix = PrefixCache.Model.open(runtime, a.getValue())) {
                            batches.forEach(b -> withXm.add(prefix.withPrefix(b)));
                        }
                        TrainingSession c = TrainingSession.open(runtime, a.getValue(), a.getValue().checkpoint(), true);
                        c.setLearningRate(1e-5f);
                        open.add(c);
                        String name = "train " + a.getKey() + " (prefix cache)";
                        sessions.put(name, c);
                        fed.put(name, withXm);
                    }
                }
                InferenceModel base = original == null ? null : InferenceModel.open(runtime, original);
                if (base != null) {
                    open.add(base);
                }
                InferenceModel exp = exported == null ? null : InferenceModel.open(runtime, exported);
                if (exp != null) {
                    open.add(exp);
                }
                Map<String, InferenceModel> rewritten = new LinkedHashMap<>();
                for (Map.Entry<String, Path> v : variants.entrySet()) {
                    InferenceModel im = InferenceModel.open(runtime, v.getValue());
                    open.add(im);
                    rewritten.put("inference exported " + idspam + " (" + v.getKey() + ")", im);
                }
                for (int rep = -spec.warmup(); rep < spec.repetitions(); rep++) {
                    for (Map.Entry<String, TrainingSession> s : sessions.entrySet()) {
                        double t = timeTraining(s.getValue(), fed.get(s.getKey()));
                        if (rep >= 0) {
                            seconds.merge(s.getKey(), t, Double::sum);
                        }
                    }
                    if (base != null) {
                        double tb = timeInference(base, batches);
                        if (rep >= 0) {
                            seconds.merge("inference backbone (original ONNX)", tb, Double::sum);
                        }
                    }
                    if (exp != null) {
                        double te = timeInference(exp, batches);
                        if (rep >= 0) {
                            seconds.merge("inference exported " + idspam, te, Double::sum);
                        }
                    }
                    for (Map.Entry<String, InferenceModel> v : rewritten.entrySet()) {
                        double tv = timeInference(v.getValue(), batches);
                        if (rep >= 0) {
                            seconds.merge(v.getKey(), tv, Double::sum);
                        }
                    }
                }
            } finally {
                for (AutoCloseable c : open) {
                    try {
                        c.close();
                    } catch (Exception e) {
                        log.println("closing: " + e.getMessage());
                    }
                }
            }
            for (Map.Entry<String, Double> e : seconds.entrySet()) {
                double perRep = e.getValue() / spec.repetitions();
                rows.add(new Row(w.getKey(), e.getKey(), samples / perRep, 1000 * perRep / batches.size()));
            }
        }
        return new Outcome(rows, trainingPeak);
    }

    /** Resets this process's peak resident set size to its current size (Linux {@code clear_refs} 5). */
    static boolean resetPeakRss() {
        try {
            Files.writeString(Path.of("/proc/self/clear_refs"), "5");
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static double timeTraining(TrainingSession s, List<Batch> batches) {
        long t0 = System.nanoTime();
        for (Batch b : batches) {
            s.lazyResetGrad();
            s.trainStep(b);
            s.optimizerStep();
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static double timeInference(InferenceModel m, List<Batch> batches) {
        long t0 = System.nanoTime();
        for (Batch b : batches) {
            m.run(b);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    /** Random token ids, every row at full length: the worst case the targets are set for. */
    static List<Batch> fixedBatches(Spec spec, int vocab) {
        SplittableRandom r = new SplittableRandom(7);
        List<Batch> out = new ArrayList<>();
        int b = spec.batchSize();
        int l = spec.seqLen();
        for (int k = 0; k < 2; k++) {
            long[] ids = new long[b * l];
            long[] mask = new long[b * l];
            long[] types = new long[b * l];
            long[] labels = new long[b];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = 1000 + r.nextInt(vocab - 1000);
                mask[i] = 1;
            }
            for (int i = 0; i < b; i++) {
                labels[i] = r.nextInt(2);
            }
            Map<String, HostTensor> m = new LinkedHashMap<>();
            m.put(TaskModel.INPUT_IDS, HostTensor.longs(ids, b, l));
            m.put(TaskModel.ATTENTION_MASK, HostTensor.longs(mask, b, l));
            // graphs take only the inputs they declare; the original backbone model always takes types
            m.put(TaskModel.TOKEN_TYPE_IDS, HostTensor.longs(types, b, l));
            m.put(TaskModel.LABELS, HostTensor.longs(labels, b));
            out.add(new Batch(m));
        }
        return out;
    }

    /** Real SST-2 training sentences in shuffled, length-bucketed batches, as training sees them. */
    static List<Batch> sst2Batches(Spec spec, Artifacts artifacts) throws IOException {
        try (TextTokenizer tok = TokenizerCopies.open(artifacts.manifest().tokenizer(), artifacts.directory())) {
            var examples = DatasetReader.read(Task.SST2, Split.TRAIN, TrainJob.locator(spec.data(), false),
                    ReadOptions.strict()).examples();
            EncodedDataset enc = EncodedDataset.encode(examples, tok, 128).sample(spec.batchSize() * 16, 3);
            Batcher batcher = new Batcher(enc, BatchingOptions.training(spec.batchSize(), 3));
            List<Batch> out = new ArrayList<>();
            for (var b : batcher.batches(0)) {
                out.add(TaskData.toRuntime(b, true));
            }
            return out;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Peak resident set size of this process in bytes (VmHWM), or -1 where /proc is not available. */
    public static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
