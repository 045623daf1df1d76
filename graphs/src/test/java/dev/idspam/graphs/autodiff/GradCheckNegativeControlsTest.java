package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.autodiff.GradCheck.Result;
import dev.idspam.graphs.autodiff.GradCheck.Row;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Negative controls: the numeric check must fail when a rule is wrong. Each test swaps one
 * standard rule for a subtly broken one in a private registry and runs the rule's table row.
 */
class GradCheckNegativeControlsTest {

    /** The standard registry with one rule replaced. */
    static GradientRegistry standardWith(String op, GradientRule replacement) {
        GradientRegistry standard = GradientRegistry.standard();
        GradientRegistry r = new GradientRegistry();
        standard.nonDifferentiableOps().forEach(r::declareNonDifferentiable);
        for (String name : standard.differentiableOps()) {
            r.register(name, name.equals(op) ? replacement : standard.rule(name));
        }
        return r;
    }

    private static Row row(String name) {
        return GradientRulesTest.rows().stream().filter(r -> r.name.equals(name)).findFirst().orElseThrow();
    }

    @Test
    void softmaxWithoutTheNormalisationTermIsCaughtInDouble() {
        // wrong: dx = y·dy (drops −y·Σ dy·y)
        GradientRegistry broken = standardWith("Softmax", c -> c.addGrad(0, c.ops().mul(c.output(0), c.gradOutput(0))));
        assertThat(GradCheck.check(row("Softmax axis -1")).passed()).isTrue();
        Result r = GradCheck.check(row("Softmax axis -1"), broken);
        assertThat(r.passed()).isFalse();
        assertThat(r.errDouble()).isGreaterThan(1e-2);
    }

    @Test
    void tanhWithTheWrongDerivativeIsCaught() {
        // wrong: dx = dy·(1 − y)
        GradientRegistry broken = standardWith("Tanh", c -> {
            Ops o = c.ops();
            Value y = c.output(0);
            c.addGrad(0, o.mul(c.gradOutput(0), o.sub(o.scalarLike(y, 1), y)));
        });
        assertThat(GradCheck.check(row("Tanh"), broken).passed()).isFalse();
    }

    @Test
    void erfWithAWrongConstantIsCaughtByTheFloat32Check() {
        // wrong: 1/√π instead of 2/√π
        GradientRegistry broken = standardWith("Erf", c -> {
            Ops o = c.ops();
            Value x = c.input(0);
            Value gauss = o.exp(o.neg(o.mul(x, x)));
            c.addGrad(0, o.mul(c.gradOutput(0), o.mul(gauss, o.scalarLike(x, 1 / Math.sqrt(Math.PI)))));
        });
        Result r = GradCheck.check(row("Erf (no double kernel)"), broken);
        assertThat(r.mode()).isEqualTo("fd32");
        assertThat(r.passed()).isFalse();
    }

    @Test
    void aWeightGradientOffByOnePerMilleIsCaughtAlongRandomDirections() {
        GradientRule matmul = GradientRegistry.standard().rule("MatMul");
        GradientRegistry broken = standardWith("MatMul", c -> matmul.backward(new ScaledGrads(c, 1.001)));
        Result r = GradCheck.check(row("MatMul large (directional check)"), broken);
        assertThat(r.mode()).contains("dir");
        assertThat(r.passed()).isFalse();
    }

    @Test
    void dropoutWithoutTheRescaleIsCaughtOnFreshSessions() {
        // wrong: dx = dy·mask (forgets 1/(1 − ratio))
        GradientRegistry broken = standardWith("Dropout", c -> {
            Ops o = c.ops();
            Value dy = c.gradOutput(0);
            c.addGrad(0, o.where(c.output(1), dy, o.scalarLike(dy, 0)));
        });
        assertThat(GradCheck.check(row("Dropout training, ratio 0.3, seeded"), broken).passed()).isFalse();
    }

    @Test
    void layerNormWithoutTheProjectionTermIsCaught() {
        // wrong: dx = σ⁻¹·(g − mean(g)), as in BACKWARD-PERFORMANCE.md's negative control
        GradientRule ln = GradientRegistry.standard().rule("LayerNormalization");
        GradientRegistry broken = standardWith("LayerNormalization", c -> {
            if (c.needsGrad(0)) {
                Ops o = c.ops();
                Value g = o.mul(c.gradOutput(0), c.input(1));
                Value x = c.input(0);
                Value mean = o.reduceMean(x, true, -1);
                Value centred = o.sub(x, mean);
                Value inv = o.div(o.scalarLike(x, 1), o.sqrt(o.add(o.reduceMean(o.mul(centred, centred), true, -1),
                        o.scalarLike(x, 1e-5))));
                c.addGrad(0, o.mul(o.sub(g, o.reduceMean(g, true, -1)), inv));
            }
            ln.backward(new SkipInput(c, 0));
        });
        assertThat(GradCheck.check(row("LayerNormalization 3 outputs"), broken).passed()).isFalse();
    }

    /** Passes everything through, scaling each gradient contribution. */
    private static final class ScaledGrads extends DelegatingContext {
        private final double factor;

        ScaledGrads(GradContext c, double factor) {
            super(c);
            this.factor = factor;
        }

        @Override
        public void addGrad(int i, Value grad) {
            super.addGrad(i, ops().mul(grad, ops().scalarLike(grad, factor)));
        }
    }

    /** Hides one input's need for a gradient from the wrapped rule. */
    private static final class SkipInput extends DelegatingContext {
        private final int skipped;

        SkipInput(GradContext c, int skipped) {
            super(c);
            this.skipped = skipped;
        }

        @Override
        public boolean needsGrad(int i) {
            return i != skipped && super.needsGrad(i);
        }
    }

    private abstract static class DelegatingContext implements GradContext {
        private final GradContext c;

        DelegatingContext(GradContext c) {
            this.c = c;
        }

        @Override
        public dev.idspam.graphs.build.Node node() {
            return c.node();
        }

        @Override
        public dev.idspam.graphs.build.GraphBuilder builder() {
            return c.builder();
        }

        @Override
        public Value input(int i) {
            return c.input(i);
        }

        @Override
        public Value output(int i) {
            return c.output(i);
        }

        @Override
        public Value gradOutput(int i) {
            return c.gradOutput(i);
        }

        @Override
        public boolean needsGrad(int i) {
            return c.needsGrad(i);
        }

        @Override
        public void addGrad(int i, Value grad) {
            c.addGrad(i, grad);
        }

        @Override
        public dev.idspam.graphs.build.TensorData constantInput(int i) {
            return c.constantInput(i);
        }

        @Override
        public Value unbroadcast(Value grad, Value target) {
            return c.unbroadcast(grad, target);
        }
    }
}
