package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;

/**
 * Gradient rules for the standard ONNX operators used by the backbones, prompt generators, heads
 * and losses. Every rule emits standard ONNX operators only. Each rule states its math first.
 */
final class StandardRules {
    private StandardRules() {
    }

    static void registerAll(GradientRegistry r) {
        for (String op : new String[] {"Shape", "Size", "Cast", "Equal", "Greater", "Less", "GreaterOrEqual",
                "LessOrEqual", "Not", "And", "Or", "NonZero", "ConstantOfShape", "Range", "OneHot", "ArgMax"}) {
            r.declareNonDifferentiable(op);
        }
        r.register("Identity", StandardRules::identity);
        r.register("Add", StandardRules::add);
        r.register("Sub", StandardRules::sub);
        r.register("Mul", StandardRules::mul);
        r.register("MatMul", StandardRules::matmul);
        r.register("Relu", StandardRules::relu);
    }

    // y = x → dx = dy
    private static void identity(GradContext c) {
        c.addGrad(0, c.gradOutput(0));
    }

    // y = a + b → da = unbroadcast(dy), db = unbroadcast(dy)
    private static void add(GradContext c) {
        Value dy = c.gradOutput(0);
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(dy, c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(dy, c.input(1)));
        }
    }

    // y = a - b → da = unbroadcast(dy), db = -unbroadcast(dy)
    private static void sub(GradContext c) {
        Value dy = c.gradOutput(0);
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(dy, c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.ops().neg(c.unbroadcast(dy, c.input(1))));
        }
    }

    // y = a·b (elementwise) → da = unbroadcast(dy·b), db = unbroadcast(dy·a)
    private static void mul(GradContext c) {
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(o.mul(dy, c.input(1)), c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(o.mul(dy, c.input(0)), c.input(1)));
        }
    }

    // y = a@b (batched) → da = dy@bᵀ, db = aᵀ@dy, each reduced over broadcast batch dims.
    // A 2-D weight b under a batched a gets db = reshape(a,[-1,k])ᵀ @ reshape(dy,[-1,n]) (one GEMM).
    private static void matmul(GradContext c) {
        Value a = c.input(0);
        Value w = c.input(1);
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        if (!a.hasShape() || !w.hasShape() || a.rank() < 2 || w.rank() < 2) {
            throw new UnsupportedOperationException("MatMul gradient needs operands of known rank >= 2 (node "
                    + c.node().name() + ": " + a + ", " + w + ")");
        }
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(o.matmul(dy, transposeLast2(o, w)), a));
        }
        if (c.needsGrad(1)) {
            if (w.rank() == 2 && a.rank() > 2) {
                Value a2 = o.reshape(a, -1, a.shape().dim(-1).isKnown() ? a.shape().dim(-1).size() : 0);
                Value dy2 = o.reshape(dy, -1, w.shape().dim(1).isKnown() ? w.shape().dim(1).size() : 0);
                if (!a.shape().dim(-1).isKnown() || !w.shape().dim(1).isKnown()) {
                    throw new UnsupportedOperationException("MatMul weight gradient needs the inner dimensions known (node "
                            + c.node().name() + ")");
                }
                c.addGrad(1, o.gemm(a2, dy2, null, true, false));
            } else {
                c.addGrad(1, c.unbroadcast(o.matmul(transposeLast2(o, a), dy), w));
            }
        }
    }

    // y = max(x, 0) → dx = dy·[y > 0]
    private static void relu(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        Value mask = o.cast(o.greater(y, o.scalarLike(y, 0)), y.type());
        c.addGrad(0, o.mul(c.gradOutput(0), mask));
    }

    static Value transposeLast2(Ops o, Value v) {
        int r = v.rank();
        long[] perm = new long[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return o.transpose(v, perm);
    }
}
