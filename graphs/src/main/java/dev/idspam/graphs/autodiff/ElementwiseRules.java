package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.List;

/**
 * Rules of the elementwise operators (numpy broadcasting undone by {@link GradContext#unbroadcast}).
 * Unary rules reuse the forward output where the derivative is a function of it.
 */
final class ElementwiseRules {
    private ElementwiseRules() {
    }

    // y = x → dx = dy
    static void identity(GradContext c) {
        c.addGrad(0, c.gradOutput(0));
    }

    // y = a + b → da = unbroadcast(dy), db = unbroadcast(dy)
    static void add(GradContext c) {
        Value dy = c.gradOutput(0);
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(dy, c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(dy, c.input(1)));
        }
    }

    // y = a - b → da = unbroadcast(dy), db = -unbroadcast(dy)
    static void sub(GradContext c) {
        Value dy = c.gradOutput(0);
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(dy, c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.ops().neg(c.unbroadcast(dy, c.input(1))));
        }
    }

    // y = a·b (elementwise) → da = unbroadcast(dy·b), db = unbroadcast(dy·a)
    static void mul(GradContext c) {
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(o.mul(dy, c.input(1)), c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(o.mul(dy, c.input(0)), c.input(1)));
        }
    }

    // y = a/b → da = unbroadcast(dy/b), db = -unbroadcast(dy·y/b)
    static void div(GradContext c) {
        Value dy = c.gradOutput(0);
        Value bDen = c.input(1);
        Ops o = c.ops();
        if (c.needsGrad(0)) {
            c.addGrad(0, c.unbroadcast(o.div(dy, bDen), c.input(0)));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, o.neg(c.unbroadcast(o.div(o.mul(dy, c.output(0)), bDen), bDen)));
        }
    }

    // y = -x → dx = -dy
    static void neg(GradContext c) {
        c.addGrad(0, c.ops().neg(c.gradOutput(0)));
    }

    // y = a^p → da = unbroadcast(dy·p·a^(p-1)), dp = unbroadcast(dy·y·ln a) (dp defined for a > 0)
    static void pow(GradContext c) {
        Value dy = c.gradOutput(0);
        Value a = c.input(0);
        Value p = c.input(1);
        Ops o = c.ops();
        TensorData pConst = c.constantInput(1);
        if (c.needsGrad(0)) {
            if (pConst != null && pConst.numElements() == 1) {
                double pv = GradOps.scalarValue(pConst);
                Value dLocal;
                if (pv == 1) {
                    dLocal = dy;
                } else if (pv == 2) {
                    dLocal = o.mul(dy, o.mul(a, o.scalarLike(a, 2)));
                } else {
                    dLocal = o.mul(dy, o.mul(o.pow(a, o.scalarLike(a, pv - 1)), o.scalarLike(a, pv)));
                }
                c.addGrad(0, c.unbroadcast(dLocal, a));
            } else {
                Value pa = p.type() == a.type() ? p : o.cast(p, a.type());
                Value coef = o.mul(pa, o.pow(a, o.sub(pa, o.scalarLike(pa, 1))));
                c.addGrad(0, c.unbroadcast(o.mul(dy, coef), a));
            }
        }
        if (c.needsGrad(1)) {
            Value dp = o.mul(dy, o.mul(c.output(0), c.builder().op("Log", List.of(), a)));
            Value reduced = c.unbroadcast(dp, p);
            c.addGrad(1, p.type() == reduced.type() ? reduced : o.cast(reduced, p.type()));
        }
    }

    // y = √x → dx = dy·0.5/y
    static void sqrt(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.addGrad(0, o.div(o.mul(c.gradOutput(0), o.scalarLike(y, 0.5)), y));
    }

    // y = eˣ → dx = dy·y
    static void exp(GradContext c) {
        c.addGrad(0, c.ops().mul(c.gradOutput(0), c.output(0)));
    }

    // y = erf(x) → dx = dy·(2/√π)·exp(-x²)
    static void erf(GradContext c) {
        Ops o = c.ops();
        Value x = c.input(0);
        Value gauss = o.exp(o.neg(o.mul(x, x)));
        c.addGrad(0, o.mul(c.gradOutput(0), o.mul(gauss, o.scalarLike(x, 2 / Math.sqrt(Math.PI)))));
    }

    // y = tanh x → dx = dy·(1 - y²)
    static void tanh(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.addGrad(0, o.mul(c.gradOutput(0), o.sub(o.scalarLike(y, 1), o.mul(y, y))));
    }

    // y = max(x, 0) → dx = dy·[y > 0]
    static void relu(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        Value mask = o.cast(o.greater(y, o.scalarLike(y, 0)), y.type());
        c.addGrad(0, o.mul(c.gradOutput(0), mask));
    }

    // y = σ(x) → dx = dy·y·(1 - y)
    static void sigmoid(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        c.addGrad(0, o.mul(c.gradOutput(0), o.mul(y, o.sub(o.scalarLike(y, 1), y))));
    }

    // y = cond ? a : b → da = unbroadcast(cond ? dy : 0), db = unbroadcast(cond ? 0 : dy); cond has none
    static void where(GradContext c) {
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        Value zero = o.scalarLike(dy, 0);
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(o.where(c.input(0), dy, zero), c.input(1)));
        }
        if (c.needsGrad(2)) {
            c.addGrad(2, c.unbroadcast(o.where(c.input(0), zero, dy), c.input(2)));
        }
    }

    // y = Σᵢ xᵢ → dxᵢ = unbroadcast(dy)
    static void sum(GradContext c) {
        Value dy = c.gradOutput(0);
        for (int i = 0; i < c.node().inputs().size(); i++) {
            if (c.needsGrad(i)) {
                c.addGrad(i, c.unbroadcast(dy, c.input(i)));
            }
        }
    }

    // y = cast(x) → dx = cast(dy, type(x)) between floating types; integer casts carry no gradient
    static void cast(GradContext c) {
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        DType to = c.output(0).type();
        if (!c.needsGrad(0) || !to.isFloating() || !x.type().isFloating()) {
            return;
        }
        c.addGrad(0, to == x.type() ? dy : c.ops().cast(dy, x.type()));
    }
}
