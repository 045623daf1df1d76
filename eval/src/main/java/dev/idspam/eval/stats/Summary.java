package dev.idspam.eval.stats;

import java.util.Collection;

/**
 * Mean, sample standard deviation and 95% Student-t confidence interval of a sample (usually one
 * value per seed). With a single value the spread fields are NaN.
 */
public record Summary(int n, double mean, double sd, double ciLow, double ciHigh) {

    /** Confidence level of {@link #ciLow} and {@link #ciHigh}. */
    public static final double LEVEL = 0.95;

    public Summary {
        if (n < 1) {
            throw new IllegalArgumentException("a summary needs at least one value, n = " + n);
        }
    }

    /** Summarises the given values. */
    public static Summary of(double... values) {
        double mean = Descriptive.mean(values);
        double half = Descriptive.confidenceHalfWidth(values, LEVEL);
        return new Summary(values.length, mean, Descriptive.sampleSd(values), mean - half, mean + half);
    }

    /** Summarises the given values. */
    public static Summary of(Collection<Double> values) {
        return of(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Half-width of the 95% confidence interval. */
    public double ciHalfWidth() {
        return (ciHigh - ciLow) / 2;
    }

    /** True when there is a standard deviation (two or more values). */
    public boolean hasSpread() {
        return n >= 2;
    }

    /** "mean ± sd" with the given decimals, e.g. {@code "84.8 ± 1.2"}; just the mean when n = 1. */
    public String format(int decimals) {
        return StatFormat.meanSd(mean, sd, decimals);
    }
}
