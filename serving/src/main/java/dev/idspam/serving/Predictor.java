package dev.idspam.serving;

import ai.onnxruntime.OrtSession;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Serves an exported bundle: tokenises text (single sentences or pairs, as the bundle's task
 * takes), runs the inference graph and returns the label with its probabilities. Runs on the
 * stock inference-only ONNX Runtime ({@link OnnxModel}); no training code is involved.
 *
 * <p>Thread-safe. Predictions run concurrently under the read side of a lock; {@link #close}
 * takes the write side, so it waits for running predictions to finish before it frees the native
 * session (freeing it under a running call would crash the process), and every call after it
 * fails with "predictor for BUNDLE is closed".
 */
public final class Predictor implements AutoCloseable {
    private final Bundle bundle;
    private final TextTokenizer tokenizer;
    private final OnnxModel model;
    private final List<String> labels;
    /** Fair, so that a waiting close is not starved by a stream of new predictions. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);
    /** Guarded by {@link #lock}: read under the read lock, set under the write lock. */
    private boolean closed;

    /** One prediction: the label (or the value, for regression) and per-label probabilities. */
    public record Prediction(String label, double value, Map<String, Double> probabilities, float[] logits) { }

    private Predictor(Bundle bundle, TextTokenizer tokenizer, OnnxModel model) {
        this.bundle = bundle;
        this.tokenizer = tokenizer;
        this.model = model;
        this.labels = bundle.manifest().labels();
    }

    /**
     * Opens a bundle: validates {@code bundle.json}, checks the model's and the tokenizer's
     * SHA-256, loads the model, and runs it once on an empty input to check that it gives one
     * finite output per label (one for regression).
     */
    public static Predictor open(Path bundleDir) throws IOException {
        return open(bundleDir, null);
    }

    /**
     * As {@link #open(Path)}, with the caller's session options (threads, execution provider), or
     * ONNX Runtime's defaults when null; they are only read while the model loads and stay the
     * caller's to close. ONNX Runtime is first touched after the bundle's files were checked.
     */
    public static Predictor open(Path bundleDir, OrtSession.SessionOptions options) throws IOException {
        Bundle b = Bundle.open(bundleDir);
        TextTokenizer tok = TokenizerFiles.open(b.manifest().tokenizer(), b.manifestFile());
        Predictor p = null;
        try {
            p = new Predictor(b, tok, OnnxModel.open(b, options));
            p.checkOutputWidth();
            return p;
        } catch (IOException | RuntimeException e) {
            try {
                if (p != null) {
                    p.close();
                } else {
                    tok.close();
                }
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private void checkOutputWidth() throws IOException {
        BundleManifest m = bundle.manifest();
        float[][] out = run(tokenizer.encodeAll(List.of(""), m.pair() ? List.of("") : null, m.maxLength()));
        int width = out[0].length;
        int expected = m.regression() ? 1 : labels.size();
        if (width != expected) {
            throw new IOException(bundle.manifestFile() + ": field 'labels' "
                    + (m.regression() ? "marks a regression model with one output"
                    : "names " + labels.size() + (labels.size() == 1 ? " label" : " labels"))
                    + ", but " + bundle.model().getFileName() + " gives " + width + " outputs");
        }
    }

    public Bundle bundle() {
        return bundle;
    }

    /** Predicts one example; {@code textB} is the second text of a pair task, null for a single-text task. */
    public Prediction predict(String textA, String textB) {
        return predictAll(List.of(textA == null ? "" : textA), textB == null ? null : List.of(textB)).get(0);
    }

    /**
     * Batched prediction; {@code textsB} is null for single-text tasks and holds the second text of
     * each example for pair tasks.
     *
     * @throws IllegalArgumentException for texts the task does not take (a pair for a single-text
     *                                  task, one text for a pair task, an empty text), or when the
     *                                  model gives a non-finite output
     * @throws IllegalStateException    after {@link #close}
     */
    public List<Prediction> predictAll(List<String> textsA, List<String> textsB) {
        checkTexts(textsA, textsB);
        if (textsA.isEmpty()) {
            return List.of();
        }
        lock.readLock().lock();
        try {
            if (closed) {
                throw new IllegalStateException("predictor for " + bundle.directory() + " is closed");
            }
            float[][] rows = run(tokenizer.encodeAll(textsA, textsB, bundle.manifest().maxLength()));
            List<Prediction> out = new ArrayList<>(rows.length);
            for (float[] row : rows) {
                out.add(toPrediction(row));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    private void checkTexts(List<String> textsA, List<String> textsB) {
        String task = bundle.manifest().task().shortName();
        if (textsA == null) {
            throw new IllegalArgumentException("no texts given");
        }
        if (bundle.manifest().pair()) {
            if (textsB == null) {
                throw new IllegalArgumentException("task " + task + " takes a pair of texts; give the second text too");
            }
            if (textsB.size() != textsA.size()) {
                throw new IllegalArgumentException("task " + task + " takes pairs: " + textsA.size() + " first texts but "
                        + textsB.size() + " second texts");
            }
            checkNotBlank(textsB, "second text");
        } else if (textsB != null) {
            throw new IllegalArgumentException("task " + task + " takes a single text, not a pair; give one text per example");
        }
        checkNotBlank(textsA, "text");
    }

    private static void checkNotBlank(List<String> texts, String what) {
        for (int i = 0; i < texts.size(); i++) {
            String t = texts.get(i);
            if (t == null || t.isBlank()) {
                throw new IllegalArgumentException(what + " " + (i + 1) + " is empty");
            }
        }
    }

    /** Logits per row, [rows][outputs]; refuses non-finite values. Caller holds the read lock (or owns the predictor). */
    private float[][] run(List<Encoding> enc) {
        int rows = enc.size();
        int len = enc.stream().mapToInt(Encoding::length).max().orElse(1);
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] types = new long[rows * len];
        Arrays.fill(ids, tokenizer.padId());
        for (int r = 0; r < rows; r++) {
            Encoding e = enc.get(r);
            System.arraycopy(e.ids(), 0, ids, r * len, e.length());
            System.arraycopy(e.attentionMask(), 0, mask, r * len, e.length());
            System.arraycopy(e.typeIds(), 0, types, r * len, e.length());
        }
        Map<String, long[]> in = new LinkedHashMap<>();
        in.put(Bundle.INPUT_IDS, ids);
        in.put(Bundle.ATTENTION_MASK, mask);
        in.put(Bundle.TOKEN_TYPE_IDS, types);
        float[] logits = model.run(in, rows, len, Bundle.OUTPUT);
        int width = logits.length / rows;
        float[][] out = new float[rows][width];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(logits, r * width, out[r], 0, width);
            for (float v : out[r]) {
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException(bundle.model() + ": the model gives non-finite outputs "
                            + Arrays.toString(out[r]) + " (example " + (r + 1) + "); its weights are damaged, re-export the bundle"
                            + " from a sound checkpoint");
                }
            }
        }
        return out;
    }

    private Prediction toPrediction(float[] row) {
        if (bundle.manifest().regression()) {
            return new Prediction(Float.toString(row[0]), row[0], Map.of(), row);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double z = 0;
        double[] p = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            p[k] = Math.exp(row[k] - max);
            z += p[k];
        }
        Map<String, Double> probs = new LinkedHashMap<>();
        for (int k = 0; k < row.length; k++) {
            probs.put(labels.get(k), p[k] / z);
        }
        int best = argmax(row);
        return new Prediction(labels.get(best), best, probs, row);
    }

    /** The index of the largest value; the first one on ties. */
    public static int argmax(float[] row) {
        int best = 0;
        for (int k = 1; k < row.length; k++) {
            if (row[k] > row[best]) {
                best = k;
            }
        }
        return best;
    }

    /** Waits for running predictions, then frees the model; idempotent. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            model.close();
            try {
                tokenizer.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the tokenizer of " + bundle.directory() + ": " + e.getMessage(), e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
