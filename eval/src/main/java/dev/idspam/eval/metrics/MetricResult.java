package dev.idspam.eval.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Metric values in the order they were requested, and which of them is the primary metric (the
 * one used for model selection and the report tables).
 */
public record MetricResult(Map<String, Double> values, String primary) {

    public MetricResult {
        values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        if (!values.containsKey(primary)) {
            throw new IllegalArgumentException("primary metric '" + primary
                    + "' is not among the computed metrics " + values.keySet());
        }
    }

    /** The value of the primary metric. */
    public double primaryValue() {
        return values.get(primary);
    }

    /** The value of one metric; the error names the metrics that were computed. */
    public double get(String metric) {
        Double v = values.get(metric);
        if (v == null) {
            throw new IllegalArgumentException("metric '" + metric + "' was not computed; computed: "
                    + values.keySet());
        }
        return v;
    }
}
