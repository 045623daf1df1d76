package dev.idspam.serving;

import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
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
 *
 * <p>Open one with {@link #open(Path)} or, for threads, execution providers and bundles on the
 * classpath or in a stream, with {@link #builder()}.
 */
public final class Predictor implements AutoCloseable {
    private final Bundle bundle;
    /** How messages name the bundle: its folder, or the {@link BundleSource} it was copied from. */
    private final String origin;
    private final TextTokenizer tokenizer;
    private final OnnxModel model;
    private final List<String> labels;
    /** Fair, so that a waiting close is not starved by a stream of new predictions. */
    private final ReadWriteLock lock = new ReentrantReadWriteLock(true);
    /** Guarded by {@link #lock}: read under the read lock, set under the write lock. */
    private boolean closed;

    /**
     * One prediction. A classifier gives {@code label} (the label's name), {@code labelIndex} (its
     * position in the bundle's labels, the argmax of the logits) and {@code probabilities} (softmax of
     * the logits, by label name, in label order); {@code score} is NaN. A regression model gives
     * {@code score} (its one output); {@code label} is that score as text, {@code labelIndex} is -1
     * and {@code probabilities} is empty. {@code logits} are the raw outputs.
     */
    public record Prediction(String label, int labelIndex, Map<String, Double> probabilities, double score, float[] logits) {
        public Prediction {
            probabilities = Collections.unmodifiableMap(new LinkedHashMap<>(probabilities));
        }

        public boolean regression() {
            return labelIndex < 0;
        }

        /** The score of a regression, or the label index of a classifier, as one number. */
        public double value() {
            return regression() ? score : labelIndex;
        }
    }

    /**
     * One tokenised example, ready to be batched with others ({@link #predictEncoded}); a micro-batcher
     * groups them by {@link #tokens()} to keep padding small.
     */
    public static final class Encoded {
        private final Encoding encoding;

        private Encoded(Encoding encoding) {
            this.encoding = encoding;
        }

        /** Tokens of this example, special tokens included. */
        public int tokens() {
            return encoding.length();
        }
    }

    private Predictor(Bundle bundle, String origin, TextTokenizer tokenizer, OnnxModel model) {
        this.bundle = bundle;
        this.origin = origin;
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
        return open(bundleDir, bundleDir.toString(), options);
    }

    private static Predictor open(Path bundleDir, String origin, OrtSession.SessionOptions options) throws IOException {
        Bundle b = Bundle.open(bundleDir);
        TextTokenizer tok = SharedTokenizers.open(b.manifest().tokenizer(), b.manifestFile());
        Predictor p = null;
        try {
            p = new Predictor(b, origin, tok, OnnxModel.open(b, options));
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

    /**
     * Opens the bundle of {@code source} with {@code options} (null: ONNX Runtime's defaults). A
     * folder is read in place; any other source is copied into a private temporary folder, checked
     * and loaded there like a folder, and the copy is removed before this returns. Messages name the
     * source, not the copy.
     */
    public static Predictor open(BundleSource source, OrtSession.SessionOptions options) throws IOException {
        if (source instanceof BundleSource.Directory d) {
            return open(d.dir(), options);
        }
        Path tmp = Files.createTempDirectory("idspam-bundle-");
        try {
            copy(source, Bundle.MANIFEST, tmp, Bundle.MAX_MANIFEST_BYTES);
            copy(source, Bundle.MODEL, tmp, Long.MAX_VALUE);
            String tokenizer = tokenizerFileName(tmp.resolve(Bundle.MANIFEST));
            if (tokenizer != null) {
                copy(source, tokenizer, tmp, Long.MAX_VALUE);
            }
            if (namesField(tmp.resolve(Bundle.MANIFEST), AdapterTensors.FIELD)) {
                copy(source, AdapterTensors.FILE, tmp, Long.MAX_VALUE);
            }
            return open(tmp, source.describe(), options);
        } catch (IOException e) {
            throw new IOException(e.getMessage().replace(tmp.toString(), source.describe()), e);
        } catch (InferenceException e) {
            // its message already holds ONNX Runtime's own: keep the text, name the source instead of the copy
            InferenceException named = new InferenceException(e.getMessage().replace(tmp.toString(), source.describe()), null);
            named.addSuppressed(e);
            throw named;
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.valueOf(e.getMessage()).replace(tmp.toString(), source.describe()), e);
        } finally {
            deleteTree(tmp);
        }
    }

    /** The tokenizer's file name when {@code bundle.json} names a plain one; anything else is left to {@link Bundle#open}. */
    private static String tokenizerFileName(Path manifest) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(manifest));
            if (root.isJsonObject() && root.getAsJsonObject().get("tokenizer") instanceof JsonObject t
                    && t.get("file") != null && t.get("file").isJsonPrimitive()) {
                String f = t.get("file").getAsString();
                return f.isEmpty() || f.contains("/") || f.contains("\\") || f.contains("..") || f.contains(":")
                        || f.contains("\0") || f.equals(Bundle.MANIFEST) || f.equals(Bundle.MODEL) ? null : f;
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: Bundle.open names the problem
        }
        return null;
    }

    /** Whether {@code bundle.json} has the top-level field {@code name}; anything unreadable is left to {@link Bundle#open}. */
    private static boolean namesField(Path manifest, String name) {
        try {
            JsonElement root = JsonParser.parseString(Files.readString(manifest));
            return root.isJsonObject() && root.getAsJsonObject().has(name);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static void copy(BundleSource source, String name, Path dir, long maxBytes) throws IOException {
        try (InputStream in = source.open(name)) {
            Path file = dir.resolve(name);
            if (maxBytes == Long.MAX_VALUE) {
                Files.copy(in, file);
            } else {
                byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
                Files.write(file, b);
            }
        } catch (NoSuchFileException e) {
            // a missing file is reported by the checks of Bundle.open, with the usual message
        }
    }

    private static void deleteTree(Path dir) {
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("removing the temporary bundle copy " + dir + ": " + e.getMessage(), e);
        }
    }

    /** A builder: threads, session options, and the bundle from a folder, the classpath or a stream. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Options of a predictor. Threads are ONNX Runtime's: intra-op threads split one operator (a
     * matrix product) across cores; inter-op threads run independent operators at once, which only
     * this model's few parallel branches use, so more than 1 is rarely worth it. Unset values keep
     * ONNX Runtime's defaults (intra-op: one thread per physical core).
     */
    public static final class Builder {
        private BundleSource source;
        private int intraOp;
        private int interOp;
        private Consumer<OrtSession.SessionOptions> customizer;
        private boolean prepack;

        private Builder() {
        }

        /**
         * Whether ONNX Runtime may re-lay-out (prepack) the weight matrices of an adapter bundle's
         * sessions for faster products. Off by default: each session would hold its own prepacked
         * copy of the backbone weights it uses, undoing the sharing of one weights file between
         * adapters (memory figures in docs/adapters.md). Full bundles always prepack (their weights
         * are their own). With a shared prefix, on MiniLM with 1 thread, prepacking is what makes
         * the suffixes as fast as the layers of a full bundle (docs/results/serving.md).
         */
        public Builder prepackWeights(boolean on) {
            this.prepack = on;
            return this;
        }

        /** Shorthand for {@link #intraOpThreads}: the threads one prediction may use. */
        public Builder threads(int n) {
            return intraOpThreads(n);
        }

        public Builder intraOpThreads(int n) {
            intraOp = positive(n, "intra-op threads");
            return this;
        }

        /** Above 1, operators that do not depend on each other run in parallel. */
        public Builder interOpThreads(int n) {
            interOp = positive(n, "inter-op threads");
            return this;
        }

        /** A bundle folder. */
        public Builder model(Path bundleDir) {
            return model(BundleSource.directory(bundleDir));
        }

        /** A bundle under {@code folder} of the classpath, e.g. {@code models/sst2}. */
        public Builder modelFromClasspath(String folder) {
            return model(BundleSource.classpath(folder));
        }

        /** A zip archive of a bundle (its three files at the top level); the stream stays the caller's. */
        public Builder model(InputStream zipArchive) {
            return model(BundleSource.zip(zipArchive, "bundle archive"));
        }

        public Builder model(BundleSource source) {
            this.source = Objects.requireNonNull(source, "source");
            return this;
        }

        /**
         * Adjusts the session options after the thread counts were set, before the model loads: an
         * execution provider ({@code o -> o.addCUDA(0)} with the {@code onnxruntime_gpu} artifact),
         * optimisation level, memory arena.
         */
        public Builder sessionOptions(Consumer<OrtSession.SessionOptions> customizer) {
            this.customizer = customizer;
            return this;
        }

        public Predictor build() throws IOException {
            if (source == null) {
                throw new IllegalStateException("no model given; call model(...) before build()");
            }
            try (OrtSession.SessionOptions o = new OrtSession.SessionOptions()) {
                if (intraOp > 0) {
                    o.setIntraOpNumThreads(intraOp);
                }
                if (interOp > 0) {
                    o.setInterOpNumThreads(interOp);
                    if (interOp > 1) {
                        o.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
                    }
                }
                if (prepack) {
                    o.addConfigEntry(OnnxModel.NO_PREPACKING, "0");
                }
                if (customizer != null) {
                    customizer.accept(o);
                }
                return open(source, o);
            } catch (OrtException e) {
                throw new InferenceException("setting the session options", e);
            }
        }

        private static int positive(int n, String what) {
            if (n < 1) {
                throw new IllegalArgumentException(what + " must be at least 1, got " + n);
            }
            return n;
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
        return predictOpen(() -> tokenizer.encodeAll(textsA, textsB, bundle.manifest().maxLength()));
    }

    /**
     * Tokenises one example for {@link #predictEncoded}, with the checks of {@link #predictAll}
     * ({@code textB} null for a single-text task).
     */
    public Encoded encode(String textA, String textB) {
        checkTexts(List.of(textA == null ? "" : textA), textB == null ? null : List.of(textB));
        lock.readLock().lock();
        try {
            checkOpen();
            return new Encoded(tokenizer.encode(textA, textB, bundle.manifest().maxLength()));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Runs examples tokenised by this predictor's {@link #encode} as one batch, padded to the longest;
     * gives the same results as {@link #predictAll} on their texts.
     */
    public List<Prediction> predictEncoded(List<Encoded> examples) {
        if (examples.isEmpty()) {
            return List.of();
        }
        List<Encoding> enc = new ArrayList<>(examples.size());
        for (Encoded e : examples) {
            enc.add(e.encoding);
        }
        return predictOpen(() -> enc);
    }

    /**
     * Runs the encodings {@code encode} gives under the read lock, once the predictor is known to be
     * open (encoding uses the tokenizer, which {@link #close} frees), and maps each output row.
     */
    private List<Prediction> predictOpen(java.util.function.Supplier<List<Encoding>> encode) {
        lock.readLock().lock();
        try {
            checkOpen();
            float[][] rows = run(encode.get());
            List<Prediction> out = new ArrayList<>(rows.length);
            for (float[] row : rows) {
                out.add(toPrediction(row));
            }
            return out;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Caller holds the read lock. */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("predictor for " + origin + " is closed");
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
        return runShared(List.of(this), enc).get(0);
    }

    /**
     * The token tensors of {@code enc}, padded to the longest ({@code [rows, len]} row-major, pad id
     * of {@code tokenizer}), run through {@code group}'s models (one shared prefix run when several,
     * {@link OnnxModel#runAll}); logits per model, per row. Callers hold every member's read lock.
     */
    static List<float[][]> runShared(List<Predictor> group, List<Encoding> enc) {
        Predictor first = group.get(0);
        int rows = enc.size();
        int len = enc.stream().mapToInt(Encoding::length).max().orElse(1);
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] types = new long[rows * len];
        Arrays.fill(ids, first.tokenizer.padId());
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
        List<OnnxModel> models = new ArrayList<>(group.size());
        group.forEach(p -> models.add(p.model));
        List<float[]> all = OnnxModel.runAll(models, in, rows, len, Bundle.OUTPUT);
        List<float[][]> result = new ArrayList<>(group.size());
        for (int g = 0; g < group.size(); g++) {
            result.add(group.get(g).rows(all.get(g), rows));
        }
        return result;
    }

    private float[][] rows(float[] logits, int rows) {
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

    /**
     * What must be equal for predictors to share one prefix run: the prefix graph (its digest, which
     * fixes backbone weights file names, layer and the boundary computation), the tokenizer (its
     * file's digest and its lowercasing and special-token style) and the token budget (max length),
     * so that one tokenisation gives every member its own tokens, and whether the task takes pairs.
     * Null when this predictor runs a whole graph (no shared prefix): it shares with nobody.
     */
    String prefixKey() {
        String sha = model.prefixSha256();
        if (sha == null) {
            return null;
        }
        BundleManifest m = bundle.manifest();
        TokenizerFiles.Reference t = m.tokenizer();
        return sha + "|" + t.kind() + "|" + t.sha256() + "|" + t.lowercase() + "|" + t.style() + "|" + m.maxLength() + "|" + m.pair();
    }

    /** Checks the texts, under the read lock checks that it is open; for {@link MultiTaskPredictor}. */
    void checkForShared(List<String> textsA, List<String> textsB) {
        checkTexts(textsA, textsB);
    }

    ReadWriteLock lock() {
        return lock;
    }

    void checkOpenLocked() {
        checkOpen();
    }

    TextTokenizer tokenizer() {
        return tokenizer;
    }

    Prediction prediction(float[] row) {
        return toPrediction(row);
    }

    private Prediction toPrediction(float[] row) {
        if (bundle.manifest().regression()) {
            return new Prediction(Float.toString(row[0]), -1, Map.of(), row[0], row);
        }
        int best = argmax(row);
        return new Prediction(labels.get(best), best, probabilities(row, labels), Double.NaN, row);
    }

    /**
     * The softmax of {@code logits} by label name, in label order: p_k = exp(l_k − max l) / Σ_j exp(l_j − max l)
     * (the maximum is subtracted so that no exponent overflows).
     */
    public static Map<String, Double> probabilities(float[] logits, List<String> labels) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) {
            max = Math.max(max, v);
        }
        double z = 0;
        double[] p = new double[logits.length];
        for (int k = 0; k < logits.length; k++) {
            p[k] = Math.exp(logits[k] - max);
            z += p[k];
        }
        Map<String, Double> probs = new LinkedHashMap<>();
        for (int k = 0; k < logits.length; k++) {
            probs.put(labels.get(k), p[k] / z);
        }
        return probs;
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
                throw new IllegalStateException("closing the tokenizer of " + origin + ": " + e.getMessage(), e);
            }
        } finally {
            lock.writeLock().unlock();
        }
    }
}
