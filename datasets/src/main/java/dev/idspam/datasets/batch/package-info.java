/**
 * From examples to padded batches.
 *
 * <p>{@link dev.idspam.datasets.batch.EncodedDataset} tokenizes a list of examples once (and can
 * take a seeded random subset with {@code sample(maxSamples, seed)}).
 * {@link dev.idspam.datasets.batch.Batcher} then plans each epoch: dataset order for evaluation,
 * or seeded length-bucketed shuffling for training (shuffle all rows, sort buckets of 50 batches
 * by length, cut, shuffle the batches), and pads each {@link dev.idspam.datasets.batch.TokenBatch} to
 * its longest row. Batches are flattened row-major, {@code [batchSize * seqLen]}, with
 * {@code exampleIndex} pointing back to the example list so that predictions can be joined with
 * ids and groups.
 *
 * <p>The same seed and epoch always give the same batches; different epochs give different orders.
 */
package dev.idspam.datasets.batch;
