package dev.idspam.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.TensorInfo;
import dev.idspam.graphs.artifacts.TensorSpec;
import dev.idspam.graphs.build.Dim;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Conversions between {@link HostTensor} and ORT tensors, and the per-call scope that closes them. */
final class OrtTensors {
    private OrtTensors() {
    }

    static OnnxTensor toOnnx(OrtEnvironment env, HostTensor t) throws OrtException {
        if (t instanceof HostTensor.Floats f) {
            return OnnxTensor.createTensor(env, FloatBuffer.wrap(f.data()), f.shape());
        }
        HostTensor.Longs l = (HostTensor.Longs) t;
        return OnnxTensor.createTensor(env, LongBuffer.wrap(l.data()), l.shape());
    }

    static HostTensor fromOnnx(String name, OnnxValue v) throws OrtException {
        if (!(v instanceof OnnxTensor t)) {
            throw new NativeRuntimeException("output '" + name + "' is a " + v.getType() + ", not a tensor");
        }
        TensorInfo info = t.getInfo();
        long[] shape = info.getShape();
        switch (info.type) {
            case FLOAT: {
                FloatBuffer b = t.getFloatBuffer();
                float[] data = new float[b.remaining()];
                b.get(data);
                return HostTensor.floats(data, shape);
            }
            case INT64: {
                LongBuffer b = t.getLongBuffer();
                long[] data = new long[b.remaining()];
                b.get(data);
                return HostTensor.longs(data, shape);
            }
            default:
                throw new NativeRuntimeException("output '" + name + "' has element type " + info.type
                        + "; only FLOAT and INT64 outputs are supported");
        }
    }

    /** Checks a fed tensor against the manifest's description of the graph input. */
    static void check(TensorSpec spec, HostTensor t, String graph) {
        if (spec.type() != t.type()) {
            throw new IllegalArgumentException(graph + " input '" + spec.name() + "' must be " + spec.type()
                    + ", the batch holds " + t.type() + Arrays.toString(t.shape()));
        }
        if (spec.shape() != null) {
            long[] s = t.shape();
            if (s.length != spec.shape().rank()) {
                throw new IllegalArgumentException(graph + " input '" + spec.name() + "' must have shape " + spec.shape()
                        + ", the batch holds " + Arrays.toString(s));
            }
            for (int i = 0; i < s.length; i++) {
                Dim d = spec.shape().dim(i);
                if (d.isKnown() && d.size() != s[i]) {
                    throw new IllegalArgumentException(graph + " input '" + spec.name() + "' must have shape "
                            + spec.shape() + ", the batch holds " + Arrays.toString(s));
                }
            }
        }
    }

    /** The tensors created for one call, closed together. */
    static final class Scope implements AutoCloseable {
        private final List<OnnxTensor> tensors = new ArrayList<>();

        OnnxTensor add(OnnxTensor t) {
            tensors.add(t);
            return t;
        }

        @Override
        public void close() {
            for (OnnxTensor t : tensors) {
                t.close();
            }
            tensors.clear();
        }
    }
}
