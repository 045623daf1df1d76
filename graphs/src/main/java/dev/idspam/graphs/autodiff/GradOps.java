package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Graph fragments that several gradient rules build: shapes as tensors (constant when the static
 * shape decides them), zeros and expansions to a forward tensor's shape, axis normalisation, and
 * reading constant operands. Broadcast reduction lives in {@link Broadcasting}.
 */
final class GradOps {
    private GradOps() {
    }

    /** x's shape as a 1-D int64 tensor: a constant when fully known, else a run-time {@code Shape}. */
    static Value shapeOf(Ops o, Value x) {
        if (x.hasShape() && x.shape().isFullyKnown()) {
            return o.longs(x.shape().sizes());
        }
        return o.shape(x);
    }

    /**
     * A Reshape target that turns g into x's shape: a constant when x's dims are known or equal
     * (same symbol, same position) to g's, using 0 (copy) for those and -1 for at most one other
     * dim; otherwise {@code Shape(x)} at run time.
     */
    static Value reshapeTarget(Ops o, Value g, Value x) {
        if (!x.hasShape()) {
            return o.shape(x);
        }
        int r = x.rank();
        long[] target = new long[r];
        boolean inferred = false;
        for (int i = 0; i < r; i++) {
            Dim d = x.shape().dim(i);
            if (d.isKnown() && d.size() != 0) {
                target[i] = d.size();
            } else if (!d.isKnown() && g.hasShape() && i < g.rank() && d.sameAs(g.shape().dim(i))) {
                target[i] = 0;
            } else if (!d.isKnown() && !inferred) {
                target[i] = -1;
                inferred = true;
            } else {
                return o.shape(x);
            }
        }
        return o.longs(target);
    }

    /** Dimension {@code axis} of x as a 1-D int64 tensor of length 1. */
    static Value dimOf(Ops o, Value x, int axis) {
        if (x.hasShape() && x.shape().dim(axis).isKnown()) {
            return o.longs(x.shape().dim(axis).size());
        }
        return o.shape(x, axis, axis + 1);
    }

    /** Dimension {@code axis} of x as an int64 scalar. */
    static Value dimScalar(Ops o, Value x, int axis) {
        if (x.hasShape() && x.shape().dim(axis).isKnown()) {
            return o.scalarLong(x.shape().dim(axis).size());
        }
        return o.squeeze(o.shape(x, axis, axis + 1), 0);
    }

    /** Broadcasts g to x's shape (g's dims are 1 or equal to x's); the result carries x's static shape. */
    static Value expandTo(GraphBuilder b, Value g, Value x) {
        if (g.hasShape() && x.hasShape() && g.shape().sameAs(x.shape())) {
            return g;
        }
        Value e = b.ops().expand(g, shapeOf(b.ops(), x));
        return withShape(e, x.shape());
    }

    /** Zeros with x's type and shape. */
    static Value zerosLike(GraphBuilder b, Value x) {
        Value z = b.op("ConstantOfShape", List.of(Attr.t("value", zeroOf(x.type()))), shapeOf(b.ops(), x));
        return withShape(z, x.shape());
    }

    static TensorData zeroOf(DType t) {
        return TensorData.scalarOf(t, 0).reshape(1);
    }

    /** The same value with a static shape attached when inference left it unknown. */
    static Value withShape(Value v, Shape s) {
        if (s == null || (v.hasShape() && v.shape().isFullyKnown())) {
            return v;
        }
        return new Value(v.name(), v.type(), s);
    }

    /** Axis in [0, rank). */
    static int axis(long a, int rank) {
        int r = (int) (a < 0 ? a + rank : a);
        if (r < 0 || r >= rank) {
            throw new IllegalArgumentException("axis " + a + " is out of range for rank " + rank);
        }
        return r;
    }

    static long[] iota(int from, int to) {
        long[] out = new long[Math.max(0, to - from)];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    static long[] inversePerm(long[] perm) {
        long[] inv = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inv[(int) perm[i]] = i;
        }
        return inv;
    }

    static Value transposeLast2(Ops o, Value v) {
        int r = v.rank();
        long[] perm = iota(0, r);
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return o.transpose(v, perm);
    }

    /** Y = alpha·op(A)·op(B) for 2-D operands. */
    static Value gemm(GraphBuilder b, Value a, Value bMat, boolean transA, boolean transB, double alpha) {
        List<Attr> attrs = new ArrayList<>();
        if (alpha != 1.0) {
            attrs.add(Attr.f("alpha", (float) alpha));
        }
        if (transA) {
            attrs.add(Attr.i("transA", 1));
        }
        if (transB) {
            attrs.add(Attr.i("transB", 1));
        }
        return b.node("Gemm", "", Arrays.asList(a, bMat), attrs, 1).get(0);
    }

    /** The constant integer values of input i (int32 or int64 initializer), or null when not constant. */
    static long[] constLongs(GradContext c, int i) {
        TensorData t = c.constantInput(i);
        if (t == null) {
            return null;
        }
        return switch (t.type()) {
            case INT64 -> t.toLongs();
            case INT32 -> Arrays.stream(t.toInts()).asLongStream().toArray();
            default -> null;
        };
    }

    /** The single element of a constant numeric tensor, widened to double. */
    static double scalarValue(TensorData t) {
        if (t.numElements() != 1) {
            throw new IllegalArgumentException("expected a single element, got " + t);
        }
        return switch (t.type()) {
            case FLOAT, DOUBLE -> t.toDoubleArray()[0];
            case INT64 -> t.toLongs()[0];
            case INT32 -> t.toInts()[0];
            case BOOL -> t.rawView()[0] != 0 ? 1 : 0;
        };
    }

    /** Indices as int64 (Equal, ScatterND and Range need matching int64 operands). */
    static Value asInt64(Ops o, Value indices) {
        return indices.type() == DType.INT64 ? indices : o.cast(indices, DType.INT64);
    }

    /** Fails when input i would need a gradient that this operator does not define. */
    static void requireNoGrad(GradContext c, int i, String what) {
        if (c.needsGrad(i)) {
            throw new NonDifferentiableInputException(c.node().opType() + " node " + c.node().name() + ": input " + i
                    + " ('" + c.node().input(i) + "', the " + what + ") depends on a trained tensor, but it has no gradient;"
                    + " compute it from frozen tensors or constants");
        }
    }

    /** An error that names the operator and node, and says what is unsupported. */
    static UnsupportedOperationException unsupported(GradContext c, String what) {
        return new UnsupportedOperationException(c.node().opType() + " gradient (node " + c.node().name() + "): " + what);
    }
}
