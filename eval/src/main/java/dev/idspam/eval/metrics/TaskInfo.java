package dev.idspam.eval.metrics;

import java.util.List;

/**
 * What the project reports for one task: its canonical id ({@code "sst2"}), the name printed in
 * tables ({@code "SST-2"}), its benchmark, the metric ids to compute and the primary one.
 */
public record TaskInfo(String id, String displayName, Benchmark benchmark, List<String> metrics,
                       String primaryMetric) {

    public TaskInfo {
        metrics = List.copyOf(metrics);
        for (String m : metrics) {
            Metric.fromId(m);
        }
        if (!metrics.contains(primaryMetric)) {
            throw new IllegalArgumentException("task " + id + ": primary metric '" + primaryMetric
                    + "' is not among " + metrics);
        }
    }
}
