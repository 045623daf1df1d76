/**
 * Statistics over seeds with Commons Math: {@link dev.idspam.eval.stats.Summary} (mean, sample sd,
 * 95% Student-t interval, "84.8 ± 1.2" text) and {@link dev.idspam.eval.stats.PairedTests}
 * (paired t-test and, from five seeds on, Wilcoxon signed-rank over matching seeds).
 */
package dev.idspam.eval.stats;
