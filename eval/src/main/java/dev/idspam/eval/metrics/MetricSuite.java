package dev.idspam.eval.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A fixed list of metrics and a primary one, evaluated together on one set of predictions.
 *
 * <pre>{@code
 * MetricSuite suite = MetricSuite.of(List.of("accuracy", "f1_macro", "acc_and_f1"), "acc_and_f1");
 * MetricResult r = suite.evaluate(Predictions.classes(pred, gold));
 * r.values();        // {accuracy=..., f1_macro=..., acc_and_f1=...} in that order
 * r.primaryValue();  // acc_and_f1
 * }</pre>
 */
public final class MetricSuite {

    private final List<Metric> metrics;
    private final Metric primary;

    private MetricSuite(List<Metric> metrics, Metric primary) {
        this.metrics = List.copyOf(metrics);
        this.primary = primary;
    }

    /** A suite whose primary metric is the first one named. */
    public static MetricSuite of(List<String> metricIds) {
        if (metricIds == null || metricIds.isEmpty()) {
            throw new IllegalArgumentException("a metric suite needs at least one metric");
        }
        return of(metricIds, metricIds.get(0));
    }

    /** A suite with an explicit primary metric, which must be among {@code metricIds}. */
    public static MetricSuite of(List<String> metricIds, String primaryId) {
        if (metricIds == null || metricIds.isEmpty()) {
            throw new IllegalArgumentException("a metric suite needs at least one metric");
        }
        List<Metric> metrics = new ArrayList<>();
        for (String id : metricIds) {
            Metric m = Metric.fromId(id);
            if (metrics.contains(m)) {
                throw new IllegalArgumentException("metric '" + id + "' is listed twice in " + metricIds);
            }
            metrics.add(m);
        }
        Metric primary = Metric.fromId(primaryId);
        if (!metrics.contains(primary)) {
            throw new IllegalArgumentException("primary metric '" + primaryId
                    + "' is not in the suite " + metricIds);
        }
        boolean regression = metrics.get(0).isRegression();
        for (Metric m : metrics) {
            if (m.isRegression() != regression) {
                throw new IllegalArgumentException("suite " + metricIds
                        + " mixes regression metrics (pearson, spearman) with classification metrics");
            }
        }
        return new MetricSuite(metrics, primary);
    }

    /** The suite the project reports for a task (see {@link TaskCatalog}). */
    public static MetricSuite forTask(String task) {
        TaskInfo info = TaskCatalog.require(task);
        return of(info.metrics(), info.primaryMetric());
    }

    /** The suite for zero- and few-shot transfer pairs: mean of accuracy and macro-F1. */
    public static MetricSuite forTransfer() {
        return of(TaskCatalog.TRANSFER_METRICS, Metric.ACC_AND_F1.id());
    }

    /** Metric ids in evaluation order. */
    public List<String> metricIds() {
        return metrics.stream().map(Metric::id).toList();
    }

    /** The primary metric's id. */
    public String primary() {
        return primary.id();
    }

    /** Computes every metric of the suite, in order. */
    public MetricResult evaluate(Predictions predictions) {
        Map<String, Double> values = new LinkedHashMap<>();
        for (Metric m : metrics) {
            values.put(m.id(), compute(m, predictions));
        }
        return new MetricResult(values, primary.id());
    }

    private static double compute(Metric metric, Predictions predictions) {
        if (metric.isRegression()) {
            if (!(predictions instanceof Predictions.Regression r)) {
                throw new IllegalArgumentException("metric '" + metric.id()
                        + "' needs regression outputs (Predictions.regression), got class labels");
            }
            double[] p = toDouble(r.predicted());
            double[] g = toDouble(r.gold());
            return metric == Metric.PEARSON
                    ? CorrelationMetrics.pearson(p, g)
                    : CorrelationMetrics.spearman(p, g);
        }
        if (!(predictions instanceof Predictions.Classes c)) {
            throw new IllegalArgumentException("metric '" + metric.id()
                    + "' needs class labels (Predictions.classes), got regression outputs");
        }
        int[] p = c.predicted();
        int[] g = c.gold();
        return switch (metric) {
            case ACCURACY -> ClassificationMetrics.accuracy(p, g);
            case F1 -> ClassificationMetrics.f1(p, g);
            case F1_MACRO -> ClassificationMetrics.f1Macro(p, g);
            case ACC_AND_F1 -> ClassificationMetrics.accuracyAndF1(p, g);
            case MCC -> ClassificationMetrics.matthews(p, g);
            case F1A -> GroupedMetrics.f1a(p, g);
            case EM -> GroupedMetrics.exactMatch(p, g, requireGroups(c, metric));
            case CHOICE_ACCURACY -> {
                if (c.scores() == null) {
                    throw new IllegalArgumentException("metric 'choice_accuracy' needs a score per row "
                            + "(Predictions.scored)");
                }
                yield GroupedMetrics.choiceAccuracy(c.scores(), g, requireGroups(c, metric));
            }
            case PEARSON, SPEARMAN -> throw new AssertionError("handled above");
        };
    }

    private static int[] requireGroups(Predictions.Classes c, Metric metric) {
        int[] groups = c.groups();
        if (groups == null) {
            throw new IllegalArgumentException("metric '" + metric.id()
                    + "' needs a group id per row (Predictions.grouped or Predictions.scored)");
        }
        return groups;
    }

    private static double[] toDouble(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "MetricSuite" + metricIds() + " primary=" + primary.id();
    }
}
