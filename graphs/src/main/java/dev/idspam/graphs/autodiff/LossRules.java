package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.Value;

import java.util.List;

/**
 * Rules of the fused loss operators. Losses composed of elementwise operators and reductions (mean
 * squared error, see {@code Ops.meanSquaredError}) need no rule of their own.
 */
final class LossRules {
    private LossRules() {
    }

    /**
     * loss = reduce_i(−log softmax(z)[i, label_i]) with classes on axis 1 →
     * dz = (softmax(z) − onehot(label))·dloss/N (mean over the N labels; sum: no division; none: per label).
     * The forward log_prob output, when declared, gives softmax(z) = exp(log_prob); a gradient reaching
     * log_prob itself adds dlp − softmax(z)·Σ_classes dlp.
     */
    static void softmaxCrossEntropyLoss(GradContext c) {
        if (c.node().hasInput(2)) {
            throw GradOps.unsupported(c, "class weights are not supported");
        }
        if (c.node().attr("ignore_index").isPresent()) {
            throw GradOps.unsupported(c, "ignore_index is not supported");
        }
        if (!c.needsGrad(0)) {
            return;
        }
        Value z = c.input(0);
        Ops o = c.ops();
        if (!z.hasShape() || z.rank() < 2) {
            throw GradOps.unsupported(c, "scores of known rank >= 2 ([N, C, ...]) are required, got " + z);
        }
        Value prob = c.node().outputs().size() >= 2 ? o.exp(c.output(1)) : o.softmax(z, 1);
        Value dLoss = c.gradOutput(0);
        if (dLoss != null) {
            Value diff = o.sub(prob, oneHot(c, z));
            String reduction = c.node().strAttr("reduction", "mean");
            Value scale = switch (reduction) {
                case "mean" -> o.mul(dLoss, inverseLabelCount(c));
                case "sum" -> dLoss;
                case "none" -> o.unsqueeze(dLoss, 1);
                default -> throw GradOps.unsupported(c, "unknown reduction '" + reduction + "'");
            };
            c.addGrad(0, GradOps.withShape(o.mul(diff, scale), z.shape()));
        }
        Value dLogProb = c.gradOutput(1);
        if (dLogProb != null) {
            Value total = o.reduceSum(dLogProb, true, 1);
            c.addGrad(0, o.sub(dLogProb, o.mul(prob, total)));
        }
    }

    /** onehot(label) along axis 1 in z's type: labels [N, d…] against classes [C, 1…]. */
    private static Value oneHot(GradContext c, Value z) {
        Ops o = c.ops();
        GraphBuilder b = c.builder();
        int r = z.rank();
        long[] classShape = new long[r - 1];
        java.util.Arrays.fill(classShape, 1);
        Value classes;
        Dim numClasses = z.shape().dim(1);
        if (numClasses.isKnown()) {
            long[] ids = GradOps.iota(0, (int) numClasses.size());
            classShape[0] = numClasses.size();
            classes = b.constant("classes", dev.idspam.graphs.build.TensorData.ofLongs(classShape, ids));
        } else {
            classShape[0] = -1;
            Value range = b.op("Range", List.of(), o.scalarLong(0), GradOps.dimScalar(o, z, 1), o.scalarLong(1));
            classes = r == 2 ? range : o.reshape(range, classShape);
        }
        Value labels = o.unsqueeze(GradOps.asInt64(o, c.input(1)), 1);
        return o.cast(o.equal(labels, classes), z.type());
    }

    /** 1/N for N labels: a constant when the label shape is static, else computed with Size. */
    private static Value inverseLabelCount(GradContext c) {
        Ops o = c.ops();
        Value labels = c.input(1);
        Shape s = labels.shape();
        if (s != null && s.isFullyKnown()) {
            return o.scalarLike(c.input(0), 1.0 / s.numElements());
        }
        Value n = o.cast(c.builder().op("Size", List.of(), labels), c.input(0).type());
        return o.div(o.scalarLike(n, 1), n);
    }
}
