package dev.idspam.eval.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class MetricSuiteTest {

    private static final int[] PRED = {1, 1, 1, 0, 0, 0, 0};
    private static final int[] GOLD = {1, 1, 0, 0, 0, 0, 1};

    @Test
    void valuesComeInRequestedOrderWithPrimary() {
        MetricSuite suite = MetricSuite.of(List.of("mcc", "accuracy", "acc_and_f1", "f1"), "acc_and_f1");
        MetricResult r = suite.evaluate(Predictions.classes(PRED, GOLD));
        assertThat(r.values()).containsOnlyKeys("mcc", "accuracy", "acc_and_f1", "f1");
        assertThat(List.copyOf(r.values().keySet())).containsExactly("mcc", "accuracy", "acc_and_f1", "f1");
        assertThat(r.primary()).isEqualTo("acc_and_f1");
        assertThat(r.primaryValue()).isCloseTo((5.0 / 7 + 17.0 / 24) / 2, within(1e-12));
        assertThat(r.get("mcc")).isCloseTo(5.0 / 12, within(1e-12));
    }

    @Test
    void firstMetricIsPrimaryByDefault() {
        assertThat(MetricSuite.of(List.of("f1_macro", "accuracy")).primary()).isEqualTo("f1_macro");
    }

    @Test
    void regressionSuite() {
        float[] p = {1, 2, 3, 4, 5};
        float[] g = {2, 4, 5, 4, 5};
        MetricResult r = MetricSuite.forTask("STS-B").evaluate(Predictions.regression(p, g));
        assertThat(r.primary()).isEqualTo("pearson");
        assertThat(r.get("pearson")).isCloseTo(6 / Math.sqrt(60), within(1e-6));
        assertThat(r.get("spearman")).isCloseTo(7 / Math.sqrt(90), within(1e-6));
    }

    @Test
    void groupedSuites() {
        int[] groups = {7, 7, 9, 9};
        int[] gold = {1, 0, 0, 1};
        int[] pred = {1, 0, 1, 1};
        MetricResult multirc = MetricSuite.forTask("multirc").evaluate(Predictions.grouped(pred, gold, groups));
        assertThat(multirc.values()).containsEntry("em", 0.5);
        assertThat(multirc.primary()).isEqualTo("f1a");

        float[] scores = {0.9f, 0.2f, 0.7f, 0.1f};
        MetricResult copa = MetricSuite.of(List.of("choice_accuracy"))
                .evaluate(Predictions.scored(pred, gold, scores, groups));
        assertThat(copa.primaryValue()).isEqualTo(0.5);
    }

    @Test
    void taskTable() {
        assertThat(MetricSuite.forTask("MRPC").primary()).isEqualTo("acc_and_f1");
        assertThat(MetricSuite.forTask("sst-2").primary()).isEqualTo("accuracy");
        assertThat(MetricSuite.forTask("CoLA").primary()).isEqualTo("mcc");
        assertThat(MetricSuite.forTransfer().primary()).isEqualTo("acc_and_f1");
        assertThat(TaskCatalog.displayName("qqp")).isEqualTo("QQP");
        assertThat(TaskCatalog.benchmark("boolq")).isEqualTo(Benchmark.SUPERGLUE);
        assertThat(TaskCatalog.order("mnli")).isLessThan(TaskCatalog.order("qqp"));
        assertThatThrownBy(() -> MetricSuite.forTask("squad")).hasMessageContaining("unknown task 'squad'");
    }

    @Test
    void explainsMisuse() {
        assertThatThrownBy(() -> MetricSuite.of(List.of("acc"))).hasMessageContaining("unknown metric 'acc'")
                .hasMessageContaining("accuracy");
        assertThatThrownBy(() -> MetricSuite.of(List.of("accuracy"), "f1")).hasMessageContaining("not in the suite");
        assertThatThrownBy(() -> MetricSuite.of(List.of("accuracy", "pearson"))).hasMessageContaining("mixes");
        assertThatThrownBy(() -> MetricSuite.of(List.of("em")).evaluate(Predictions.classes(PRED, GOLD)))
                .hasMessageContaining("needs a group id per row");
        assertThatThrownBy(() -> MetricSuite.of(List.of("pearson"))
                .evaluate(Predictions.classes(PRED, GOLD))).hasMessageContaining("needs regression outputs");
        assertThatThrownBy(() -> Predictions.scored(PRED, GOLD, new float[3], null))
                .hasMessageContaining("scores has 3 values");
    }

    @Test
    void predictionsAreCopied() {
        int[] pred = {1, 0};
        Predictions.Classes p = Predictions.classes(pred, new int[] {1, 0});
        pred[0] = 0;
        p.predicted()[1] = 1;
        assertThat(p.predicted()).containsExactly(1, 0);
    }
}
