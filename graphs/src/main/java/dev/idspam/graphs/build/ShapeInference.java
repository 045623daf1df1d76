package dev.idspam.graphs.build;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Static type and shape inference for the operators the project emits. Shapes are best effort:
 * when a fact cannot be derived (for example a Reshape whose target is computed at run time) the
 * output shape is left unknown, and consumers fall back to run-time shape ops.
 */
public final class ShapeInference {
    /** Inferred element type and (possibly null) shape of one output. */
    public record TypeAndShape(DType type, Shape shape) { }

    private ShapeInference() {
    }

    static List<TypeAndShape> infer(Node node, List<Value> in, Function<String, TensorData> constants) {
        String op = node.opType();
        Value x = in.isEmpty() ? null : in.get(0);
        DType t0 = x == null ? DType.FLOAT : x.type();
        Shape s0 = x == null ? null : x.shape();
        switch (op) {
            case "Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", "Sum" -> {
                return one(t0, broadcastAll(in));
            }
            case "Equal", "Greater", "Less", "GreaterOrEqual", "LessOrEqual", "And", "Or", "Xor" -> {
                return one(DType.BOOL, broadcastAll(in));
            }
            case "Not", "IsNaN", "IsInf" -> {
                return one(DType.BOOL, s0);
            }
            case "Where" -> {
                return one(in.get(1).type(), broadcastAll(in));
            }
            case "Neg", "Sqrt", "Erf", "Tanh", "Relu", "Sigmoid", "Exp", "Log", "Identity", "Abs", "Reciprocal",
                 "Softmax", "LogSoftmax", "Gelu", "Sign", "Floor", "Ceil", "Clip", "InPlaceAccumulatorV2_disabled" -> {
                return one(t0, s0);
            }
            case "Dropout" -> {
                List<TypeAndShape> out = new ArrayList<>();
                out.add(new TypeAndShape(t0, s0));
                out.add(new TypeAndShape(DType.BOOL, s0));
                return out.subList(0, node.outputs().size());
            }
            case "Cast" -> {
                return one(DType.fromOnnx((int) node.intAttr("to", 1)), s0);
            }
            case "MatMul", "FusedMatMul" -> {
                return one(t0, matmul(in.get(0).shape(), in.get(1).shape(),
                        node.intAttr("transA", 0) != 0, node.intAttr("transB", 0) != 0));
            }
            case "Gemm" -> {
                Shape a = in.get(0).shape();
                Shape b = in.get(1).shape();
                if (a == null || b == null) {
                    return one(t0, null);
                }
                Dim m = node.intAttr("transA", 0) != 0 ? a.dim(1) : a.dim(0);
                Dim n = node.intAttr("transB", 0) != 0 ? b.dim(0) : b.dim(1);
                return one(t0, new Shape(List.of(m, n)));
            }
            case "Transpose" -> {
                if (s0 == null) {
                    return one(t0, null);
                }
                List<Long> perm = node.intsAttr("perm");
                List<Dim> dims = new ArrayList<>();
                for (int i = 0; i < s0.rank(); i++) {
                    int src = perm == null ? s0.rank() - 1 - i : perm.get(i).intValue();
                    dims.add(s0.dim(src));
                }
                return one(t0, new Shape(dims));
            }
            case "Reshape" -> {
                return one(t0, reshape(s0, constLongs(node, 1, constants)));
            }
            case "Unsqueeze" -> {
                long[] axes = constLongs(node, 1, constants);
                if (s0 == null || axes == null) {
                    return one(t0, null);
                }
                int r = s0.rank() + axes.length;
                boolean[] isNew = new boolean[r];
                for (long a : axes) {
                    isNew[(int) (a < 0 ? a + r : a)] = true;
                }
                List<Dim> dims = new ArrayList<>();
                int k = 0;
                for (int i = 0; i < r; i++) {
                    dims.add(isNew[i] ? Dim.of(1) : s0.dim(k++));
                }
                return one(t0, new Shape(dims));
            }
            case "Squeeze" -> {
                long[] axes = constLongs(node, 1, constants);
                if (s0 == null || axes == null) {
                    return one(t0, null);
                }
                boolean[] drop = new boolean[s0.rank()];
                for (long a : axes) {
                    drop[(int) (a < 0 ? a + s0.rank() : a)] = true;
                }
                List<Dim> dims = new ArrayList<>();
                for (int i = 0; i < s0.rank(); i++) {
                    if (!drop[i]) {
                        dims.add(s0.dim(i));
                    }
                }
                return one(t0, new Shape(dims));
            }
            case "Expand" -> {
                long[] target = constLongs(node, 1, constants);
                Shape targetShape = in.get(1).shape();
                if (s0 != null && target == null && targetShape != null && targetShape.rank() == 1
                        && targetShape.dim(0).isKnown()) {
                    // Target values known only at run time: x's non-1 dims survive, the others are unknown.
                    return one(t0, broadcast(s0, unknownOfRank((int) targetShape.dim(0).size())));
                }
                if (s0 == null || target == null) {
                    return one(t0, null);
                }
                return one(t0, broadcast(s0, Shape.ofSizes(target)));
            }
            case "Concat" -> {
                return one(t0, concat(in, (int) node.intAttr("axis", 0)));
            }
            case "Split" -> {
                return split(node, in, constants);
            }
            case "Slice" -> {
                return one(t0, slice(node, s0, constants));
            }
            case "Gather" -> {
                Shape idx = in.get(1).shape();
                if (s0 == null || idx == null) {
                    return one(t0, null);
                }
                int axis = (int) node.intAttr("axis", 0);
                axis = axis < 0 ? axis + s0.rank() : axis;
                List<Dim> dims = new ArrayList<>(s0.dims().subList(0, axis));
                dims.addAll(idx.dims());
                dims.addAll(s0.dims().subList(axis + 1, s0.rank()));
                return one(t0, new Shape(dims));
            }
            case "ReduceMean", "ReduceSum", "ReduceMax", "ReduceSumSquare" -> {
                return one(t0, reduce(node, s0, in, constants));
            }
            case "ArgMax", "ArgMin" -> {
                // int64 indices; the axis is kept as size 1 (keepdims = 1, the default) or dropped
                if (s0 == null) {
                    return one(DType.INT64, null);
                }
                int a = (int) node.intAttr("axis", 0);
                a = a < 0 ? a + s0.rank() : a;
                List<Dim> dims = new ArrayList<>(s0.dims());
                if (node.intAttr("keepdims", 1) != 0) {
                    dims.set(a, Dim.of(1));
                } else {
                    dims.remove(a);
                }
                return one(DType.INT64, new Shape(dims));
            }
            case "RandomNormalLike", "RandomUniformLike" -> {
                // the input's shape; its element type unless the dtype attribute says otherwise
                long dtype = node.intAttr("dtype", -1);
                return one(dtype < 0 ? t0 : DType.fromOnnx((int) dtype), s0);
            }
            case "LayerNormalization" -> {
                int axis = (int) node.intAttr("axis", -1);
                Shape stats = null;
                if (s0 != null) {
                    int a = axis < 0 ? axis + s0.rank() : axis;
                    List<Dim> dims = new ArrayList<>(s0.dims().subList(0, a));
                    for (int i = a; i < s0.rank(); i++) {
                        dims.add(Dim.of(1));
                    }
                    stats = new Shape(dims);
                }
                List<TypeAndShape> out = List.of(new TypeAndShape(t0, s0), new TypeAndShape(DType.FLOAT, stats),
                        new TypeAndShape(DType.FLOAT, stats));
                return out.subList(0, node.outputs().size());
            }
            case "SoftmaxCrossEntropyLoss" -> {
                String reduction = node.strAttr("reduction", "mean");
                Shape loss = reduction.equals("none") && in.get(1).shape() != null ? in.get(1).shape() : Shape.scalar();
                List<TypeAndShape> out = List.of(new TypeAndShape(t0, loss), new TypeAndShape(t0, s0));
                return out.subList(0, node.outputs().size());
            }
            case "Shape" -> {
                if (s0 == null) {
                    return one(DType.INT64, null);
                }
                int r = s0.rank();
                long start = node.intAttr("start", 0);
                long end = node.intAttr("end", r);
                start = Math.max(0, Math.min(r, start < 0 ? start + r : start));
                end = Math.max(0, Math.min(r, end < 0 ? end + r : end));
                return one(DType.INT64, Shape.ofSizes(Math.max(0, end - start)));
            }
            case "Size" -> {
                return one(DType.INT64, Shape.scalar());
            }
            case "ConstantOfShape" -> {
                Attr v = node.attr("value").orElse(null);
                DType t = v == null ? DType.FLOAT : ((Attr.Tensor) v).value().type();
                long[] target = constLongs(node, 0, constants);
                Shape s = target != null ? Shape.ofSizes(target)
                        : in.get(0).shape() != null && in.get(0).shape().dim(0).isKnown()
                        ? unknownOfRank((int) in.get(0).shape().dim(0).size()) : null;
                return one(t, s);
            }
            case "Range" -> {
                return one(t0, new Shape(List.of(Dim.unknown())));
            }
            case "NonZero" -> {
                return one(DType.INT64, s0 == null ? null : new Shape(List.of(Dim.of(s0.rank()), Dim.unknown())));
            }
            case "OneHot" -> {
                Shape idx = in.get(0).shape();
                DType vt = in.get(2).type();
                if (idx == null) {
                    return one(vt, null);
                }
                long[] depth = constLongs(node, 1, constants);
                int axis = (int) node.intAttr("axis", -1);
                List<Dim> dims = new ArrayList<>(idx.dims());
                int a = axis < 0 ? axis + idx.rank() + 1 : axis;
                dims.add(a, depth == null ? Dim.unknown() : Dim.of(depth[0]));
                return one(vt, new Shape(dims));
            }
            case "Pad" -> {
                long[] pads = constLongs(node, 1, constants);
                if (s0 == null || pads == null || pads.length != 2 * s0.rank() || node.hasInput(3)) {
                    return one(t0, s0 == null ? null : unknownOfRank(s0.rank()));
                }
                List<Dim> dims = new ArrayList<>();
                for (int i = 0; i < s0.rank(); i++) {
                    long extra = pads[i] + pads[i + s0.rank()];
                    dims.add(extra >= 0 ? sumDims(List.of(s0.dim(i), Dim.of(extra))) : minusConstant(s0.dim(i), -extra));
                }
                return one(t0, new Shape(dims));
            }
            case "ScatterND", "ScatterElements" -> {
                return one(t0, s0);
            }
            case "CumSum" -> {
                return one(t0, s0);
            }
            case "InPlaceAccumulatorV2" -> {
                return one(DType.BOOL, Shape.ofSizes(1));
            }
            default -> {
                List<TypeAndShape> out = new ArrayList<>();
                for (int i = 0; i < node.outputs().size(); i++) {
                    out.add(new TypeAndShape(t0, null));
                }
                return out;
            }
        }
    }

