package dev.idspam.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CorrelationMetricsTest {

    private static final double[] X = {1, 2, 3, 4, 5};
    private static final double[] Y = {2, 4, 5, 4, 5};

    @Test
    void pearsonByHand() {
        // deviations x: -2 -1 0 1 2, y: -2 0 1 0 1 → Σxy 6, Σx² 10, Σy² 6
        assertThat(CorrelationMetrics.pearson(X, Y)).isCloseTo(6 / Math.sqrt(60), within(1e-12));
    }

    @Test
    void spearmanAveragesTiedRanks() {
        // ranks of y: 1, 2.5, 4.5, 2.5, 4.5 → Σ dx·dy 7, Σ dy² 9
        assertThat(CorrelationMetrics.spearman(X, Y)).isCloseTo(7 / Math.sqrt(90), within(1e-12));
    }

    @Test
    void monotoneButNonLinear() {
        double[] cubes = {1, 8, 27, 64, 125};
        assertThat(CorrelationMetrics.spearman(X, cubes)).isCloseTo(1.0, within(1e-12));
        assertThat(CorrelationMetrics.pearson(X, cubes)).isLessThan(1.0).isGreaterThan(0.9);
    }

    @Test
    void constantSideIsZeroNotNaN() {
        double[] flat = {3, 3, 3, 3, 3};
        assertThat(CorrelationMetrics.pearson(flat, Y)).isZero();
        assertThat(CorrelationMetrics.spearman(X, flat)).isZero();
    }

    @Test
    void rejectsTooFewOrNonFinite() {
        assertThatThrownBy(() -> CorrelationMetrics.pearson(new double[] {1}, new double[] {2}))
                .hasMessageContaining("at least 2");
        assertThatThrownBy(() -> CorrelationMetrics.pearson(new double[] {1, Double.NaN}, new double[] {2, 3}))
                .hasMessageContaining("index 1");
    }
}
