/**
 * Evaluation for ID-SPAM experiments: metrics computed from model predictions
 * ({@link dev.idspam.eval.metrics}), statistics over seeds ({@link dev.idspam.eval.stats}), the
 * append-only results store that the experiment runner writes ({@link dev.idspam.eval.store}),
 * and the reports regenerated from that store ({@link dev.idspam.eval.report}).
 *
 * <p>This module depends on no other project module: predictions arrive as plain arrays and runs
 * are described by strings (method, task and backbone ids).
 */
package dev.idspam.eval;
