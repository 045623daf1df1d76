package dev.idspam.eval.report.params;

/**
 * The trainable count every method shares: the task head, computed from its shapes in
 * docs/METHOD.md. Each method's own formula lives with the method (its provider in the
 * method registry); the application layer hands the counts to the reports as {@link ParameterSheet}.
 */
public final class ParameterCounts {

    private ParameterCounts() {
    }

    /** Task head: dense n→n with bias, then dense n→C with bias: n² + n + n·C + C. */
    public static long head(int n, int numLabels) {
        long nn = n;
        return nn * nn + nn + nn * numLabels + numLabels;
    }
}
