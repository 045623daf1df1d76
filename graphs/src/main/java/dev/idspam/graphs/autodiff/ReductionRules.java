package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;

import java.util.List;

/** Rules of the reductions: the gradient is broadcast back over the reduced axes. */
final class ReductionRules {
    private ReductionRules() {
    }

    // y = Σ_axes x → dx = expand(dy with the reduced axes kept, shape(x))
    static void reduceSum(GradContext c) {
        GradOps.requireNoGrad(c, 1, "axes");
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        boolean keepDims = c.node().intAttr("keepdims", 1) != 0;
        boolean noopWhenEmpty = c.node().intAttr("noop_with_empty_axes", 0) != 0;
        if (!c.node().hasInput(1)) {
            c.addGrad(0, noopWhenEmpty ? dy : GradOps.expandTo(c.builder(), dy, x));
            return;
        }
        long[] axes = GradOps.constLongs(c, 1);
        if (axes != null && axes.length == 0) {
            c.addGrad(0, noopWhenEmpty ? dy : GradOps.expandTo(c.builder(), dy, x));
            return;
        }
        // Unsqueeze reads axes in its output's rank, which is x's rank, as ReduceSum does.
        Value kept = keepDims ? dy : c.builder().op("Unsqueeze", List.of(), dy, c.input(1));
        c.addGrad(0, GradOps.expandTo(c.builder(), kept, x));
    }

    // y = mean_axes x → dx = expand(dy with the reduced axes kept, shape(x)) / N, N = reduced element count
    static void reduceMean(GradContext c) {
        Value x = c.input(0);
        Value dy = c.gradOutput(0);
        Ops o = c.ops();
        boolean keepDims = c.node().intAttr("keepdims", 1) != 0;
        List<Long> axesAttr = c.node().intsAttr("axes");
        boolean all = axesAttr == null || axesAttr.isEmpty();
        long[] axes = all ? null : axesAttr.stream().mapToLong(Long::longValue).toArray();
        Value scaled = o.mul(dy, inverseCount(c, x, c.output(0), axes));
        Value kept = keepDims || all ? scaled : o.unsqueeze(scaled, axes);
        c.addGrad(0, GradOps.expandTo(c.builder(), kept, x));
    }

    /** 1/N as a scalar of x's type: constant when the reduced dims are known, else Size(y)/Size(x). */
    private static Value inverseCount(GradContext c, Value x, Value y, long[] axes) {
        Ops o = c.ops();
        if (x.hasShape()) {
            long n = 1;
            boolean known = true;
            int r = x.rank();
            for (int i = 0; i < r; i++) {
                if (axes != null && !contains(axes, i, r)) {
                    continue;
                }
                Dim d = x.shape().dim(i);
                if (d.isKnown()) {
                    n *= d.size();
                } else {
                    known = false;
                }
            }
            if (known) {
                return o.scalarLike(x, 1.0 / n);
            }
        }
        Value sizeX = o.cast(c.builder().op("Size", List.of(), x), x.type());
        Value sizeY = o.cast(c.builder().op("Size", List.of(), y), x.type());
        return o.div(sizeY, sizeX);
    }

    private static boolean contains(long[] axes, int axis, int rank) {
        for (long a : axes) {
            if (GradOps.axis(a, rank) == axis) {
                return true;
            }
        }
        return false;
    }
}
