package dev.idspam.graphs.autodiff;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.onnx.OnnxWriter;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs a graph in a plain ONNX Runtime CPU session (one intra-op thread: the test machine is
 * shared), feeding and returning {@link TensorData}. Closing it closes the session.
 *
 * <p>Float graphs run with all optimisations, as in production (so ORT's fusions of the backward,
 * e.g. Transpose+MatMul → FusedMatMul, are part of what is checked). Double graphs run at BASIC:
 * the EXTENDED fusions produce com.microsoft kernels that exist for float only.
 */
final class OrtRunner implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();

    private final OrtSession session;

    OrtRunner(Graph g) {
        boolean hasDouble = g.values().values().stream().anyMatch(v -> v.type() == DType.DOUBLE);
        try (OrtSession.SessionOptions opts = new OrtSession.SessionOptions()) {
            opts.setIntraOpNumThreads(1);
            opts.setInterOpNumThreads(1);
            opts.setOptimizationLevel(hasDouble ? OrtSession.SessionOptions.OptLevel.BASIC_OPT
                    : OrtSession.SessionOptions.OptLevel.ALL_OPT);
            session = ENV.createSession(OnnxWriter.toBytes(g), opts);
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime rejected graph " + g.name() + ": " + e.getMessage(), e);
        }
    }

    /** Runs with the given feeds (exactly the graph's inputs) and returns the named outputs. */
    Map<String, TensorData> run(Map<String, TensorData> feeds, List<String> outputs) {
        List<OnnxTensor> owned = new ArrayList<>();
        try {
            Map<String, OnnxTensor> in = new LinkedHashMap<>();
            for (Map.Entry<String, TensorData> e : feeds.entrySet()) {
                OnnxTensor t = toOrt(e.getValue());
                owned.add(t);
                in.put(e.getKey(), t);
            }
            try (OrtSession.Result r = session.run(in, new java.util.LinkedHashSet<>(outputs))) {
                Map<String, TensorData> out = new LinkedHashMap<>();
                for (String name : outputs) {
                    OnnxValue v = r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
                    out.put(name, fromOrt((OnnxTensor) v));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new IllegalStateException("ONNX Runtime run failed: " + e.getMessage(), e);
        } finally {
            owned.forEach(OnnxTensor::close);
        }
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(e);
        }
    }

    private static OnnxTensor toOrt(TensorData t) throws OrtException {
        long[] dims = t.dims();
        return switch (t.type()) {
            case FLOAT -> OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toFloats()), dims);
            case DOUBLE -> OnnxTensor.createTensor(ENV, DoubleBuffer.wrap(t.toDoubles()), dims);
            case INT64 -> OnnxTensor.createTensor(ENV, LongBuffer.wrap(t.toLongs()), dims);
            case INT32 -> OnnxTensor.createTensor(ENV, IntBuffer.wrap(t.toInts()), dims);
            case BOOL -> OnnxTensor.createTensor(ENV, ByteBuffer.wrap(t.rawCopy()), dims, OnnxJavaType.BOOL);
        };
    }

    private static TensorData fromOrt(OnnxTensor t) {
        TensorInfo info = t.getInfo();
        long[] dims = info.getShape();
        return switch (info.type) {
            case FLOAT -> {
                FloatBuffer fb = t.getFloatBuffer();
                float[] f = new float[fb.remaining()];
                fb.get(f);
                yield TensorData.ofFloats(dims, f);
            }
            case DOUBLE -> {
                DoubleBuffer db = t.getDoubleBuffer();
                double[] d = new double[db.remaining()];
                db.get(d);
                yield TensorData.ofDoubles(dims, d);
            }
            case INT64 -> {
                LongBuffer lb = t.getLongBuffer();
                long[] l = new long[lb.remaining()];
                lb.get(l);
                yield TensorData.ofLongs(dims, l);
            }
            case BOOL -> {
                ByteBuffer bb = t.getByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                byte[] b = new byte[bb.remaining()];
                bb.get(b);
                yield TensorData.ofRaw(DType.BOOL, dims, b);
            }
            default -> throw new IllegalStateException("unsupported output type " + info.type);
        };
    }
}
