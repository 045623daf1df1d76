/**
 * Report tables as values ({@link dev.idspam.eval.report.table.Table},
 * {@link dev.idspam.eval.report.table.Cell}), their Markdown and CSV forms, and atomic file
 * writes.
 */
package dev.idspam.eval.report.table;
