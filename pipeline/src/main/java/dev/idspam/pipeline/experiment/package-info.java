/**
 * Experiments: a JSON spec of methods, tasks, seeds and transfers
 * ({@link dev.idspam.pipeline.experiment.ExperimentSpec}) run cell by cell into the results store
 * ({@link dev.idspam.pipeline.experiment.ExperimentRunner}), then the reports regenerated.
 */
package dev.idspam.pipeline.experiment;
