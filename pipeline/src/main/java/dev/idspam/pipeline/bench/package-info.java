/**
 * Training throughput: samples per second and peak memory per method on one backbone
 * ({@link dev.idspam.pipeline.bench.TrainingBenchmark}).
 */
package dev.idspam.pipeline.bench;
