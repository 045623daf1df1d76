/**
 * Evaluation gates for CI: {@link dev.idspam.pipeline.ci.CiSuite} reads a suite of checks (model,
 * task, split, sample, device, minimum per metric, regression against a baseline, time budget),
 * {@link dev.idspam.pipeline.ci.CiRun} runs it through {@link dev.idspam.pipeline.run.ModelEvaluation},
 * judges every case, writes the baseline and the JSON, Markdown and JUnit XML reports, and decides
 * the exit status.
 */
package dev.idspam.pipeline.ci;
