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

    /** The most rows a batch may hold; far above what fits in memory for any backbone, and small enough that row counts never overflow. */
    public static final int MAX_BATCH_SIZE = 65536;

    public BatchingOptions {
        checkBatchSize(batchSize);
        if (bucketBatches < 1) {
            throw new IllegalArgumentException("bucketBatches must be >= 1, got " + bucketBatches);
        }
    }

    /** The one range check of a batch size; the message names the option users give it with. */
    public static void checkBatchSize(int batchSize) {
        if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
            throw new IllegalArgumentException("batch size (--batch-size) must be in [1, " + MAX_BATCH_SIZE + "], got " + batchSize);
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
