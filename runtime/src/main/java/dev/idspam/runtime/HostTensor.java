package dev.idspam.runtime;

import dev.idspam.graphs.build.DType;

import java.util.Arrays;

/**
 * A tensor in Java memory, as batch sources produce them and eval/inference results come back:
 * {@code float[]} or {@code long[]} data in row-major order plus a shape. The data array is not
 * copied (batches are built once per step); do not modify it after handing it over.
 */
public sealed interface HostTensor permits HostTensor.Floats, HostTensor.Longs {
    /** Dimensions (a copy). */
    long[] shape();

    DType type();

    /** Number of elements. */
    int size();

    /** First dimension (the batch rows), or 1 for a scalar. */
    default long rows() {
        long[] s = shape();
        return s.length == 0 ? 1 : s[0];
    }

    static Floats floats(float[] data, long... shape) {
        return new Floats(data, shape);
    }

    static Longs longs(long[] data, long... shape) {
        return new Longs(data, shape);
    }

    /** A float tensor. */
    record Floats(float[] data, long[] shape) implements HostTensor {
        public Floats {
            shape = checkedShape(shape, data == null ? -1 : data.length);
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public DType type() {
            return DType.FLOAT;
        }

        @Override
        public int size() {
            return data.length;
        }

        /** The single element of a one-element tensor (a scalar loss, for example). */
        public float scalar() {
            if (data.length != 1) {
                throw new IllegalStateException("tensor of shape " + Arrays.toString(shape) + " is not a single value");
            }
            return data[0];
        }

        @Override
        public String toString() {
            return "Floats" + Arrays.toString(shape);
        }
    }

    /** An int64 tensor (token ids, masks, class labels). */
    record Longs(long[] data, long[] shape) implements HostTensor {
        public Longs {
            shape = checkedShape(shape, data == null ? -1 : data.length);
        }

        @Override
        public long[] shape() {
            return shape.clone();
        }

        @Override
        public DType type() {
            return DType.INT64;
        }

        @Override
        public int size() {
            return data.length;
        }

        @Override
        public String toString() {
            return "Longs" + Arrays.toString(shape);
        }
    }

    private static long[] checkedShape(long[] shape, int length) {
        if (length < 0) {
            throw new IllegalArgumentException("tensor data is required");
        }
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n + " elements but the data has "
                    + length);
        }
        return shape.clone();
    }
}
