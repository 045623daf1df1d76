package dev.idspam.pipeline.run;

import com.google.gson.JsonObject;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.read.ReadResult;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.eval.metrics.MetricResult;
import dev.idspam.eval.metrics.MetricSuite;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.DeviceUnavailableException;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.Predictor;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One model opened for scoring, from either form users hold: an exported bundle (a folder with
 * {@code bundle.json}, run through {@link Predictor} with tokenisation, exactly as it is served) or
 * trained artifacts (a folder with {@code manifest.json}, run through {@code evalStep} on a
 * checkpoint, exactly as training evaluated it). The model is opened once and scored on any number
 * of (task, split, sample) selections, which is how CI suites share one session between checks.
 *
 * <p>Scoring on another task than the model's own (zero-shot transfer, e.g. SST-2 → IMDB) needs the
 * same labels in the same order: the model's label names must equal the target task's names (or,
 * for models exported before labels had names, its raw file values). Transfer is reported as the
 * mean of accuracy and macro-F1 with both parts, as the experiment runner's transfer pairs are;
 * a model's own task gets its usual metrics.
 *
 * <p>ONNX Runtime's device is fixed per process: the runtime is installed with the given settings
 * before the model opens, and a second model must ask for the same device.
 */
public final class ModelEvaluation implements AutoCloseable {
    /** The two forms a model comes in. */
    public enum Kind { BUNDLE, ARTIFACTS }

    /** One scored example: its index in the (sampled) split, its id, the gold and predicted labels. */
    public record Row(int index, String id, String gold, String label, int labelIndex, Map<String, Double> probabilities,
                      double score) {
    }

    /**
     * The outcome of scoring one selection.
     *
     * @param labels      the model's label names in logit order, as its bundle or manifest holds them
     *                    (empty for regression)
     * @param msPerSample model time per example in milliseconds (for bundles, tokenisation included)
     */
    public record Outcome(Path model, Kind kind, String modelDigest, Task modelTask, List<String> labels, Task task,
                          Split split, int examples,
                          int splitExamples, int skippedRows, MetricResult metrics, double msPerSample, List<Row> rows) {
        /**
         * The machine-readable summary ({@code eval --json}, CI results): metrics as fractions, named
         * as in {@code report.json}, so that the two compare directly.
         */
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("model", model.toString());
            o.addProperty("kind", kind.name().toLowerCase(java.util.Locale.ROOT));
            o.addProperty("model_sha256", modelDigest);
            o.addProperty("model_task", modelTask.shortName());
            com.google.gson.JsonArray names = new com.google.gson.JsonArray();
            labels.forEach(names::add);
            o.add("labels", names);
            o.addProperty("task", task.shortName());
            o.addProperty("split", split.name().toLowerCase(java.util.Locale.ROOT));
            o.addProperty("examples", examples);
            o.addProperty("split_examples", splitExamples);
            o.addProperty("skipped_rows", skippedRows);
            o.addProperty("primary_metric", metrics.primary());
            JsonObject m = new JsonObject();
            metrics.values().forEach(m::addProperty);
            o.add("metrics", m);
            o.addProperty("ms_per_sample", msPerSample);
            return o;
        }

