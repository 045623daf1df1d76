/**
 * Evaluation for ID-SPAM experiments: metrics computed from model predictions
 * ({@link dev.idspam.eval.metrics}), statistics over seeds ({@link dev.idspam.eval.stats}), the
 * append-only results store that the experiment runner writes ({@link dev.idspam.eval.store}),
 * and the reports regenerated from that store ({@link dev.idspam.eval.report}).
 *
 * <p>Allowed dependencies: no other project module (Gson and Commons Math only). Predictions arrive
 * as plain arrays, runs are described by strings (method, task and backbone ids), and report files
 * are written through the caller's {@link dev.idspam.eval.report.ReportGenerator.FileWriter} (the
 * application passes its atomic writer). Training, export and experiments live in the
 * {@code pipeline} module, which uses this one.
 */
package dev.idspam.eval;
