/**
 * One run, step by step: {@link dev.idspam.pipeline.run.Generate} (training artifacts),
 * {@link dev.idspam.pipeline.run.TrainJob}, {@link dev.idspam.pipeline.run.Evaluate},
 * {@link dev.idspam.pipeline.run.Export} (an inference bundle) and
 * {@link dev.idspam.pipeline.run.BundleCheck} (the bundle against evaluation).
 */
package dev.idspam.pipeline.run;
