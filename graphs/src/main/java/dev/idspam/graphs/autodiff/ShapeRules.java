package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * Rules of the data-movement operators: reshapes, transposes, concatenation and its inverses,
 * slicing and gathering. Static shapes are used where they decide a size; otherwise the rule reads
 * the size at run time with {@code Shape}.
 */
final class ShapeRules {
    private static final long TO_END = Long.MAX_VALUE / 2;

    private ShapeRules() {
    }

    // y = reshape(x, s) → dx = reshape(dy, shape(x))
    static void reshape(GradContext c) {
        GradOps.requireNoGrad(c, 1, "target shape");
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        c.addGrad(0, c.ops().reshape(dy, GradOps.reshapeTarget(c.ops(), dy, x)));
    }

    // y = transpose(x, p) → dx = transpose(dy, p⁻¹)
    static void transpose(GradContext c) {
        List<Long> perm = c.node().intsAttr("perm");
        Value dy = c.gradOutput(0);
        if (perm == null) {
            c.addGrad(0, c.builder().op("Transpose", List.of(), dy)); // reversal is its own inverse
            return;
        }
        long[] p = perm.stream().mapToLong(Long::longValue).toArray();
        c.addGrad(0, c.ops().transpose(dy, GradOps.inversePerm(p)));
    }

    // y = unsqueeze(x, axes) → dx = squeeze(dy, axes) (both read axes in y's rank)
    static void unsqueeze(GradContext c) {
        c.addGrad(0, c.builder().op("Squeeze", List.of(), c.gradOutput(0), c.input(1)));
    }

    // y = squeeze(x, axes) → dx = unsqueeze(dy, axes) (both read axes in x's rank); no axes → reshape to x
    static void squeeze(GradContext c) {
        Value dy = c.gradOutput(0);
        if (c.node().hasInput(1)) {
            c.addGrad(0, c.builder().op("Unsqueeze", List.of(), dy, c.input(1)));
        } else {
            c.addGrad(0, c.ops().reshape(dy, GradOps.reshapeTarget(c.ops(), dy, c.input(0))));
        }
    }

    // y = expand(x, s) → dx = unbroadcast(dy, x)
    static void expand(GradContext c) {
        GradOps.requireNoGrad(c, 1, "target shape");
        c.addGrad(0, c.unbroadcast(c.gradOutput(0), c.input(0)));
    }

    // y = concat(x₀…xₙ, axis) → dxᵢ = slice(dy, offsetᵢ, offsetᵢ + lenᵢ) along axis
    static void concat(GradContext c) {
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        Value x0 = c.input(0);
        if (!x0.hasShape()) {
            throw GradOps.unsupported(c, "the rank of input 0 must be known");
        }
        int axis = GradOps.axis(c.node().intAttr("axis", 0), x0.rank());
        Value axes = o.longs(axis);
        int n = c.node().inputs().size();
        long staticOffset = 0;
        Value dynamicOffset = null;
        for (int i = 0; i < n; i++) {
            Value xi = c.input(i);
            Dim len = xi.hasShape() ? xi.shape().dim(axis) : Dim.unknown();
            if (c.needsGrad(i)) {
                Value start = dynamicOffset == null ? o.longs(staticOffset) : dynamicOffset;
                Value end;
                if (i == n - 1) {
                    end = o.longs(TO_END);
                } else if (dynamicOffset == null && len.isKnown()) {
                    end = o.longs(staticOffset + len.size());
                } else {
                    end = o.add(start, GradOps.dimOf(o, xi, axis));
                }
                c.addGrad(i, GradOps.withShape(c.builder().op("Slice", List.of(), dy, start, end, axes), xi.shape()));
            }
            if (i < n - 1) {
                if (dynamicOffset == null && len.isKnown()) {
                    staticOffset += len.size();
                } else {
                    Value base = dynamicOffset == null ? o.longs(staticOffset) : dynamicOffset;
                    dynamicOffset = o.add(base, GradOps.dimOf(o, xi, axis));
                }
            }
        }
    }

    // (y₀…yₙ) = split(x, axis) → dx = concat(dy₀…dyₙ, axis), zeros for outputs no gradient reached
    static void split(GradContext c) {
        Value x = c.input(0);
        if (!x.hasShape()) {
            throw GradOps.unsupported(c, "the rank of the input must be known");
        }
        int axis = GradOps.axis(c.node().intAttr("axis", 0), x.rank());
        int n = c.node().outputs().size();
        Value[] parts = new Value[n];
        for (int i = 0; i < n; i++) {
            Value g = c.gradOutput(i);
            parts[i] = g != null ? g : GradOps.zerosLike(c.builder(), c.output(i));
        }
        c.addGrad(0, n == 1 ? parts[0] : c.ops().concat(axis, parts));
    }

