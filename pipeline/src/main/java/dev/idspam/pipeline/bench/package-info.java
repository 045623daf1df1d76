/**
 * Training throughput: samples per second and peak memory per method on one backbone
 * ({@link dev.idspam.pipeline.bench.TrainingBenchmark}), and the batches it times, written for other
 * implementations to be timed on ({@link dev.idspam.pipeline.bench.BatchDump}).
 */
package dev.idspam.pipeline.bench;
