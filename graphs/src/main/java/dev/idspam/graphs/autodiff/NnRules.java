package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.List;

/**
 * Rules of the network building blocks: matrix products, softmax, layer normalisation and
 * dropout. Transposes of matrix operands are left as explicit {@code Transpose} nodes feeding a
 * {@code MatMul}, which ONNX Runtime fuses into one kernel (or expressed as Gemm flags for 2-D).
 */
final class NnRules {
    private NnRules() {
    }

    // y = a@b (batched) → da = unbroadcast(dy@bᵀ), db = unbroadcast(aᵀ@dy).
    // 2-D operands use Gemm flags; a 2-D weight b under a batched a gets db = reshape(a,[-1,k])ᵀ·reshape(dy,[-1,n]).
    static void matmul(GradContext c) {
        Value a = c.input(0);
        Value w = c.input(1);
        Value dy = c.gradOutput(0);
        GraphBuilder b = c.builder();
        Ops o = c.ops();
        if (!a.hasShape() || !w.hasShape() || a.rank() < 2 || w.rank() < 2) {
            throw GradOps.unsupported(c, "operands of known rank >= 2 are required, got " + a + " and " + w);
        }
        boolean both2d = a.rank() == 2 && w.rank() == 2;
        if (c.needsGrad(0)) {
            Value da = both2d ? GradOps.gemm(b, dy, w, false, true, 1) : o.matmul(dy, GradOps.transposeLast2(o, w));
            c.addGrad(0, c.unbroadcast(da, a));
        }
        if (c.needsGrad(1)) {
            if (both2d) {
                c.addGrad(1, GradOps.gemm(b, a, dy, true, false, 1));
            } else if (w.rank() == 2) {
                Dim k = a.shape().dim(-1);
                Dim n = w.shape().dim(1);
                if (!k.isKnown() || !n.isKnown()) {
                    throw GradOps.unsupported(c, "a 2-D weight needs known inner dimensions, got " + a + " and " + w);
                }
                Value a2 = o.reshape(a, -1, k.size());
                Value dy2 = o.reshape(dy, -1, n.size());
                c.addGrad(1, GradOps.gemm(b, a2, dy2, true, false, 1));
            } else {
                c.addGrad(1, c.unbroadcast(o.matmul(GradOps.transposeLast2(o, a), dy), w));
            }
        }
    }

