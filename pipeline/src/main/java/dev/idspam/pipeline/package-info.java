/**
 * The application layer: everything that runs an experiment end to end.
 * <ul>
 *   <li>{@link dev.idspam.pipeline.run}: one run's steps: generate the training artifacts, train,
 *       evaluate, export a bundle and check it against evaluation; their settings and reports.</li>
 *   <li>{@link dev.idspam.pipeline.experiment}: experiment specs and the runner that fills the
 *       results store cell by cell.</li>
 *   <li>{@link dev.idspam.pipeline.bench}: training throughput benchmarks.</li>
 * </ul>
 *
 * <p>Allowed dependencies: graphs, datasets, runtime, eval and serving (bundles are written here
 * and read by serving, which owns their format). Only the tools module uses this one.
 */
package dev.idspam.pipeline;