    /**
     * y = x[starts:ends] (step 1) → dx = pad(dy) with zeros before and after the slice.
     * Pads are constants when the bounds and the sliced dims are static, else computed with Shape.
     */
    static void slice(GradContext c) {
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        for (int i = 1; i <= 4; i++) {
            GradOps.requireNoGrad(c, i, "slice bounds");
        }
        if (!x.hasShape()) {
            throw GradOps.unsupported(c, "the rank of the data input must be known");
        }
        int r = x.rank();
        long[] steps = c.node().hasInput(4) ? GradOps.constLongs(c, 4) : null;
        if (c.node().hasInput(4) && steps == null) {
            throw GradOps.unsupported(c, "steps must be a constant (only steps of 1 are supported)");
        }
        if (steps != null) {
            for (long s : steps) {
                if (s != 1) {
                    throw GradOps.unsupported(c, "only steps of 1 are supported, got steps " + java.util.Arrays.toString(steps));
                }
            }
        }
        long[] starts = GradOps.constLongs(c, 1);
        long[] ends = GradOps.constLongs(c, 2);
        long[] axesIn = c.node().hasInput(3) ? GradOps.constLongs(c, 3) : null;
        if (c.node().hasInput(3) && axesIn == null) {
            throw GradOps.unsupported(c, "axes must be a constant");
        }
        int k = starts != null ? starts.length : ends != null ? ends.length : axesIn != null ? axesIn.length : -1;
        if (k < 0) {
            throw GradOps.unsupported(c, "at least one of starts, ends or axes must be a constant (to know how many axes are sliced)");
        }
        long[] axes = axesIn != null ? axesIn : GradOps.iota(0, k);
        // Each pad entry is either a static long (held in padStatic) or a [1]-shaped int64 value.
        long[] padStatic = new long[2 * r];
        Value[] padDynamic = new Value[2 * r];
        for (int j = 0; j < k; j++) {
            int a = GradOps.axis(axes[j], r);
            Dim d = x.shape().dim(a);
            Long st = starts == null ? null : starts[j];
            Long en = ends == null ? null : ends[j];
            if (st != null && en != null && d.isKnown()) {
                long size = d.size();
                long s = clamp(st < 0 ? st + size : st, size);
                long e = clamp(en < 0 ? en + size : en, size);
                padStatic[a] = s;
                padStatic[r + a] = size - Math.max(e, s);
            } else if (st != null && st == 0 && en != null && en >= TO_END) {
                padStatic[a] = 0;
                padStatic[r + a] = 0;
            } else {
                Value dim = GradOps.dimOf(o, x, a);
                Value s = normalizedBound(c, st, 1, j, dim);
                Value e = en != null && en >= TO_END ? dim : normalizedBound(c, en, 2, j, dim);
                padDynamic[a] = s;
                padDynamic[r + a] = o.sub(dim, c.builder().op("Max", List.of(), e, s));
            }
        }
        boolean anyDynamic = false;
        boolean anyNonZero = false;
        for (int i = 0; i < 2 * r; i++) {
            anyDynamic |= padDynamic[i] != null;
            anyNonZero |= padStatic[i] != 0;
        }
        if (!anyDynamic && !anyNonZero) {
            c.addGrad(0, dy);
            return;
        }
        Value pads;
        if (!anyDynamic) {
            pads = o.longs(padStatic);
        } else {
            Value[] parts = new Value[2 * r];
            for (int i = 0; i < 2 * r; i++) {
                parts[i] = padDynamic[i] != null ? padDynamic[i] : o.longs(padStatic[i]);
            }
            pads = o.concat(0, parts);
        }
        c.addGrad(0, GradOps.withShape(c.builder().op("Pad", List.of(), dy, pads), x.shape()));
    }

    /** A start or end clamped into [0, dim] as ONNX Slice does, as a [1]-shaped int64 tensor. */
    private static Value normalizedBound(GradContext c, Long constant, int input, int j, Value dim) {
        Ops o = c.ops();
        GraphBuilder b = c.builder();
        Value v;
        if (constant != null) {
            v = constant < 0 ? o.add(o.longs(constant), dim) : o.longs(constant);
        } else {
            Value raw = GradOps.asInt64(o, o.slice(c.input(input), new long[] {j}, new long[] {j + 1}, new long[] {0}));
            Value zero = o.longs(0);
            v = o.where(b.op("Less", List.of(), raw, zero), o.add(raw, dim), raw);
        }
        if (constant == null || constant < 0) {
            v = b.op("Max", List.of(), v, o.longs(0));
        }
        return b.op("Min", List.of(), v, dim);
    }

    private static long clamp(long v, long size) {
        return Math.max(0, Math.min(size, v));
    }

