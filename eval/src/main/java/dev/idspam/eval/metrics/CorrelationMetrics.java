package dev.idspam.eval.metrics;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;

/**
 * Correlations between regression outputs and gold scores (STS-B), computed with Commons Math.
 *
 * <p>A correlation is undefined when either side is constant; this class returns 0 then, the
 * same convention as MCC, so a collapsed model scores "no association" instead of NaN that would
 * poison every mean it enters.
 */
public final class CorrelationMetrics {

    private CorrelationMetrics() {
    }

    /** Pearson's r between predicted and gold values. */
    public static double pearson(double[] predicted, double[] gold) {
        check(predicted, gold);
        if (isConstant(predicted) || isConstant(gold)) {
            return 0.0;
        }
        return new PearsonsCorrelation().correlation(predicted, gold);
    }

    /** Spearman's ρ (ties get their average rank) between predicted and gold values. */
    public static double spearman(double[] predicted, double[] gold) {
        check(predicted, gold);
        if (isConstant(predicted) || isConstant(gold)) {
            return 0.0;
        }
        return new SpearmansCorrelation().correlation(predicted, gold);
    }

    private static boolean isConstant(double[] values) {
        for (double v : values) {
            if (v != values[0]) {
                return false;
            }
        }
        return true;
    }

    private static void check(double[] predicted, double[] gold) {
        if (predicted == null || gold == null) {
            throw new IllegalArgumentException("predicted and gold values are required");
        }
        if (predicted.length != gold.length) {
            throw new IllegalArgumentException("predicted has " + predicted.length
                    + " values but gold has " + gold.length + "; they must be the same length");
        }
        if (gold.length < 2) {
            throw new IllegalArgumentException("a correlation needs at least 2 values, found "
                    + gold.length);
        }
        for (int i = 0; i < gold.length; i++) {
            if (!Double.isFinite(predicted[i]) || !Double.isFinite(gold[i])) {
                throw new IllegalArgumentException("value at index " + i + " is not finite (predicted "
                        + predicted[i] + ", gold " + gold[i] + ")");
            }
        }
    }
}