    // y = α·op(A)·op(B) + β·C → dA = α·dy·op(B)ᵀ (transposed back if transA), dB = α·op(A)ᵀ·dy (likewise), dC = β·unbroadcast(dy)
    static void gemm(GradContext c) {
        Value a = c.input(0);
        Value bm = c.input(1);
        Value dy = c.gradOutput(0);
        GraphBuilder b = c.builder();
        boolean transA = c.node().intAttr("transA", 0) != 0;
        boolean transB = c.node().intAttr("transB", 0) != 0;
        double alpha = c.node().floatAttr("alpha", 1f);
        double beta = c.node().floatAttr("beta", 1f);
        if (c.needsGrad(0)) {
            c.addGrad(0, transA
                    ? GradOps.gemm(b, bm, dy, transB, true, alpha)
                    : GradOps.gemm(b, dy, bm, false, !transB, alpha));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, transB
                    ? GradOps.gemm(b, dy, a, true, transA, alpha)
                    : GradOps.gemm(b, a, dy, !transA, false, alpha));
        }
        if (c.needsGrad(2)) {
            Value dc = c.unbroadcast(dy, c.input(2));
            c.addGrad(2, beta == 1 ? dc : c.ops().mul(dc, c.ops().scalarLike(dc, beta)));
        }
    }

    // y = softmax(x) along axis → dx = y·(dy − Σ_axis dy·y)
    static void softmax(GradContext c) {
        Ops o = c.ops();
        Value y = c.output(0);
        Value dy = c.gradOutput(0);
        long axis = c.node().intAttr("axis", -1);
        Value dot = o.reduceSum(o.mul(dy, y), true, axis);
        c.addGrad(0, o.mul(y, o.sub(dy, dot)));
    }

    /**
     * y = γ·x̂ + β, x̂ = (x − μ)·σ⁻¹ over the normalised axes (N elements) →
     * dx = σ⁻¹·(g − mean(g) − x̂·mean(g·x̂)) with g = dy·γ; dγ = unbroadcast(dy·x̂); dβ = unbroadcast(dy).
     * Uses the node's Mean/InvStdDev outputs when declared in x's type, else recomputes them.
     */
    static void layerNormalization(GradContext c) {
        if (c.gradOutput(1) != null || c.gradOutput(2) != null) {
            throw GradOps.unsupported(c, "gradients through the Mean/InvStdDev outputs are not supported");
        }
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        if (!x.hasShape()) {
            throw GradOps.unsupported(c, "the rank of X must be known");
        }
        int r = x.rank();
        int axis = GradOps.axis(c.node().intAttr("axis", -1), r);
        long[] axes = GradOps.iota(axis, r);
        Value mean;
        Value invStd;
        Value xhat;
        int outs = c.node().outputs().size();
        if (outs >= 3 && c.output(1).type() == x.type() && c.output(2).type() == x.type()) {
            mean = c.output(1);
            invStd = c.output(2);
            xhat = o.mul(o.sub(x, mean), invStd);
        } else {
            double eps = c.node().floatAttr("epsilon", 1e-5f);
            mean = o.reduceMean(x, true, axes);
            Value centred = o.sub(x, mean);
            Value variance = o.reduceMean(o.mul(centred, centred), true, axes);
            invStd = o.div(o.scalarLike(x, 1), o.sqrt(o.add(variance, o.scalarLike(x, eps))));
            xhat = o.mul(centred, invStd);
        }
        if (c.needsGrad(0)) {
            Value g = o.mul(dy, c.input(1));
            Value meanG = o.reduceMean(g, true, axes);
            Value meanGx = o.reduceMean(o.mul(g, xhat), true, axes);
            Value inner = o.sub(o.sub(g, meanG), o.mul(xhat, meanGx));
            c.addGrad(0, o.mul(inner, invStd));
        }
        if (c.needsGrad(1)) {
            c.addGrad(1, c.unbroadcast(o.mul(dy, xhat), c.input(1)));
        }
        if (c.needsGrad(2)) {
            c.addGrad(2, c.unbroadcast(dy, c.input(2)));
        }
    }

    /**
     * y = x·m/(1 − r) in training mode, y = x otherwise → dx = dy·m/(1 − r) (m = the mask output),
     * dx = dy in inference mode. The forward node must declare the mask output in training mode.
     */
    static void dropout(GradContext c) {
        GradOps.requireNoGrad(c, 1, "ratio");
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        GraphBuilder b = c.builder();
        TensorData trainingConst = c.constantInput(2);
        boolean inference = !c.node().hasInput(2) || (trainingConst != null && GradOps.scalarValue(trainingConst) == 0);
        if (inference) {
            c.addGrad(0, dy);
            return;
        }
        TensorData ratioConst = c.constantInput(1);
        double ratio = !c.node().hasInput(1) ? 0.5 : ratioConst != null ? GradOps.scalarValue(ratioConst) : Double.NaN;
        if (ratio == 0 && trainingConst != null) {
            c.addGrad(0, dy);
            return;
        }
        if (c.node().outputs().size() < 2) {
            throw GradOps.unsupported(c, "the node declares no mask output; request it (2 outputs, as Ops.dropout does)"
                    + " so that the backward reuses the forward mask");
        }
        Value scale;
        if (!Double.isNaN(ratio)) {
            scale = o.scalarLike(dy, 1 / (1 - ratio));
        } else {
            Value r = c.input(1).type() == dy.type() ? c.input(1) : o.cast(c.input(1), dy.type());
            scale = o.div(o.scalarLike(dy, 1), o.sub(o.scalarLike(dy, 1), r));
        }
        if (trainingConst == null) {
            scale = o.where(c.input(2), scale, o.scalarLike(dy, 1));
        }
        c.addGrad(0, o.where(c.output(1), o.mul(dy, scale), o.scalarLike(dy, 0)));
    }
}
