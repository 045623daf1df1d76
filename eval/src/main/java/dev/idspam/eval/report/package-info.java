/**
 * Reports regenerated from the results store: {@link dev.idspam.eval.report.ReportGenerator}
 * writes the paper's tables (results per benchmark, ablation, zero- and few-shot transfer,
 * significance, timing, parameter counts) as Markdown and CSV, and layer-sweep charts as PNG.
 *
 * <p>Every table shows, per cell, the configuration with the best mean primary metric over seeds
 * (× 100), as "mean ± sd"; {@link dev.idspam.eval.report.ReportConfig} names and orders methods.
 */
package dev.idspam.eval.report;
