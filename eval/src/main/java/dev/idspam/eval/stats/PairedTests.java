package dev.idspam.eval.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeSet;

import org.apache.commons.math3.stat.inference.TTest;
import org.apache.commons.math3.stat.inference.WilcoxonSignedRankTest;

/**
 * Paired significance tests between two methods run with the same seeds. Seeds present for only
 * one method are left out; the result lists the seeds that were used.
 */
public final class PairedTests {

    /** Fewest pairs for which a Wilcoxon signed-rank p-value is reported. */
    public static final int WILCOXON_MIN_PAIRS = 5;

    /** Largest n for which Commons Math computes the exact Wilcoxon distribution. */
    private static final int WILCOXON_EXACT_MAX = 30;

    private PairedTests() {
    }

    /**
     * Compares method a with method b, each given as seed → score.
     * When every difference is the same (zero variance) the t statistic is undefined; the p-value
     * is then 1 if that difference is 0 and 0 otherwise (the limit of a vanishing variance).
     */
    public static PairedComparison compare(Map<Long, Double> a, Map<Long, Double> b) {
        TreeSet<Long> shared = new TreeSet<>(a.keySet());
        shared.retainAll(b.keySet());
        List<Long> seeds = new ArrayList<>(shared);
        int n = seeds.size();
        if (n == 0) {
            return new PairedComparison(seeds, Double.NaN, Double.NaN, Double.NaN, OptionalDouble.empty());
        }
        double[] x = new double[n];
        double[] y = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = a.get(seeds.get(i));
            y[i] = b.get(seeds.get(i));
            d[i] = x[i] - y[i];
        }
        double mean = Descriptive.mean(d);
        double sd = Descriptive.sampleSd(d);
        double p = n < 2 ? Double.NaN : tTestP(x, y, d, mean);
        OptionalDouble w = n < WILCOXON_MIN_PAIRS
                ? OptionalDouble.empty()
                : OptionalDouble.of(wilcoxonP(x, y, d));
        return new PairedComparison(seeds, mean, sd, p, w);
    }

    private static double tTestP(double[] x, double[] y, double[] d, double mean) {
        if (allEqual(d)) {
            return mean == 0 ? 1.0 : 0.0;
        }
        return new TTest().pairedTTest(x, y);
    }

    private static double wilcoxonP(double[] x, double[] y, double[] d) {
        boolean allZero = true;
        for (double v : d) {
            allZero &= v == 0;
        }
        if (allZero) {
            return 1.0;
        }
        return new WilcoxonSignedRankTest().wilcoxonSignedRankTest(x, y, x.length <= WILCOXON_EXACT_MAX);
    }

    private static boolean allEqual(double[] d) {
        for (double v : d) {
            if (v != d[0]) {
                return false;
            }
        }
        return true;
    }
}
