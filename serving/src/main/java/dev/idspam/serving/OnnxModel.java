package dev.idspam.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A bundle's inference graph on a plain {@code OrtSession} of the stock ONNX Runtime jar: int64
 * token tensors {@code [rows, len]} in, one float output {@code [rows, width]} out. Uses the
 * process's ONNX Runtime environment (the one already created, if any).
 *
 * <p>Thread-safety is the caller's: {@link #run} may run concurrently (ONNX Runtime allows
 * concurrent {@code run} calls on one session), {@link #close} must not overlap a run.
 */
final class OnnxModel implements AutoCloseable {
    /** ONNX Runtime's session configuration key that turns off weight prepacking. */
    static final String NO_PREPACKING = "session.disable_prepacking";
    private final OrtEnvironment env;
    /** The whole graph, or the suffix of a bundle with a {@link SharedPrefix}. */
    private final OrtSession session;
    private final List<String> inputs;
    /** The shared prefix's session of a bundle with a {@link SharedPrefix}, else null. */
    private final OrtSession prefix;
    /** This model's hold on {@link #prefix}, shared with every model of the process over that prefix graph. */
    private final PrefixSessions.Hold prefixHold;
    /** The prefix graph's SHA-256, or null: models with one digest compute the same prefix outputs. */
    private final String prefixSha256;
    /** The backbone tensors an adapter session was given; returned after the session is closed. Null for a full bundle. */
    private final BackboneWeightsStore.Lease weights;
    private boolean closed;

    private OnnxModel(OrtEnvironment env, OrtSession session, BackboneWeightsStore.Lease weights, PrefixSessions.Hold prefix,
                      String prefixSha256) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputs = List.copyOf(session.getInputNames());
        this.weights = weights;
        this.prefixHold = prefix;
        this.prefix = prefix == null ? null : prefix.session();
        this.prefixSha256 = prefixSha256;
    }

    private OnnxModel(OrtEnvironment env, OrtSession session) throws OrtException {
        this(env, session, null, null, null);
    }

    /** The SHA-256 of the shared prefix this model runs, or null when it runs one whole graph. */
    String prefixSha256() {
        return prefixSha256;
    }

    /**
     * Opens a bundle's model. A full bundle's model holds all its weights; an adapter bundle's
     * ({@link BackboneWeights}) takes its frozen backbone tensors from the process's
     * {@link BackboneWeightsStore}: they are added to the session options as initializers, so the
     * options given here must not be reused for another adapter (ONNX Runtime keeps initializers
     * added to options); when null, fresh ones are made and closed here. Either way weight
     * prepacking is turned off for the session, as it would copy the shared weights per session.
     */
    static OnnxModel open(Bundle bundle, OrtSession.SessionOptions options) throws IOException {
        BackboneWeights ref = BackboneWeights.of(bundle.manifest(), bundle.manifestFile());
        if (ref == null) {
            return open(bundle.model(), options);
        }
        Path file = ref.locate(bundle.directory());
        SharedPrefix cut = SharedPrefix.of(bundle.manifest(), bundle.manifestFile());
        Path prefixFile = cut == null ? null : cut.locatePrefix(bundle.directory());
        Path suffixFile = cut == null ? null : cut.locateSuffix(bundle.directory());
        BackboneWeightsStore.Lease lease = BackboneWeightsStore.shared().acquire(file, ref.sha256());
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions own = options == null ? new OrtSession.SessionOptions() : null;
        PrefixSessions.Hold pre = null;
        try {
            OrtSession.SessionOptions opts = options == null ? own : options;
            // Prepacking would give every session its own re-laid-out copy of the shared weight
            // matrices, undoing the sharing; measured on MiniLM: 4 adapters 1.76x the memory of
            // one with it, 1.38x without (docs/adapters.md). A caller that set the entry itself
            // (Predictor.Builder#prepackWeights: speed over memory) keeps its choice.
            if (!opts.getConfigEntries().containsKey(NO_PREPACKING)) {
                opts.addConfigEntry(NO_PREPACKING, "1");
            }
            if (own != null) {
                // The default arena keeps each session's peak activations; without it 4 adapters take 1.28x.
                own.setCPUArenaAllocator(false);
            }
            Map<String, OnnxTensor> tensors = lease.tensors();
            for (String name : ref.initializers()) {
                OnnxTensor t = tensors.get(name);
                if (t == null) {
                    throw new IOException(file + ": the backbone weights file has no tensor '" + name + "', which "
                            + bundle.manifestFile().getFileName() + " field '" + BackboneWeights.FIELD
                            + ".initializers' names; re-export the adapter");
                }
                opts.addInitializer(name, t);
            }
            if (cut == null) {
                return new OnnxModel(env, env.createSession(bundle.model().toString(), opts), lease, null, null);
            }
            // Both graphs get every backbone tensor; ONNX Runtime takes from the options only those a graph has.
            // One prefix session per prefix graph in the process, opened with the first opener's options.
            pre = PrefixSessions.acquire(env, prefixFile, cut.sha256(), file, ref.sha256(), opts);
            return new OnnxModel(env, env.createSession(suffixFile.toString(), opts), lease, pre, cut.sha256());
        } catch (OrtException e) {
            closeQuietly(pre, e);
            lease.close();
            throw new InferenceException("loading adapter model " + bundle.model() + " over backbone weights " + file, e);
        } catch (IOException | RuntimeException e) {
            closeQuietly(pre, e);
            lease.close();
            throw e;
        } finally {
            if (own != null) {
                own.close();
            }
        }
    }

    /** Opens {@code model} with {@code options} (the caller's to close), or with the defaults when null. */
    static OnnxModel open(Path model, OrtSession.SessionOptions options) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(model + ": inference model file does not exist");
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try {
            if (options != null) {
                return new OnnxModel(env, env.createSession(model.toString(), options));
            }
            try (OrtSession.SessionOptions defaults = new OrtSession.SessionOptions()) {
                return new OnnxModel(env, env.createSession(model.toString(), defaults));
            }
        } catch (OrtException e) {
            throw new InferenceException("loading inference model " + model, e);
        }
    }

    /**
     * Runs the graph on the named int64 tensors of shape {@code [rows, len]} (those it does not take
     * are ignored) and returns {@code output} as {@code [rows * width]} floats, row-major. A model
     * with a shared prefix runs the prefix, then the suffix on its outputs.
     */
    float[] run(Map<String, long[]> tensors, int rows, int len, String output) {
        return runAll(List.of(this), tensors, rows, len, output).get(0);
    }

    /**
     * Runs several models on the same tokens; all must share the first one's prefix (same
     * {@link #prefixSha256}, checked by the caller), or be a single model. The prefix runs once, on
     * the first model's prefix session; its output tensors go to every suffix as they are (native
     * memory, no copy to Java), and are freed after the last suffix. Math: prefix(tokens) = (word
     * embeddings E, hidden states H_m after layer m-1, float mask M, additive bias B); each model's
     * logits = suffix_t(E, H_m, M, B, tokens), which is the model's whole graph on the tokens, as
     * the cut only moved nodes between the two graphs. Returns one {@code [rows * width]} array per
     * model, in order.
     */
    static List<float[]> runAll(List<OnnxModel> models, Map<String, long[]> tensors, int rows, int len, String output) {
        OnnxModel first = models.get(0);
        for (OnnxModel m : models) {
            if (m.closed) {
                throw new IllegalStateException("the inference model is closed");
            }
            if (!java.util.Objects.equals(m.prefixSha256, first.prefixSha256) || (m.prefix == null && models.size() > 1)) {
                throw new IllegalArgumentException("models run together must share one prefix");
            }
        }
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        OrtSession.Result prefixOut = null;
        try {
            if (first.prefix != null) {
                prefixOut = first.prefix.run(tokens(first.env, first.prefix.getInputNames(), tensors, rows, len, feeds));
                for (Map.Entry<String, OnnxValue> e : prefixOut) {
                    feeds.put(e.getKey(), (OnnxTensor) e.getValue());
                }
            }
            List<float[]> out = new java.util.ArrayList<>(models.size());
            for (OnnxModel m : models) {
                Map<String, OnnxTensor> in = tokens(m.env, m.inputs, tensors, rows, len, feeds);
                try (OrtSession.Result r = m.session.run(in)) {
                    out.add(floats(r, output));
                }
            }
            return out;
        } catch (OrtException e) {
            throw new InferenceException("running the inference model", e);
        } finally {
            if (prefixOut != null) {
                for (Map.Entry<String, OnnxValue> e : prefixOut) {
                    feeds.remove(e.getKey());
                }
                prefixOut.close();
            }
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** The feeds for {@code names}: from {@code feeds} when there, else a new token tensor (added to {@code feeds}). */
    private static Map<String, OnnxTensor> tokens(OrtEnvironment env, java.util.Collection<String> names, Map<String, long[]> tensors,
                                                  int rows, int len, Map<String, OnnxTensor> feeds) throws OrtException {
        Map<String, OnnxTensor> in = new LinkedHashMap<>();
        for (String name : names) {
            OnnxTensor t = feeds.get(name);
            if (t == null) {
                long[] data = tensors.get(name);
                if (data == null) {
                    throw new IllegalArgumentException("the inference model takes inputs " + names + "; no '" + name
                            + "' is given (given: " + tensors.keySet() + ")");
                }
                t = OnnxTensor.createTensor(env, LongBuffer.wrap(data), new long[] {rows, len});
                feeds.put(name, t);
            }
            in.put(name, t);
        }
        return in;
    }

    private static float[] floats(OrtSession.Result r, String output) {
        Optional<OnnxValue> value = r.get(output);
        if (value.isEmpty() || !(value.get() instanceof OnnxTensor t)) {
            throw new IllegalArgumentException("the inference model has no tensor output '" + output + "'");
        }
        FloatBuffer fb = t.getFloatBuffer();
        if (fb == null) {
            throw new IllegalArgumentException("the inference model's output '" + output + "' is not float32");
        }
        float[] out = new float[fb.remaining()];
        fb.get(out);
        return out;
    }

    private static void closeQuietly(PrefixSessions.Hold s, Exception e) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
                if (prefixHold != null) {
                    prefixHold.close();
                }
            } catch (OrtException e) {
                throw new InferenceException("closing the inference model", e);
            } finally {
                if (weights != null) {
                    weights.close(); // only now: the session used the tensors' memory until it was closed
                }
            }
        }
    }
}
