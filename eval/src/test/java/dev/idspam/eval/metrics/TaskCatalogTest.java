package dev.idspam.eval.metrics;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The metrics reported per task, primary first, as docs/METHOD.md asks. */
class TaskCatalogTest {

    static Stream<Arguments> metricTable() {
        return Stream.of(
                Arguments.of("sst2", List.of("accuracy")),
                Arguments.of("mnli", List.of("accuracy")),
                Arguments.of("qnli", List.of("accuracy")),
                Arguments.of("rte", List.of("accuracy")),
                Arguments.of("boolq", List.of("accuracy")),
                Arguments.of("copa", List.of("accuracy")),
                Arguments.of("wic", List.of("accuracy")),
                Arguments.of("mrpc", List.of("acc_and_f1", "accuracy", "f1_macro")),
                Arguments.of("qqp", List.of("acc_and_f1", "accuracy", "f1_macro")),
                Arguments.of("cb", List.of("acc_and_f1", "accuracy", "f1_macro")),
                Arguments.of("imdb", List.of("acc_and_f1", "accuracy", "f1_macro")),
                Arguments.of("cola", List.of("mcc")),
                Arguments.of("stsb", List.of("pearson", "spearman")),
                Arguments.of("multirc", List.of("f1a", "em")));
    }

    @ParameterizedTest
    @MethodSource("metricTable")
    void metricsFollowMethodMd(String task, List<String> metrics) {
        TaskInfo info = TaskCatalog.require(task);
        assertThat(info.metrics()).containsExactlyElementsOf(metrics);
        assertThat(info.primaryMetric()).isEqualTo(metrics.get(0));
        assertThat(MetricSuite.forTask(task).metricIds()).containsExactlyElementsOf(metrics);
    }
}