        /** One JSON object per example, in split order: index, id, gold, label, label_index, probabilities (or score). */
        public String predictionsJsonl() {
            StringBuilder sb = new StringBuilder();
            for (Row r : rows) {
                JsonObject o = new JsonObject();
                o.addProperty("index", r.index());
                o.addProperty("id", r.id());
                o.addProperty("gold", r.gold());
                if (r.label() == null) {
                    o.addProperty("score", r.score());
                } else {
                    o.addProperty("label", r.label());
                    o.addProperty("label_index", r.labelIndex());
                    JsonObject p = new JsonObject();
                    r.probabilities().forEach(p::addProperty);
                    o.add("probabilities", p);
                }
                sb.append(o).append('\n');
            }
            return sb.toString();
        }
    }

    private final Path model;
    private final Kind kind;
    private final Task task;
    private final List<String> labels;
    private final String digest;
    private final Predictor predictor;
    private final Artifacts artifacts;
    private final TrainingSession session;
    private final TextTokenizer tokenizer;
    private final boolean tokenTypes;
    private final int maxLength;

    private ModelEvaluation(Path model, Kind kind, Task task, List<String> labels, String digest, Predictor predictor,
                            Artifacts artifacts, TrainingSession session, TextTokenizer tokenizer, boolean tokenTypes,
                            int maxLength) {
        this.model = model;
        this.kind = kind;
        this.task = task;
        this.labels = List.copyOf(labels);
        this.digest = digest;
        this.predictor = predictor;
        this.artifacts = artifacts;
        this.session = session;
        this.tokenizer = tokenizer;
        this.tokenTypes = tokenTypes;
        this.maxLength = maxLength;
    }

    /** Which form {@code dir} holds, or an error naming the folder and what it lacks. */
    public static Kind kindOf(Path dir) throws IOException {
        if (Files.isRegularFile(dir.resolve(Bundle.MANIFEST))) {
            return Kind.BUNDLE;
        }
        if (Files.isRegularFile(dir.resolve(ArtifactNames.MANIFEST))) {
            return Kind.ARTIFACTS;
        }
        throw new IOException(dir + ": neither an exported bundle (no " + Bundle.MANIFEST + ") nor trained artifacts (no "
                + ArtifactNames.MANIFEST + ")" + (Files.isDirectory(dir) ? "" : "; the folder does not exist"));
    }

    /**
     * Opens {@code dir}. {@code checkpoint} applies to artifacts only (null: the best checkpoint of
     * training, else the last, else the initial one).
     */
    public static ModelEvaluation open(Path dir, Path checkpoint, RunSettings settings) throws IOException {
        Kind kind = kindOf(dir);
        NativeRuntime runtime;
        try {
            runtime = NativeRuntime.install(settings.runtimeConfig());
        } catch (IllegalStateException e) {
            // this process already runs ONNX Runtime with other settings (another device): an
            // environment problem, never a silent run on the device that happens to be installed
            throw new DeviceUnavailableException(settings.device().name().toLowerCase(java.util.Locale.ROOT)
                    + " was requested, but " + e.getMessage(), e);
        }
        if (kind == Kind.BUNDLE) {
            if (checkpoint != null) {
                throw new IllegalArgumentException(dir + " is an exported bundle: its weights are fixed, a checkpoint applies"
                        + " to trained artifacts only");
            }
            Predictor p = LocalPredictor.open(dir);
            var m = p.bundle().manifest();
            return new ModelEvaluation(dir, kind, m.task(), m.labels(), m.modelSha256(), p, null, null, null, false,
                    m.maxLength());
        }
        Artifacts a = Artifacts.open(dir);
        Task task = TrainJob.task(a);
        ModelInfo info = ModelInfo.of(a);
        Path ckpt = checkpoint != null ? checkpoint : Evaluate.defaultCheckpoint(a);
        TextTokenizer tok = TokenizerCopies.open(a.manifest().tokenizer(), dir);
        try {
            TrainingSession s = TrainingSession.open(runtime, a, ckpt);
            return new ModelEvaluation(dir, kind, task, info.labels(), TokenizerFiles.sha256(ckpt), null, a, s, tok,
                    a.manifest().trainInputNames().contains(TaskModel.TOKEN_TYPE_IDS), info.maxLength());
        } catch (IOException | RuntimeException e) {
            tok.close();
            throw e;
        }
    }

    public Kind kind() {
        return kind;
    }

    /** The task the model was trained on. */
    public Task task() {
        return task;
    }

    /** The model's output names in logit order (empty for regression). */
    public List<String> labels() {
        return labels;
    }

    /** SHA-256 of the bundle's model graph, or of the artifacts' checkpoint that is scored. */
    public String digest() {
        return digest;
    }

    /**
     * Scores the model on {@code target}'s {@code split} (null target: the model's own task), on a
     * seeded sample of at most {@code maxSamples} examples (0 = all; see {@link ExampleSample}).
     */
    public Outcome score(Task target, Split split, List<Path> data, int maxSamples, long seed, int batchSize,
                         boolean skipBadRows, boolean downloads) throws IOException {
        Task t = target == null ? task : target;
        checkCompatible(t);
        ReadOptions options = skipBadRows ? ReadOptions.skipBadRows(true) : ReadOptions.strict();
        var locator = TrainJob.locator(data, downloads);
        int[] splitSize = new int[1];
        java.util.function.UnaryOperator<List<Example>> select = all -> {
            splitSize[0] = all.size();
            return ExampleSample.of(all, maxSamples, seed);
        };
        List<Example> examples;
        Map<Integer, float[]> logits;
        MetricResult metrics;
        double seconds;
        int skipped;
        if (kind == Kind.ARTIFACTS) {
            TaskData dev = TaskData.load(t, split, locator, options, tokenizer, maxLength, select);
            examples = dev.examples();
            Evaluate.Result r = Evaluate.run(session, dev, scoring(t, examples), batchSize, tokenTypes);
            metrics = r.metrics();
            logits = r.logits();
            seconds = r.seconds();
            skipped = r.skippedRows();
        } else {
            ReadResult read = DatasetReader.read(t, split, locator.resolve(t, split), options);
            examples = select.apply(read.examples());
            skipped = read.skippedRows();
            if (examples.isEmpty()) {
                throw new IOException(read.source() + ": no examples were read");
            }
            long started = System.nanoTime();
            logits = bundleLogits(predictor, examples, batchSize);
            seconds = (System.nanoTime() - started) / 1e9;
            Scoring.Collected c = new Scoring.Collected();
            logits.forEach(c::put);
            metrics = scoring(t, examples).score(c);
        }
        return new Outcome(model, kind, digest, task, labels, t, split, examples.size(), splitSize[0], skipped, metrics,
                1000 * seconds / Math.max(1, examples.size()), rows(t, examples, logits));
    }

    /**
     * A bundle's logits for {@code examples} by index, through {@code predictAll} in batches of
     * {@code batchSize} in order (tokenisation included, as serving runs it).
     */
    static Map<Integer, float[]> bundleLogits(Predictor predictor, List<Example> examples, int batchSize) {
        Map<Integer, float[]> logits = new LinkedHashMap<>();
        boolean pair = predictor.bundle().manifest().pair();
        for (int start = 0; start < examples.size(); start += batchSize) {
            List<Example> chunk = examples.subList(start, Math.min(examples.size(), start + batchSize));
            List<String> a = new ArrayList<>(chunk.size());
            List<String> b = pair ? new ArrayList<>(chunk.size()) : null;
            for (Example e : chunk) {
                a.add(e.textA());
                if (b != null) {
                    b.add(e.textB());
                }
            }
            List<Predictor.Prediction> got = predictor.predictAll(a, b);
            for (int i = 0; i < got.size(); i++) {
                logits.put(start + i, got.get(i).logits());
            }
        }
        return logits;
    }

    private Scoring scoring(Task t, List<Example> examples) {
        return t.equals(task) ? new Scoring(t, examples) : new Scoring(t, examples, MetricSuite.forTransfer());
    }

    private void checkCompatible(Task t) {
        if (t.equals(task)) {
            return;
        }
        if (task.regression() || t.regression()) {
            throw new IllegalArgumentException("cannot score a model trained on " + task.shortName() + " on "
                    + t.shortName() + ": transfer needs two classification tasks with the same labels");
        }
        if (!labels.equals(t.labelNames()) && !labels.equals(t.labels())) {
            throw new IllegalArgumentException("cannot score a model trained on " + task.shortName() + " (labels " + labels
                    + ") on " + t.shortName() + " (labels " + t.labelNames() + "): the labels must be the same, in the"
                    + " same order");
        }
    }

    /** Per-example predictions; probabilities are the softmax of the logits, by label name. */
    private List<Row> rows(Task t, List<Example> examples, Map<Integer, float[]> logits) {
        List<Row> out = new ArrayList<>(examples.size());
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            float[] row = logits.get(i);
            if (t.regression()) {
                out.add(new Row(i, e.id(), Float.toString(e.target()), null, -1, Map.of(), row[0]));
                continue;
            }
            Map<String, Double> probs = Predictor.probabilities(row, labels);
            int best = Scoring.argmax(row);
            // gold and predicted in the model's own label strings (the same order as the task's: checked above),
            // so a model that recorded raw file values shows both in those
            out.add(new Row(i, e.id(), labels.get(e.label()), labels.get(best), best, probs, Double.NaN));
        }
        return out;
    }

    @Override
    public void close() {
        if (predictor != null) {
            predictor.close();
        }
        if (session != null) {
            session.close();
        }
        if (tokenizer != null) {
            tokenizer.close();
        }
    }
}
