package dev.idspam.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An exported model ({@link TrainingSession#exportForInference}) run with a plain
 * {@code OrtSession}. Works on the stock, inference-only ONNX Runtime (the Microsoft jar alone):
 * when no {@link NativeRuntime} is installed it uses the default environment.
 */
public final class InferenceModel implements AutoCloseable {
    private final OrtEnvironment env;
    private final OrtSession session;
    private final List<String> inputs;
    private final List<String> outputs;
    private boolean closed;

    private InferenceModel(OrtEnvironment env, OrtSession session) throws OrtException {
        this.env = env;
        this.session = session;
        this.inputs = List.copyOf(session.getInputNames());
        this.outputs = List.copyOf(session.getOutputNames());
    }

    /** Opens {@code model} on the installed {@link NativeRuntime}, or on the stock runtime when none is installed. */
    public static InferenceModel open(Path model) {
        return NativeRuntime.current().map(rt -> open(rt, model)).orElseGet(() -> openStock(model));
    }

    /** Opens {@code model} with {@code runtime}'s session options (global thread pool, device). */
    public static InferenceModel open(NativeRuntime runtime, Path model) {
        requireFile(model);
        try (OrtSession.SessionOptions so = runtime.sessionOptions()) {
            return new InferenceModel(runtime.environment(), runtime.environment().createSession(model.toString(), so));
        } catch (OrtException e) {
            throw new NativeRuntimeException("loading inference model " + model, e);
        }
    }

    private static InferenceModel openStock(Path model) {
        requireFile(model);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            return new InferenceModel(env, env.createSession(model.toString(), so));
        } catch (OrtException e) {
            throw new NativeRuntimeException("loading inference model " + model, e);
        }
    }

    private static void requireFile(Path model) {
        if (!Files.isRegularFile(model)) {
            throw new IllegalArgumentException(model + ": inference model file does not exist");
        }
    }

    public List<String> inputNames() {
        return inputs;
    }

    public List<String> outputNames() {
        return outputs;
    }

    /** Runs the model on the batch's tensors that it takes (others are ignored); all outputs by name. */
    public Map<String, HostTensor> run(Batch batch) {
        requireOpen();
        try (OrtTensors.Scope scope = new OrtTensors.Scope()) {
            Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
            for (String name : inputs) {
                HostTensor t = batch.inputs().get(name);
                if (t == null) {
                    throw new IllegalArgumentException("the inference model takes inputs " + inputs + "; the batch has no '"
                            + name + "' (it holds " + batch.inputs().keySet() + ")");
                }
                feeds.put(name, scope.add(OrtTensors.toOnnx(env, t)));
            }
            try (OrtSession.Result r = session.run(feeds)) {
                Map<String, HostTensor> out = new LinkedHashMap<>();
                List<String> names = new ArrayList<>(outputs);
                for (int i = 0; i < names.size(); i++) {
                    out.put(names.get(i), OrtTensors.fromOnnx(names.get(i), r.get(i)));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new NativeRuntimeException("running the inference model", e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("InferenceModel is closed");
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
                throw new NativeRuntimeException("closing the inference model", e);
            }
        }
    }
}
