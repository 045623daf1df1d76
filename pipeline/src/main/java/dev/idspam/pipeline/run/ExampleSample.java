package dev.idspam.pipeline.run;

import dev.idspam.datasets.batch.SeededShuffle;
import dev.idspam.datasets.read.Example;

import java.util.ArrayList;
import java.util.List;

/**
 * A seeded random subset of a split for evaluation ({@code --max-samples}). The unit drawn is a
 * scoring group (a COPA question with its two choices, a MultiRC question with its answers) or a
 * single example where the task has no groups, so grouped metrics stay well defined. Units are
 * drawn in the order of {@link SeededShuffle} (a seeded partial Fisher-Yates shuffle) until at least
 * {@code max} examples are taken (exactly {@code max} for ungrouped tasks), and are returned in file
 * order: the same split, {@code max} and seed give the same subset on every machine.
 */
public final class ExampleSample {
    private ExampleSample() {
    }

    /** All examples when {@code max} is 0 or not smaller than the split; otherwise the subset. */
    public static List<Example> of(List<Example> all, int max, long seed) {
        if (max < 0) {
            throw new IllegalArgumentException("the sample size must be >= 0 (0 = all), got " + max);
        }
        if (max == 0 || max >= all.size()) {
            return all;
        }
        // units: runs of consecutive examples that share a group id (one example each without groups)
        List<int[]> units = new ArrayList<>();
        for (int i = 0; i < all.size(); ) {
            int j = i + 1;
            String g = all.get(i).group();
            while (g != null && j < all.size() && g.equals(all.get(j).group())) {
                j++;
            }
            units.add(new int[] {i, j});
            i = j;
        }
        // the whole order is drawn; its first slots are those a partial shuffle stopping there would draw
        int[] order = SeededShuffle.first(units.size(), units.size(), seed);
        int taken = 0;
        int k = 0;
        for (; k < order.length && taken < max; k++) {
            int[] u = units.get(order[k]);
            taken += u[1] - u[0];
        }
        int[] chosen = java.util.Arrays.copyOf(order, k);
        java.util.Arrays.sort(chosen);
        List<Example> out = new ArrayList<>(taken);
        for (int c : chosen) {
            int[] u = units.get(c);
            out.addAll(all.subList(u[0], u[1]));
        }
        return out;
    }
}