    private static List<TypeAndShape> one(DType t, Shape s) {
        return List.of(new TypeAndShape(t, s));
    }

    private static Shape unknownOfRank(int r) {
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < r; i++) {
            dims.add(Dim.unknown());
        }
        return new Shape(dims);
    }

    private static long[] constLongs(Node node, int inputIndex, Function<String, TensorData> constants) {
        if (!node.hasInput(inputIndex)) {
            return null;
        }
        TensorData c = constants.apply(node.input(inputIndex));
        if (c == null) {
            return null;
        }
        return switch (c.type()) {
            case INT64 -> c.toLongs();
            case INT32 -> java.util.Arrays.stream(c.toInts()).asLongStream().toArray();
            default -> null;
        };
    }

    /** Multidirectional (numpy) broadcasting of two shapes; null when either is unknown. */
    public static Shape broadcast(Shape a, Shape b) {
        if (a == null || b == null) {
            return null;
        }
        int r = Math.max(a.rank(), b.rank());
        List<Dim> dims = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            int ia = i - (r - a.rank());
            int ib = i - (r - b.rank());
            Dim da = ia >= 0 ? a.dim(ia) : Dim.of(1);
            Dim db = ib >= 0 ? b.dim(ib) : Dim.of(1);
            if (da.isKnown() && da.size() == 1) {
                dims.add(db);
            } else if (db.isKnown() && db.size() == 1) {
                dims.add(da);
            } else if (da.sameAs(db)) {
                dims.add(da);
            } else if (da.isKnown() && db.isKnown()) {
                throw new IllegalArgumentException("shapes " + a + " and " + b + " do not broadcast");
            } else {
                dims.add(da.isKnown() ? da : db.isKnown() ? db : da.isSymbolic() ? da : db);
            }
        }
        return new Shape(dims);
    }

    private static Shape broadcastAll(List<Value> in) {
        Shape s = null;
        boolean first = true;
        for (Value v : in) {
            if (v == null) {
                continue;
            }
            if (first) {
                s = v.shape();
                first = false;
            } else {
                s = broadcast(s, v.shape());
            }
        }
        return s;
    }

    private static Shape matmul(Shape a, Shape b, boolean transA, boolean transB) {
        if (a == null || b == null) {
            return null;
        }
        if (a.rank() < 2 || b.rank() < 2) {
            if (a.rank() == 2 && b.rank() == 1) {
                return new Shape(List.of(a.dim(0)));
            }
            return null;
        }
        Dim m = transA ? a.dim(-1) : a.dim(-2);
        Dim n = transB ? b.dim(-2) : b.dim(-1);
        Shape batch = broadcast(new Shape(a.dims().subList(0, a.rank() - 2)), new Shape(b.dims().subList(0, b.rank() - 2)));
        List<Dim> dims = new ArrayList<>(batch.dims());
        dims.add(m);
        dims.add(n);
        return new Shape(dims);
    }

    private static Shape reshape(Shape in, long[] target) {
        if (target == null) {
            return null;
        }
        List<Dim> dims = new ArrayList<>();
        int inferAt = -1;
        for (int i = 0; i < target.length; i++) {
            if (target[i] == 0) {
                dims.add(in == null || i >= in.rank() ? Dim.unknown() : in.dim(i));
            } else if (target[i] == -1) {
                inferAt = i;
                dims.add(Dim.unknown());
            } else {
                dims.add(Dim.of(target[i]));
            }
        }
        if (inferAt >= 0 && in != null && in.isFullyKnown()) {
            long known = 1;
            boolean ok = true;
            for (int i = 0; i < dims.size(); i++) {
                if (i == inferAt) {
                    continue;
                }
                if (!dims.get(i).isKnown()) {
                    ok = false;
                    break;
                }
                known *= dims.get(i).size();
            }
            if (ok && known > 0) {
                dims.set(inferAt, Dim.of(in.numElements() / known));
            }
        }
        return new Shape(dims);
    }

    private static Shape concat(List<Value> in, int axis) {
        Shape first = in.get(0).shape();
        if (first == null) {
            return null;
        }
        int a = axis < 0 ? axis + first.rank() : axis;
        List<Dim> dims = new ArrayList<>(first.dims());
        List<Dim> parts = new ArrayList<>();
        for (Value v : in) {
            if (v.shape() == null) {
                return null;
            }
            parts.add(v.shape().dim(a));
        }
        dims.set(a, sumDims(parts));
        for (int i = 0; i < dims.size(); i++) {
            if (i != a && !dims.get(i).isKnown()) {
                for (Value v : in) {
                    Dim d = v.shape().dim(i);
                    if (d.isKnown() || (d.isSymbolic() && !dims.get(i).isSymbolic())) {
                        dims.set(i, d);
                    }
                }
            }
        }
        return new Shape(dims);
    }

    private static List<TypeAndShape> split(Node node, List<Value> in, Function<String, TensorData> constants) {
        Shape s = in.get(0).shape();
        int n = node.outputs().size();
        long[] sizes = constLongs(node, 1, constants);
        List<TypeAndShape> out = new ArrayList<>();
        int axis = (int) node.intAttr("axis", 0);
        for (int i = 0; i < n; i++) {
            Shape o = null;
            if (s != null) {
                int a = axis < 0 ? axis + s.rank() : axis;
                List<Dim> dims = new ArrayList<>(s.dims());
                if (sizes != null) {
                    dims.set(a, Dim.of(sizes[i]));
                } else if (s.dim(a).isKnown()) {
                    dims.set(a, Dim.of(s.dim(a).size() / n));
                } else {
                    dims.set(a, Dim.unknown());
                }
                o = new Shape(dims);
            }
            out.add(new TypeAndShape(in.get(0).type(), o));
        }
        return out;
    }

    private static Shape slice(Node node, Shape s, Function<String, TensorData> constants) {
        if (s == null) {
            return null;
        }
        long[] starts = constLongs(node, 1, constants);
        long[] ends = constLongs(node, 2, constants);
        long[] axes = constLongs(node, 3, constants);
        long[] steps = constLongs(node, 4, constants);
        if (starts == null || ends == null || (node.hasInput(3) && axes == null) || (node.hasInput(4) && steps == null)) {
            if (axes == null) {
                return new Shape(unknownOfRank(s.rank()).dims());
            }
            // Bounds known only at run time: the sliced axes are unknown, the others keep their dims.
            List<Dim> dims = new ArrayList<>(s.dims());
            for (long a : axes) {
                dims.set((int) (a < 0 ? a + s.rank() : a), Dim.unknown());
            }
            return new Shape(dims);
        }
        List<Dim> dims = new ArrayList<>(s.dims());
        for (int i = 0; i < starts.length; i++) {
            int a = (int) (axes == null ? i : axes[i] < 0 ? axes[i] + s.rank() : axes[i]);
            long step = steps == null ? 1 : steps[i];
            Dim d = s.dim(a);
            long st = starts[i];
            long en = ends[i];
            if (step == 1 && st >= 0 && en >= 0 && en < Long.MAX_VALUE / 2 && (!d.isKnown() || en <= d.size())) {
                dims.set(a, Dim.of(Math.max(0, en - st)));
            } else if (d.isKnown()) {
                long size = d.size();
                long s1 = clamp(st < 0 ? st + size : st, size);
                long e1 = clamp(en < 0 ? en + size : en, size);
                dims.set(a, Dim.of(step > 0 ? Math.max(0, (e1 - s1 + step - 1) / step) : Math.max(0, (s1 - e1 - step - 1) / -step)));
            } else if (step == 1 && st >= 0 && en >= Long.MAX_VALUE / 2) {
                dims.set(a, st == 0 ? d : minusConstant(d, st));
            } else {
                dims.set(a, Dim.unknown());
            }
        }
        return new Shape(dims);
    }

    private static long clamp(long v, long size) {
        return Math.max(0, Math.min(size, v));
    }

    private static Shape reduce(Node node, Shape s, List<Value> in, Function<String, TensorData> constants) {
        if (s == null) {
            return null;
        }
        boolean keep = node.intAttr("keepdims", 1) != 0;
        long[] axes = node.opType().equals("ReduceSum") || in.size() > 1 ? constLongs(node, 1, constants) : null;
        if (axes == null && node.intsAttr("axes") != null) {
            axes = node.intsAttr("axes").stream().mapToLong(Long::longValue).toArray();
        }
        if (axes == null && node.hasInput(1)) {
            return null;
        }
        boolean[] reduced = new boolean[s.rank()];
        if (axes == null || axes.length == 0) {
            if (node.intAttr("noop_with_empty_axes", 0) != 0) {
                return s;
            }
            java.util.Arrays.fill(reduced, true);
        } else {
            for (long a : axes) {
                reduced[(int) (a < 0 ? a + s.rank() : a)] = true;
            }
        }
        List<Dim> dims = new ArrayList<>();
        for (int i = 0; i < s.rank(); i++) {
            if (!reduced[i]) {
                dims.add(s.dim(i));
            } else if (keep) {
                dims.add(Dim.of(1));
            }
        }
        return new Shape(dims);
    }

    /**
     * The sum of dimensions: a size when all are known, a canonical symbolic sum when all are known
     * or symbolic ([10, L] → "L+10", equal to the same sum formed elsewhere), else unknown.
     */
    public static Dim sumDims(List<Dim> parts) {
        long constant = 0;
        List<String> terms = new ArrayList<>();
        for (Dim d : parts) {
            if (d.isKnown()) {
                constant += d.size();
            } else if (d.isSymbolic()) {
                constant += symbolTerms(d.symbol(), terms);
            } else {
                return Dim.unknown();
            }
        }
        return terms.isEmpty() ? Dim.of(constant) : symbolicSum(terms, constant);
    }

    /** d − k for a symbolic sum whose constant part is at least k ("L+10" − 4 → "L+6"), else unknown. */
    static Dim minusConstant(Dim d, long k) {
        if (d.isKnown()) {
            return Dim.of(Math.max(0, d.size() - k));
        }
        if (!d.isSymbolic()) {
            return Dim.unknown();
        }
        List<String> terms = new ArrayList<>();
        long constant = symbolTerms(d.symbol(), terms);
        return constant >= k ? symbolicSum(terms, constant - k) : Dim.unknown();
    }

    /** Adds the symbolic terms of a sum symbol to {@code terms}; returns its constant part. */
    private static long symbolTerms(String symbol, List<String> terms) {
        long constant = 0;
        for (String t : symbol.split("\\+")) {
            try {
                constant += Long.parseLong(t);
            } catch (NumberFormatException e) {
                terms.add(t);
            }
        }
        return constant;
    }

    private static Dim symbolicSum(List<String> terms, long constant) {
        List<String> sorted = new ArrayList<>(terms);
        java.util.Collections.sort(sorted);
        String sym = String.join("+", sorted);
        return Dim.sym(constant == 0 ? sym : sym + "+" + constant);
    }
}
