/**
 * Metrics the paper and its users report, computed from plain prediction arrays.
 *
 * <p>{@link dev.idspam.eval.metrics.MetricSuite} evaluates a named list of metrics at once
 * ({@code "accuracy", "f1", "f1_macro", "acc_and_f1", "mcc", "pearson", "spearman", "f1a", "em",
 * "choice_accuracy"}); {@link dev.idspam.eval.metrics.TaskCatalog} says which list each task uses.
 * Undefined values (F1 without true positives, MCC or correlation of a constant) are 0, never NaN.
 */
package dev.idspam.eval.metrics;
