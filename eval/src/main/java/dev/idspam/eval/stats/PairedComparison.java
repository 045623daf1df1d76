package dev.idspam.eval.stats;

import java.util.List;
import java.util.OptionalDouble;

/**
 * Two methods compared on the seeds they share.
 *
 * @param seeds           the matched seeds, ascending
 * @param meanDifference  mean of (a − b) over matched seeds
 * @param sdDifference    sample standard deviation of (a − b); NaN when fewer than 2 seeds
 * @param tTestP          two-sided paired t-test p-value; NaN when fewer than 2 seeds
 * @param wilcoxonP       two-sided Wilcoxon signed-rank p-value, present only with at least
 *                        {@link PairedTests#WILCOXON_MIN_PAIRS} seeds
 */
public record PairedComparison(List<Long> seeds, double meanDifference, double sdDifference,
                               double tTestP, OptionalDouble wilcoxonP) {

    public PairedComparison {
        seeds = List.copyOf(seeds);
    }

    /** Number of matched seeds. */
    public int n() {
        return seeds.size();
    }
}
