package dev.idspam.eval.stats;

import org.apache.commons.math3.distribution.TDistribution;
import org.apache.commons.math3.stat.StatUtils;

/** Mean, sample standard deviation and Student-t confidence intervals of small samples (seeds). */
public final class Descriptive {

    private Descriptive() {
    }

    /** Arithmetic mean; the sample must not be empty. */
    public static double mean(double[] values) {
        check(values);
        return StatUtils.mean(values);
    }

    /** Sample standard deviation (divides by n − 1); NaN for a single value. */
    public static double sampleSd(double[] values) {
        check(values);
        if (values.length < 2) {
            return Double.NaN;
        }
        return Math.sqrt(StatUtils.variance(values));
    }

    /**
     * Half-width of the two-sided Student-t confidence interval of the mean:
     * t_{(1+level)/2, n−1} · sd / √n. NaN for a single value.
     *
     * @param level confidence level in (0, 1), e.g. 0.95
     */
    public static double confidenceHalfWidth(double[] values, double level) {
        check(values);
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
        }
        int n = values.length;
        if (n < 2) {
            return Double.NaN;
        }
        double t = new TDistribution(n - 1).inverseCumulativeProbability(0.5 + level / 2);
        return t * sampleSd(values) / Math.sqrt(n);
    }

    static void check(double[] values) {
        if (values == null || values.length == 0) {
            throw new IllegalArgumentException("no values: statistics need at least one value");
        }
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException("value " + i + " is not finite: " + values[i]);
            }
        }
    }
}
