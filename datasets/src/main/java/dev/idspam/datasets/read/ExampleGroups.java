package dev.idspam.datasets.read;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Regroups per-example scores of grouped tasks (COPA, MultiRC) by {@link Example#group()}.
 *
 * <p>For COPA, each group holds the two choices of one question and exactly one of them has label
 * 1; the prediction for the question is the choice with the higher score, where the score is
 * whatever the model gives class 1 (a logit difference or a probability).
 */
public final class ExampleGroups {

    private ExampleGroups() {
    }

    /**
     * One group: its id and the positions of its members in the example list, in list order.
     */
    public record Group(String id, List<Integer> members) {
        public Group {
            if (id == null || id.isBlank()) {
                throw new IllegalArgumentException("group id must not be blank");
            }
            members = List.copyOf(members);
            if (members.isEmpty()) {
                throw new IllegalArgumentException("group " + id + " has no members");
            }
        }
    }

    /**
     * The groups in order of first appearance.
     *
     * @throws IllegalArgumentException if an example has no group
     */
    public static List<Group> of(List<Example> examples) {
        Map<String, List<Integer>> members = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.group() == null) {
                throw new IllegalArgumentException("example " + e.id() + " (position " + i
                        + ") has no group; only COPA and MultiRC examples are grouped");
            }
            members.computeIfAbsent(e.group(), g -> new ArrayList<>()).add(i);
        }
        List<Group> groups = new ArrayList<>(members.size());
        for (Map.Entry<String, List<Integer>> entry : members.entrySet()) {
            groups.add(new Group(entry.getKey(), entry.getValue()));
        }
        return groups;
    }

    /**
     * For each group (in {@link #of} order), the position of the member with the highest score;
     * the earlier member wins a tie.
     *
     * @param scores one score per example, aligned with {@code examples}
     */
    public static int[] bestPerGroup(List<Example> examples, float[] scores) {
        if (scores.length != examples.size()) {
            throw new IllegalArgumentException("got " + scores.length + " scores for "
                    + examples.size() + " examples");
        }
        List<Group> groups = of(examples);
        int[] best = new int[groups.size()];
        for (int g = 0; g < groups.size(); g++) {
            int bestIndex = -1;
            for (int member : groups.get(g).members()) {
                if (Float.isNaN(scores[member])) {
                    throw new IllegalArgumentException("score of example " + examples.get(member).id()
                            + " is NaN");
                }
                if (bestIndex < 0 || scores[member] > scores[bestIndex]) {
                    bestIndex = member;
                }
            }
            best[g] = bestIndex;
        }
        return best;
    }

    /**
     * Multiple-choice accuracy: the fraction of groups whose best-scoring member has label 1.
     *
     * @throws IllegalArgumentException if a group does not have exactly one member with label 1
     */
    public static double choiceAccuracy(List<Example> examples, float[] scores) {
        List<Group> groups = of(examples);
        for (Group group : groups) {
            int positives = 0;
            for (int member : group.members()) {
                positives += examples.get(member).label() == 1 ? 1 : 0;
            }
            if (positives != 1) {
                throw new IllegalArgumentException("group " + group.id() + " has " + positives
                        + " correct choices; choice accuracy needs exactly one");
            }
        }
        int[] best = bestPerGroup(examples, scores);
        int correct = 0;
        for (int index : best) {
            correct += examples.get(index).label() == 1 ? 1 : 0;
        }
        return groups.isEmpty() ? 0.0 : (double) correct / groups.size();
    }
}
