package dev.idspam.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Metrics over groups of rows that belong to one question: MultiRC (every answer option of a
 * question is one row) and COPA-style multiple choice (every candidate is one row). Rows with the
 * same group id form a group; groups need not be contiguous.
 */
public final class GroupedMetrics {

    private GroupedMetrics() {
    }

    /**
     * MultiRC F1a: binary F1 of class 1 over all answer options, ignoring the grouping.
     */
    public static double f1a(int[] predicted, int[] gold) {
        return ClassificationMetrics.f1(predicted, gold);
    }

    /**
     * MultiRC exact match: the fraction of groups (questions) in which every row's prediction
     * equals its gold label.
     */
    public static double exactMatch(int[] predicted, int[] gold, int[] groups) {
        ClassificationMetrics.checkPair(predicted, gold);
        checkGroups(groups, gold.length);
        Map<Integer, Boolean> allRight = new LinkedHashMap<>();
        for (int i = 0; i < gold.length; i++) {
            boolean right = predicted[i] == gold[i];
            allRight.merge(groups[i], right, Boolean::logicalAnd);
        }
        long right = allRight.values().stream().filter(b -> b).count();
        return (double) right / allRight.size();
    }

    /**
     * COPA-style accuracy: within each group the row with the highest score is the model's choice
     * (the first such row on ties); the group counts as right when that row's gold label is 1.
     * Each group must hold at least one row with gold label 1.
     */
    public static double choiceAccuracy(float[] scores, int[] gold, int[] groups) {
        if (scores == null || gold == null) {
            throw new IllegalArgumentException("scores and gold labels are required");
        }
        if (scores.length != gold.length) {
            throw new IllegalArgumentException("scores has " + scores.length
                    + " values but gold has " + gold.length + "; they must be the same length");
        }
        if (gold.length == 0) {
            throw new IllegalArgumentException("no predictions to score (empty arrays)");
        }
        checkGroups(groups, gold.length);
        Map<Integer, List<Integer>> rows = new LinkedHashMap<>();
        for (int i = 0; i < gold.length; i++) {
            if (Float.isNaN(scores[i])) {
                throw new IllegalArgumentException("score at index " + i + " is NaN");
            }
            rows.computeIfAbsent(groups[i], g -> new ArrayList<>()).add(i);
        }
        int right = 0;
        for (Map.Entry<Integer, List<Integer>> group : rows.entrySet()) {
            int best = -1;
            boolean hasGold = false;
            for (int i : group.getValue()) {
                hasGold |= gold[i] == 1;
                if (best < 0 || scores[i] > scores[best]) {
                    best = i;
                }
            }
            if (!hasGold) {
                throw new IllegalArgumentException("group " + group.getKey()
                        + " has no row with gold label 1, so no choice in it can be right");
            }
            if (gold[best] == 1) {
                right++;
            }
        }
        return (double) right / rows.size();
    }

    private static void checkGroups(int[] groups, int rows) {
        if (groups == null) {
            throw new IllegalArgumentException("group ids are required for grouped metrics");
        }
        if (groups.length != rows) {
            throw new IllegalArgumentException("groups has " + groups.length
                    + " ids but there are " + rows + " rows; give one group id per row");
        }
    }
}
