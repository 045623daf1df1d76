package dev.idspam.graphs.backbone;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.onnx.OnnxWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a built graph (or raw ONNX model bytes) on ONNX Runtime CPU. Parameters are fed from their
 * initial values, held in direct buffers that ORT reads without copying.
 */
final class GraphRunner implements AutoCloseable {
    private final OrtEnvironment env = OrtEnvironment.getEnvironment();
    private final OrtSession.SessionOptions ownedOptions;
    private final OrtSession session;
    private final Map<String, OnnxTensor> parameters = new LinkedHashMap<>();
    private boolean closed;

    GraphRunner(Graph g) throws OrtException {
        this(OnnxWriter.toBytes(g), g.parameters());
    }

    /** Raw model bytes (for example an original ONNX export) plus parameters to feed. */
    GraphRunner(byte[] model, List<Parameter> params) throws OrtException {
        ownedOptions = options(2);
        session = env.createSession(model, ownedOptions);
        for (Parameter p : params) {
            ByteBuffer buf = ByteBuffer.allocateDirect(p.initial().rawView().length).order(ByteOrder.LITTLE_ENDIAN);
            buf.put(p.initial().rawView()).flip();
            parameters.put(p.name(), OnnxTensor.createTensor(env, buf, p.initial().dims(), OnnxJavaType.FLOAT));
        }
    }

    static OrtSession.SessionOptions options(int threads) throws OrtException {
        OrtSession.SessionOptions o = new OrtSession.SessionOptions();
        o.setIntraOpNumThreads(threads);
        o.setInterOpNumThreads(1);
        o.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        o.addConfigEntry("session.intra_op.allow_spinning", "0");
        return o;
    }

    /** A float output: row-major data and dims. */
    record Out(float[] data, long[] shape) {
        float at(int... idx) {
            int flat = 0;
            for (int i = 0; i < idx.length; i++) {
                flat = flat * (int) shape[i] + idx[i];
            }
            return data[flat];
        }
    }

    /** Runs with int64 [B, L] inputs (names as in the graph) and returns the requested float outputs. */
    Map<String, Out> run(Map<String, long[][]> inputs, String... outputs) throws OrtException {
        return runMixed(new LinkedHashMap<>(inputs), outputs);
    }

    /**
     * Runs with inputs of any of these kinds: {@code long[][]} (int64 [B, L]), {@code long[]} (int64
     * [B]) or {@link Out} (float with its shape); returns the requested float outputs.
     */
    Map<String, Out> runMixed(Map<String, ?> inputs, String... outputs) throws OrtException {
        if (closed) {
            throw new IllegalStateException("GraphRunner is closed");
        }
        Map<String, OnnxTensor> feed = new HashMap<>(parameters);
        Map<String, OnnxTensor> owned = new HashMap<>();
        try {
            for (Map.Entry<String, ?> e : inputs.entrySet()) {
                OnnxTensor t;
                if (e.getValue() instanceof long[][] v) {
                    LongBuffer lb = LongBuffer.allocate(v.length * v[0].length);
                    for (long[] row : v) {
                        lb.put(row);
                    }
                    lb.flip();
                    t = OnnxTensor.createTensor(env, lb, new long[] {v.length, v[0].length});
                } else if (e.getValue() instanceof long[] v) {
                    t = OnnxTensor.createTensor(env, LongBuffer.wrap(v), new long[] {v.length});
                } else {
                    Out o = (Out) e.getValue();
                    t = OnnxTensor.createTensor(env, FloatBuffer.wrap(o.data()), o.shape());
                }
                owned.put(e.getKey(), t);
            }
            feed.putAll(owned);
            Map<String, Out> out = new LinkedHashMap<>();
            try (OrtSession.Result r = session.run(feed, java.util.Set.of(outputs))) {
                for (String name : outputs) {
                    OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow();
                    FloatBuffer fb = t.getFloatBuffer();
                    float[] data = new float[fb.remaining()];
                    fb.get(data);
                    out.put(name, new Out(data, t.getInfo().getShape()));
                }
            }
            return out;
        } finally {
            owned.values().forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() throws OrtException {
        if (!closed) {
            closed = true;
            parameters.values().forEach(OnnxTensor::close);
            session.close();
            ownedOptions.close();
        }
    }
}
