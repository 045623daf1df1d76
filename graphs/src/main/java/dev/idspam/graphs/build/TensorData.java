package dev.idspam.graphs.build;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A dense tensor value: element type, dimensions and little-endian element bytes (the ONNX
 * {@code raw_data} layout). Instances are immutable; the factories copy their input.
 */
public final class TensorData {
    private final DType type;
    private final long[] dims;
    private final byte[] raw;

    private TensorData(DType type, long[] dims, byte[] raw) {
        this.type = type;
        this.dims = dims.clone();
        long n = count(dims);
        if (n * type.byteSize() != raw.length) {
            throw new IllegalArgumentException("tensor of type " + type + " and dims " + Arrays.toString(dims)
                    + " needs " + n * type.byteSize() + " bytes, got " + raw.length);
        }
        this.raw = raw;
    }

    /** Wraps little-endian bytes; the array is copied. */
    public static TensorData ofRaw(DType type, long[] dims, byte[] littleEndian) {
        return new TensorData(type, dims, littleEndian.clone());
    }

    /** Wraps little-endian bytes without copying; the caller gives up ownership of the array. */
    public static TensorData adoptRaw(DType type, long[] dims, byte[] littleEndian) {
        return new TensorData(type, dims, littleEndian);
    }

    public static TensorData ofFloats(long[] dims, float... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(values);
        return new TensorData(DType.FLOAT, dims, bb.array());
    }

    public static TensorData ofDoubles(long[] dims, double... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asDoubleBuffer().put(values);
        return new TensorData(DType.DOUBLE, dims, bb.array());
    }

    /** A scalar of the given floating type. */
    public static TensorData scalarOf(DType type, double v) {
        return switch (type) {
            case FLOAT -> scalarFloat((float) v);
            case DOUBLE -> ofDoubles(new long[0], v);
            case INT64 -> scalarLong((long) v);
            case INT32 -> ofInts(new long[0], (int) v);
            case BOOL -> ofBools(new long[0], v != 0);
        };
    }

    public static TensorData ofLongs(long[] dims, long... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        bb.asLongBuffer().put(values);
        return new TensorData(DType.INT64, dims, bb.array());
    }

    public static TensorData ofInts(long[] dims, int... values) {
        ByteBuffer bb = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bb.asIntBuffer().put(values);
        return new TensorData(DType.INT32, dims, bb.array());
    }

    public static TensorData ofBools(long[] dims, boolean... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) (values[i] ? 1 : 0);
        }
        return new TensorData(DType.BOOL, dims, b);
    }

    public static TensorData scalarFloat(float v) {
        return ofFloats(new long[0], v);
    }

    public static TensorData scalarLong(long v) {
        return ofLongs(new long[0], v);
    }

    /** A 1-D int64 tensor, the usual form of shape, axes and index constants. */
    public static TensorData longs(long... values) {
        return ofLongs(new long[] {values.length}, values);
    }

    public static TensorData zeros(DType type, long... dims) {
        return new TensorData(type, dims, new byte[Math.toIntExact(count(dims) * type.byteSize())]);
    }

    public static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in " + Arrays.toString(dims));
            }
            n *= d;
        }
        return n;
    }

    public DType type() {
        return type;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public long numElements() {
        return count(dims);
    }

    public Shape shape() {
        return Shape.ofSizes(dims);
    }

    /** The element bytes (little-endian). Returns the internal array: do not modify it. */
    public byte[] rawView() {
        return raw;
    }

    public byte[] rawCopy() {
        return raw.clone();
    }

    public float[] toFloats() {
        requireType(DType.FLOAT);
        float[] out = new float[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    public double[] toDoubles() {
        requireType(DType.DOUBLE);
        double[] out = new double[raw.length / 8];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer().get(out);
        return out;
    }

    /** Elements widened to double, for FLOAT and DOUBLE tensors. */
    public double[] toDoubleArray() {
        if (type == DType.DOUBLE) {
            return toDoubles();
        }
        float[] f = toFloats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    public long[] toLongs() {
        requireType(DType.INT64);
        long[] out = new long[raw.length / 8];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    public int[] toInts() {
        requireType(DType.INT32);
        int[] out = new int[raw.length / 4];
        ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** Same bytes, new dimensions with the same element count. */
    public TensorData reshape(long... newDims) {
        return new TensorData(type, newDims, raw);
    }

    /** SHA-256 over type, dims and bytes: equal digests mean bit-identical tensors. */
    public String sha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((byte) type.onnxCode());
            ByteBuffer bb = ByteBuffer.allocate(8 * dims.length).order(ByteOrder.LITTLE_ENDIAN);
            for (long d : dims) {
                bb.putLong(d);
            }
            md.update(bb.array());
            md.update(raw);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void requireType(DType expected) {
        if (type != expected) {
            throw new IllegalStateException("tensor is " + type + ", not " + expected);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TensorData t && t.type == type && Arrays.equals(t.dims, dims) && Arrays.equals(t.raw, raw);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * type.hashCode() + Arrays.hashCode(dims)) + Arrays.hashCode(raw);
    }

    @Override
    public String toString() {
        return "TensorData[" + type + " " + Arrays.toString(dims) + "]";
    }
}
