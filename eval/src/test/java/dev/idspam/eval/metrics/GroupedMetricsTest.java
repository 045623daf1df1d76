package dev.idspam.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class GroupedMetricsTest {

    @Test
    void multiRcExactMatchNeedsEveryAnswerOfAQuestion() {
        int[] groups = {7, 7, 7, 9, 9, 4};
        int[] gold = {1, 0, 1, 0, 1, 1};
        int[] pred = {1, 0, 1, 0, 0, 1}; // question 9 has one wrong answer
        assertThat(GroupedMetrics.exactMatch(pred, gold, groups)).isCloseTo(2.0 / 3, within(1e-12));
        // F1a over all options: tp 3, fp 0, fn 1 → 6/7
        assertThat(GroupedMetrics.f1a(pred, gold)).isCloseTo(6.0 / 7, within(1e-12));
    }

    @Test
    void groupsNeedNotBeContiguous() {
        int[] groups = {1, 2, 1, 2};
        int[] gold = {1, 1, 0, 0};
        int[] pred = {1, 1, 1, 0};
        assertThat(GroupedMetrics.exactMatch(pred, gold, groups)).isCloseTo(0.5, within(1e-12));
    }

    @Test
    void choiceAccuracyPicksTheArgmaxOfEachGroup() {
        int[] groups = {0, 0, 1, 1, 2, 2};
        int[] gold = {1, 0, 0, 1, 1, 0};
        float[] scores = {0.9f, 0.1f, 0.8f, 0.3f, 0.4f, 0.6f}; // right, wrong, wrong
        assertThat(GroupedMetrics.choiceAccuracy(scores, gold, groups)).isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void choiceTiesGoToTheFirstRow() {
        assertThat(GroupedMetrics.choiceAccuracy(new float[] {0.5f, 0.5f}, new int[] {1, 0}, new int[] {3, 3}))
                .isEqualTo(1.0);
        assertThat(GroupedMetrics.choiceAccuracy(new float[] {0.5f, 0.5f}, new int[] {0, 1}, new int[] {3, 3}))
                .isEqualTo(0.0);
    }

    @Test
    void choiceGroupWithoutAnswerIsAnError() {
        assertThatThrownBy(() -> GroupedMetrics.choiceAccuracy(new float[] {1, 2}, new int[] {0, 0}, new int[] {5, 5}))
                .hasMessageContaining("group 5 has no row with gold label 1");
    }

    @Test
    void groupsMustMatchRows() {
        assertThatThrownBy(() -> GroupedMetrics.exactMatch(new int[] {1, 0}, new int[] {1, 0}, new int[] {1}))
                .hasMessageContaining("groups has 1 ids but there are 2 rows");
    }
}
