package dev.idspam.datasets.batch;

import java.util.SplittableRandom;

/**
 * The one seeded draw of row subsets in the project (training subsets, held-out dev splits,
 * evaluation samples): a partial Fisher-Yates shuffle of {@code 0..n-1} driven by
 * {@code new SplittableRandom(seed)}, where slot i takes a uniform pick of the slots i..n-1. The first
 * k slots do not depend on how many more are shuffled, so a caller that needs "as many as it takes"
 * may shuffle all n and walk the order: it gets the same prefix as one that asked for k.
 */
public final class SeededShuffle {
    private SeededShuffle() {
    }

    /** The first {@code k} slots of the shuffled order of {@code 0..n-1}, in drawing order (not sorted). */
    public static int[] first(int n, int k, long seed) {
        if (k < 0 || k > n) {
            throw new IllegalArgumentException("cannot draw " + k + " of " + n);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return java.util.Arrays.copyOf(order, k);
    }
}
