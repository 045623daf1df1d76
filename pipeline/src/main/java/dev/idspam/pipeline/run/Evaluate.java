package dev.idspam.pipeline.run;

import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.eval.metrics.MetricResult;
import dev.idspam.eval.metrics.MetricSuite;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.BatchSource;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Step 3: runs a trained checkpoint's eval graph ({@code evalStep}) over a split and computes all of
 * the task's metrics. Writes per-example predictions so that exported bundles can be checked
 * against exactly what evaluation computed.
 */
public final class Evaluate {
    public static final String PREDICTIONS = "dev_predictions.tsv";

    private Evaluate() {
    }

    /**
     * Metrics, mean loss and the logits of every example (by example index), and how many malformed
     * rows of the split were skipped (with skip-bad-rows; 0 otherwise).
     */
    public record Result(MetricResult metrics, double loss, Map<Integer, float[]> logits, double seconds, int skippedRows) {
        /** Evaluation time per example in milliseconds (evalStep, batching included). */
        public double msPerExample() {
            return 1000 * seconds / Math.max(1, logits.size());
        }

        /** Tab-separated: example index, predicted class (or value), then the logits, in example order. */
        public void writePredictions(Path file) throws IOException {
            StringBuilder sb = new StringBuilder("example\tprediction\tlogits\n");
            for (Map.Entry<Integer, float[]> e : new TreeMap<>(logits).entrySet()) {
                float[] row = e.getValue();
                sb.append(e.getKey()).append('\t');
                sb.append(row.length == 1 ? Float.toString(row[0]) : Integer.toString(Scoring.argmax(row)));
                sb.append('\t');
                for (int k = 0; k < row.length; k++) {
                    sb.append(k == 0 ? "" : ",").append(Float.toString(row[k]));
                }
                sb.append('\n');
            }
            AtomicFiles.writeString(file, sb.toString());
        }
    }

    /** CLI form: evaluate {@code checkpoint} (default best.ckpt, else last.ckpt, else the initial one) on a split. */
    public static Result run(Path artifactsDir, List<Path> data, Split split, Path checkpoint, int batchSize, boolean skipBadRows,
                             boolean downloads, RunSettings settings) throws IOException {
        Artifacts artifacts = Artifacts.open(artifactsDir);
        Task task = TrainJob.task(artifacts);
        boolean tokenTypes = artifacts.manifest().trainInputNames().contains(TaskModel.TOKEN_TYPE_IDS);
        TaskData dev;
        try (TextTokenizer tokenizer = TokenizerCopies.open(artifacts.manifest().tokenizer(), artifactsDir)) {
            dev = TaskData.load(task, split, TrainJob.locator(data, downloads),
                    skipBadRows ? ReadOptions.skipBadRows(true) : ReadOptions.strict(), tokenizer,
                    TrainJob.maxLength(artifacts));
        }
        Path ckpt = checkpoint != null ? checkpoint : defaultCheckpoint(artifacts);
        NativeRuntime runtime = NativeRuntime.install(settings.runtimeConfig());
        return run(runtime, artifacts, ckpt, dev, new Scoring(task, dev.examples()), batchSize, tokenTypes);
    }

    /**
     * Zero-shot transfer: the model trained on the artifacts' task, scored on another task's dev
     * split with labels matched by index (both tasks must have the same number of classes), by
     * the mean of accuracy and macro-F1.
     */
    public static Result transfer(NativeRuntime runtime, Artifacts artifacts, Path checkpoint, Task target, List<Path> data,
                                  int batchSize) throws IOException {
        Task source = TrainJob.task(artifacts);
        if (source.numOutputs() != target.numOutputs() || source.regression() || target.regression()) {
            throw new IllegalArgumentException("cannot transfer " + source.shortName() + " (" + source.labels() + ") to "
                    + target.shortName() + " (" + target.labels() + "): the label sets must have the same size");
        }
        boolean tokenTypes = artifacts.manifest().trainInputNames().contains(TaskModel.TOKEN_TYPE_IDS);
        TaskData dev;
        try (TextTokenizer tokenizer = TokenizerCopies.open(artifacts.manifest().tokenizer(), artifacts.directory())) {
            dev = TaskData.load(target, Split.DEV, TrainJob.locator(data, false), ReadOptions.strict(), tokenizer,
                    TrainJob.maxLength(artifacts));
        }
        return run(runtime, artifacts, checkpoint, dev,
                new Scoring(target, dev.examples(), MetricSuite.forTransfer()), batchSize, tokenTypes);
    }

    /** The checkpoint a trained artifacts folder is evaluated and exported from. */
    public static Path defaultCheckpoint(Artifacts artifacts) {
        Path best = artifacts.directory().resolve(Trainer.BEST_CHECKPOINT);
        Path last = artifacts.directory().resolve(Trainer.LAST_CHECKPOINT);
        return Files.exists(best) ? best : Files.exists(last) ? last : artifacts.checkpoint();
    }

    static Result run(NativeRuntime runtime, Artifacts artifacts, Path checkpoint, TaskData dev, Scoring scoring,
                      int batchSize, boolean tokenTypes) throws IOException {
        // the checkpoint is checked before ONNX Runtime sees it: checksum, layout, finite weights
        try (TrainingSession session = TrainingSession.open(runtime, artifacts, checkpoint)) {
            return run(session, dev, scoring, batchSize, tokenTypes);
        }
    }

    /** Scores {@code dev} with an open session (kept open by the caller, e.g. across CI checks). */
    static Result run(TrainingSession session, TaskData dev, Scoring scoring, int batchSize, boolean tokenTypes) {
        Scoring.Collected collected = new Scoring.Collected();
        double lossSum = 0;
        long rows = 0;
        BatchSource source = dev.evaluationSource(batchSize, tokenTypes);
        Iterator<Batch> it = source.batches(0);
        long started = System.nanoTime();
        while (it.hasNext()) {
            Batch b = it.next();
            Map<String, HostTensor> out = session.evalStep(b);
            collected.add(b, out);
            lossSum += ((HostTensor.Floats) out.get("loss")).scalar() * (double) b.rows();
            rows += b.rows();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        return new Result(scoring.score(collected), lossSum / Math.max(1, rows), collected.logits(), seconds,
                dev.skippedRows());
    }

    static String format(MetricResult m) {
        StringBuilder sb = new StringBuilder();
        m.values().forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ')
                .append(String.format(Locale.ROOT, "%.4f", v)));
        return sb.toString();
    }
}
