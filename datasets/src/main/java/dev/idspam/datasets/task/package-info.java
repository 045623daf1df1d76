/**
 * The task registry: one {@link dev.idspam.datasets.task.Task} constant per benchmark task, with
 * its official file names per {@link dev.idspam.datasets.task.Split}, the columns that hold text
 * and label, the label order (label index = position) and whether it is a regression. The metrics
 * reported for each task live with the metric code, in the eval module's {@code TaskCatalog}.
 *
 * <p>MNLI is one task with two dev splits: {@code DEV} reads {@code dev_matched.tsv},
 * {@code DEV_MISMATCHED} reads {@code dev_mismatched.tsv}.
 */
package dev.idspam.datasets.task;
