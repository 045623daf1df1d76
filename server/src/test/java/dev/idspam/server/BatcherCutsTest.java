package dev.idspam.server;

import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** How the micro-batcher splits a sorted batch into model runs ({@link Batcher#cuts}). */
class BatcherCutsTest {
    private static final int COST = Batcher.RUN_COST_TOKENS;

    @Test
    void noExamplesGiveNoRuns() {
        assertArrayEquals(new int[0], Batcher.cuts(new int[0], COST));
    }

    @Test
    void equalLengthsRunTogether() {
        int[] t = new int[32];
        Arrays.fill(t, 17);
        assertArrayEquals(new int[] {32}, Batcher.cuts(t, COST));
    }

    @Test
    void lengthsWithinTwiceTheShortestStillRunTogetherWhenARunCostsMoreThanThePadding() {
        // one run: 20 + 4 × 14 = 76; cut after the first two: 20 + 2 × 8 + 20 + 2 × 14 = 84
        assertArrayEquals(new int[] {4}, Batcher.cuts(new int[] {8, 8, 14, 14}, COST));
    }

    @Test
    void oneLongTextIsRunOnItsOwn() {
        int[] t = {10, 10, 11, 12, 12, 13, 13, 14, 120};
        // eight short ones padded to 120 would cost 8 × 106 more than a second run of 20
        assertArrayEquals(new int[] {8, 9}, Batcher.cuts(t, COST));
    }

    @Test
    void withoutARunCostEveryDistinctLengthIsItsOwnRun() {
        assertArrayEquals(new int[] {2, 3, 5}, Batcher.cuts(new int[] {5, 5, 9, 30, 30}, 0));
    }

    @Test
    void theChosenSplitCostsNoMoreThanAnyOtherSplitIntoNeighbours() {
        int[] t = {6, 7, 9, 12, 15, 19, 24, 31, 40, 52, 70, 96};
        int[] ends = Batcher.cuts(t, COST);
        long chosen = cost(t, ends);
        for (int mask = 0; mask < 1 << (t.length - 1); mask++) {   // every set of cut points
            int[] e = new int[Integer.bitCount(mask) + 1];
            int k = 0;
            for (int i = 1; i < t.length; i++) {
                if ((mask & 1 << (i - 1)) != 0) {
                    e[k++] = i;
                }
            }
            e[k] = t.length;
            long c = cost(t, e);
            if (c < chosen) {
                throw new AssertionError("split " + Arrays.toString(e) + " costs " + c + " < " + chosen
                        + " of the chosen " + Arrays.toString(ends));
            }
        }
        assertEquals(t.length, ends[ends.length - 1]);
    }

    private static long cost(int[] t, int[] ends) {
        long c = 0;
        int start = 0;
        for (int end : ends) {
            c += COST + (long) (end - start) * t[end - 1];
            start = end;
        }
        return c;
    }
}
