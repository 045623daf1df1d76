/**
 * The task registry: one {@link dev.idspam.datasets.task.Task} constant per benchmark task, with
 * its official file names per {@link dev.idspam.datasets.task.Split}, the columns that hold text
 * and label, the label order (label index = position), whether it is a regression, and the metric
 * names the paper reports for it ({@link dev.idspam.datasets.task.MetricNames}).
 *
 * <p>Metric choices follow docs/METHOD.md: accuracy for SST-2, MNLI, QNLI, RTE, BoolQ, COPA and
 * WiC; the mean of accuracy and macro-F1 ({@code acc_and_f1}) for MRPC, QQP, CB and IMDB (IMDB is
 * only used as the SST-2 → IMDB zero-shot target, and METHOD.md scores all zero-shot pairs that
 * way); Matthews correlation for CoLA; Pearson (primary) and Spearman for STS-B; F1a (primary) and
 * exact match for MultiRC. The first entry of {@code metrics()} is the primary metric.
 *
 * <p>MNLI is one task with two dev splits: {@code DEV} reads {@code dev_matched.tsv},
 * {@code DEV_MISMATCHED} reads {@code dev_mismatched.tsv}.
 */
package dev.idspam.datasets.task;
