package dev.idspam.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

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
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> inputs;
    private boolean closed;

    private OnnxModel(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputs = List.copyOf(session.getInputNames());
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
     * are ignored) and returns {@code output} as {@code [rows * width]} floats, row-major.
     */
    float[] run(Map<String, long[]> tensors, int rows, int len, String output) {
        if (closed) {
            throw new IllegalStateException("the inference model is closed");
        }
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
        try {
            for (String name : inputs) {
                long[] data = tensors.get(name);
                if (data == null) {
                    throw new IllegalArgumentException("the inference model takes inputs " + inputs + "; no '" + name
                            + "' is given (given: " + tensors.keySet() + ")");
                }
                feeds.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(data), new long[] {rows, len}));
            }
            try (OrtSession.Result r = session.run(feeds)) {
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
        } catch (OrtException e) {
            throw new InferenceException("running the inference model", e);
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    /** Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                session.close();
            } catch (OrtException e) {
                throw new InferenceException("closing the inference model", e);
            }
        }
    }
}