    /**
     * y = gather(x, idx, axis) → dx = zeros(x) with dy added at idx along axis. A scalar index uses a
     * one-hot mask (one Mul); tensor indices use ScatterND(reduction=add), after moving axis to the
     * front when it is not already there.
     */
    static void gather(GradContext c) {
        Value x = c.input(0);
        Value idx = c.input(1);
        Value dy = c.gradOutput(0);
        if (!x.hasShape() || !idx.hasShape()) {
            throw GradOps.unsupported(c, "the ranks of data and indices must be known");
        }
        int r = x.rank();
        int axis = GradOps.axis(c.node().intAttr("axis", 0), r);
        if (idx.rank() == 0) {
            c.addGrad(0, gatherScalarGrad(c, x, idx, dy, axis));
        } else if (axis == 0) {
            c.addGrad(0, scatterAdd(c, GradOps.zerosLike(c.builder(), x), idx, dy));
        } else {
            c.addGrad(0, gatherAxisGrad(c, x, idx, dy, axis));
        }
    }

    // dx = unsqueeze(dy, axis) · onehot(idx) laid along axis
    private static Value gatherScalarGrad(GradContext c, Value x, Value idx, Value dy, int axis) {
        Ops o = c.ops();
        GraphBuilder b = c.builder();
        int trailing = x.rank() - axis - 1;
        Dim d = x.shape().dim(axis);
        TensorData idxConst = c.constantInput(1);
        Value oneHot;
        if (d.isKnown() && idxConst != null) {
            long size = d.size();
            long i = (long) GradOps.scalarValue(idxConst);
            i = i < 0 ? i + size : i;
            double[] hot = new double[(int) size];
            hot[(int) i] = 1;
            long[] dims = new long[trailing + 1];
            java.util.Arrays.fill(dims, 1);
            dims[0] = size;
            TensorData t = x.type() == DType.DOUBLE ? TensorData.ofDoubles(dims, hot) : TensorData.ofFloats(dims, toFloats(hot));
            oneHot = b.constant("onehot", t);
        } else {
            Value size = GradOps.dimScalar(o, x, axis);
            Value i = GradOps.asInt64(o, idx);
            if (idxConst == null || GradOps.scalarValue(idxConst) < 0) {
                i = o.where(b.op("Less", List.of(), i, o.scalarLong(0)), o.add(i, size), i);
            }
            Value range = b.op("Range", List.of(), o.scalarLong(0), size, o.scalarLong(1));
            Value hot = o.cast(o.equal(range, i), x.type());
            long[] shape = new long[trailing + 1];
            java.util.Arrays.fill(shape, 1);
            shape[0] = -1;
            oneHot = trailing == 0 ? hot : o.reshape(hot, shape);
        }
        return GradOps.withShape(o.mul(o.unsqueeze(dy, axis), oneHot), x.shape());
    }

    // ScatterND(zeros, idx[..., None], dy, reduction = add): repeated indices accumulate
    private static Value scatterAdd(GradContext c, Value zeros, Value idx, Value dy) {
        Ops o = c.ops();
        Value ind = o.unsqueeze(GradOps.asInt64(o, idx), -1);
        Value out = c.builder().op("ScatterND", List.of(Attr.s("reduction", "add")), zeros, ind, dy);
        return GradOps.withShape(out, zeros.shape());
    }

    // Move axis to the front (x and dy), scatter-add along axis 0, move it back.
    private static Value gatherAxisGrad(GradContext c, Value x, Value idx, Value dy, int axis) {
        Ops o = c.ops();
        GraphBuilder b = c.builder();
        int r = x.rank();
        int q = idx.rank();
        long[] front = new long[r];
        front[0] = axis;
        for (int i = 0, k = 1; i < r; i++) {
            if (i != axis) {
                front[k++] = i;
            }
        }
        Value frontShape;
        if (x.shape().isFullyKnown()) {
            long[] s = x.shape().sizes();
            long[] t = new long[r];
            for (int i = 0; i < r; i++) {
                t[i] = s[(int) front[i]];
            }
            frontShape = o.longs(t);
        } else {
            frontShape = o.gather(o.shape(x), o.longs(front), 0);
        }
        Value zeros = b.op("ConstantOfShape", List.of(Attr.t("value", GradOps.zeroOf(x.type()))), frontShape);
        // dy: [x_0..x_{a-1}, idx dims, x_{a+1}..] → [idx dims, x_0..x_{a-1}, x_{a+1}..]
        long[] dyPerm = new long[dy.hasShape() ? dy.rank() : r - 1 + q];
        int k = 0;
        for (int i = 0; i < q; i++) {
            dyPerm[k++] = axis + i;
        }
        for (int i = 0; i < axis; i++) {
            dyPerm[k++] = i;
        }
        for (int i = axis + q; i < dyPerm.length; i++) {
            dyPerm[k++] = i;
        }
        Value scattered = scatterAdd(c, zeros, idx, o.transpose(dy, dyPerm));
        return GradOps.withShape(o.transpose(scattered, GradOps.inversePerm(front)), x.shape());
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }
}
