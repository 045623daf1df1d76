package dev.idspam.pipeline.run;

import dev.idspam.datasets.task.Task;
import dev.idspam.eval.metrics.MetricSuite;
import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.metrics.TaskInfo;
import org.junit.jupiter.params.ParameterizedTest;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Every task the datasets module reads has one metric entry in eval's catalogue, under its id. */
class TaskMetricsTest {

    static Task[] builtIn() {
        return Task.values();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("builtIn")
    void everyTaskHasOneMetricEntry(Task task) {
        TaskInfo info = TaskCatalog.lookup(task.shortName()).orElse(null);
        assertThat(info).as("catalogue entry of %s", task.shortName()).isNotNull();
        assertThat(info.id()).isEqualTo(task.shortName());
        boolean regressionMetrics = info.metrics().stream().allMatch(List.of("pearson", "spearman")::contains);
        assertThat(regressionMetrics).isEqualTo(task.regression());
        assertThat(MetricSuite.forTask(task.shortName()).primary()).isEqualTo(info.primaryMetric());
    }
}
