package dev.idspam.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

    // tp = 2 (0, 1), fp = 1 (2), fn = 1 (6), tn = 3 (3, 4, 5)
    private static final int[] PRED = {1, 1, 1, 0, 0, 0, 0};
    private static final int[] GOLD = {1, 1, 0, 0, 0, 0, 1};

    @Test
    void binaryCountsByHand() {
        assertThat(ClassificationMetrics.accuracy(PRED, GOLD)).isCloseTo(5.0 / 7, within(1e-12));
        assertThat(ClassificationMetrics.f1(PRED, GOLD)).isCloseTo(2.0 / 3, within(1e-12));
        // class 0: tp 3, fp 1, fn 1 → 6/8; macro = (2/3 + 3/4) / 2 = 17/24
        assertThat(ClassificationMetrics.f1Macro(PRED, GOLD)).isCloseTo(17.0 / 24, within(1e-12));
        assertThat(ClassificationMetrics.accuracyAndF1(PRED, GOLD))
                .isCloseTo((5.0 / 7 + 17.0 / 24) / 2, within(1e-12));
        // (tp·tn − fp·fn) / sqrt((tp+fp)(tp+fn)(tn+fp)(tn+fn)) = (6 − 1) / sqrt(3·3·4·4)
        assertThat(ClassificationMetrics.matthews(PRED, GOLD)).isCloseTo(5.0 / 12, within(1e-12));
    }

    @Test
    void f1WithoutTruePositivesIsZero() {
        int[] zeros = {0, 0, 0};
        assertThat(ClassificationMetrics.f1(zeros, zeros)).isZero();
        assertThat(ClassificationMetrics.f1(new int[] {1, 1, 0}, new int[] {0, 0, 0})).isZero();
        assertThat(ClassificationMetrics.f1(new int[] {0, 0, 0}, new int[] {1, 0, 0})).isZero();
    }

    @Test
    void allOneClassEverywhere() {
        int[] ones = {1, 1, 1, 1};
        assertThat(ClassificationMetrics.accuracy(ones, ones)).isEqualTo(1.0);
        assertThat(ClassificationMetrics.f1(ones, ones)).isEqualTo(1.0);
        assertThat(ClassificationMetrics.f1Macro(ones, ones)).isEqualTo(1.0);
        assertThat(ClassificationMetrics.matthews(ones, ones)).isZero();
    }

    @Test
    void constantPredictionHasZeroMcc() {
        int[] gold = {0, 1, 0, 1, 1};
        int[] allZero = {0, 0, 0, 0, 0};
        assertThat(ClassificationMetrics.matthews(allZero, gold)).isZero();
        assertThat(ClassificationMetrics.accuracy(allZero, gold)).isCloseTo(0.4, within(1e-12));
        // class 0 F1 = 2·2 / (2·2 + 3 + 0) = 4/7, class 1 F1 = 0
        assertThat(ClassificationMetrics.f1Macro(allZero, gold)).isCloseTo(2.0 / 7, within(1e-12));
    }

    @Test
    void perfectAndInvertedBinaryMcc() {
        int[] gold = {0, 1, 0, 1};
        assertThat(ClassificationMetrics.matthews(gold, gold)).isCloseTo(1.0, within(1e-12));
        assertThat(ClassificationMetrics.matthews(new int[] {1, 0, 1, 0}, gold)).isCloseTo(-1.0, within(1e-12));
    }

    @Test
    void multiClassMcc() {
        int[] pred = {0, 1, 2, 2, 1, 0};
        int[] gold = {0, 1, 2, 1, 1, 2};
        // correct 4 of 6; Σ p_k t_k = 2·1 + 2·3 + 2·2 = 12; Σ p² = 12; Σ t² = 14
        double expected = (4.0 * 6 - 12) / Math.sqrt((36.0 - 12) * (36.0 - 14));
        assertThat(ClassificationMetrics.matthews(pred, gold)).isCloseTo(expected, within(1e-12));
    }

    @Test
    void macroF1CountsClassesSeenOnlyInPredictions() {
        // classes {0, 1, 2}: F1 1, 0, 0
        assertThat(ClassificationMetrics.f1Macro(new int[] {0, 2}, new int[] {0, 1}))
                .isCloseTo(1.0 / 3, within(1e-12));
    }

    @Test
    void threeClassMacroF1() {
        int[] pred = {0, 1, 2, 2, 1, 0};
        int[] gold = {0, 1, 2, 1, 1, 2};
        // class 0: tp 1, fp 1, fn 0 → 2/3; class 1: tp 2, fp 0, fn 1 → 4/5; class 2: tp 1, fp 1, fn 1 → 1/2
        assertThat(ClassificationMetrics.f1Macro(pred, gold))
                .isCloseTo((2.0 / 3 + 4.0 / 5 + 1.0 / 2) / 3, within(1e-12));
    }

    @Test
    void rejectsBadInput() {
        assertThatThrownBy(() -> ClassificationMetrics.accuracy(new int[] {1}, new int[] {1, 0}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("predicted has 1 labels but gold has 2");
        assertThatThrownBy(() -> ClassificationMetrics.accuracy(new int[0], new int[0]))
                .hasMessageContaining("empty");
        assertThatThrownBy(() -> ClassificationMetrics.f1(new int[] {0, 2}, new int[] {0, 1}))
                .hasMessageContaining("predicted label at index 1 is 2")
                .hasMessageContaining("f1_macro");
    }
}
