package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * The one place that undoes numpy broadcasting in gradients: sums a gradient over the axes along
 * which the forward operand was broadcast. Uses static shapes when they decide the question, and
 * an exact run-time computation of the axes otherwise.
 */
final class Broadcasting {
    private Broadcasting() {
    }

    static Value unbroadcast(GraphBuilder b, Value grad, Value target) {
        if (grad.hasShape() && target.hasShape() && grad.shape().sameAs(target.shape())) {
            return grad;
        }
        if (grad.hasShape() && target.hasShape()) {
            Value v = staticReduce(b, grad, target);
            if (v != null) {
                return v;
            }
        }
        return dynamicReduce(b, grad, target);
    }

    /** Null when the static shapes leave an axis undecided. */
    private static Value staticReduce(GraphBuilder b, Value grad, Value target) {
        int rg = grad.rank();
        int rt = target.rank();
        if (rt > rg) {
            return null;
        }
        int lead = rg - rt;
        List<Long> keepAxes = new ArrayList<>();
        for (int i = 0; i < rt; i++) {
            Dim dt = target.shape().dim(i);
            Dim dg = grad.shape().dim(lead + i);
            if (dt.sameAs(dg)) {
                continue;
            }
            if (dt.isKnown() && dt.size() == 1) {
                keepAxes.add((long) (lead + i));
            } else {
                return null;
            }
        }
        Ops o = b.ops();
        Value out = grad;
        if (!keepAxes.isEmpty()) {
            out = o.reduceSum(out, true, keepAxes.stream().mapToLong(Long::longValue).toArray());
        }
        if (lead > 0) {
            long[] leadAxes = new long[lead];
            for (int i = 0; i < lead; i++) {
                leadAxes[i] = i;
            }
            out = o.reduceSum(out, false, leadAxes);
        }
        return out;
    }

    /**
     * Run time: pad the target shape with leading ones to the gradient's rank, reduce (keepdims)
     * over the axes where the padded target is 1 and the gradient is not, then reshape to the
     * target's shape. An empty axis list is a no-op (noop_with_empty_axes).
     */
    private static Value dynamicReduce(GraphBuilder b, Value grad, Value target) {
        Ops o = b.ops();
        Value gs = o.shape(grad);
        Value ts = o.shape(target);
        Value rankDiff = o.sub(b.op("Size", List.of(), gs), b.op("Size", List.of(), ts));
        Value ones = b.op("ConstantOfShape", List.of(Attr.t("value", TensorData.ofLongs(new long[] {1}, 1L))),
                o.unsqueeze(rankDiff, 0));
        Value padded = o.concat(0, ones, ts);
        Value one = o.longs(1);
        Value isOne = o.equal(padded, one);
        Value gradNotOne = b.op("Not", List.of(), o.equal(gs, one));
        Value mask = b.op("And", List.of(), isOne, gradNotOne);
        Value axes = o.reshape(b.op("NonZero", List.of(), mask), -1);
        Value reduced = b.op("ReduceSum", List.of(Attr.i("keepdims", 1), Attr.i("noop_with_empty_axes", 1)), grad, axes);
        Value out = o.reshape(reduced, ts);
        return new Value(out.name(), grad.type(), target.shape());
    }
}
