package dev.idspam.datasets.batch;

/**
 * How a {@link Batcher} orders rows.
 *
 * @param batchSize     rows per batch (the last batch of an epoch may be smaller)
 * @param shuffle       false: rows in dataset order (evaluation); true: seeded length-bucketed
 *                      shuffling (training)
 * @param seed          seed of the shuffling; ignored when {@code shuffle} is false
 * @param bucketBatches a bucket holds {@code bucketBatches * batchSize} shuffled rows that are
 *                      sorted by length before being cut into batches; 1 keeps batches close to
 *                      random, larger values waste less padding
 */
public record BatchingOptions(int batchSize, boolean shuffle, long seed, int bucketBatches) {

    /** The bucket size used by {@link #training}: 50 batches. */
    public static final int DEFAULT_BUCKET_BATCHES = 50;

    public BatchingOptions {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be >= 1, got " + batchSize);
        }
        if (bucketBatches < 1) {
            throw new IllegalArgumentException("bucketBatches must be >= 1, got " + bucketBatches);
        }
    }

    public static BatchingOptions training(int batchSize, long seed) {
        return new BatchingOptions(batchSize, true, seed, DEFAULT_BUCKET_BATCHES);
    }

    public static BatchingOptions evaluation(int batchSize) {
        return new BatchingOptions(batchSize, false, 0L, 1);
    }

    public BatchingOptions withBucketBatches(int batches) {
        return new BatchingOptions(batchSize, shuffle, seed, batches);
    }
}
