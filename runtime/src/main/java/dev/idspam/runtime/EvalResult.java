package dev.idspam.runtime;

/** One pass over a dev set: example-weighted mean loss and the metric. */
public record EvalResult(double loss, String metricName, double metric, long examples) {
}
