package dev.idspam.datasets.batch;

import dev.idspam.datasets.tokenize.Encoding;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Cuts an {@link EncodedDataset} into padded {@link TokenBatch}es, one epoch at a time.
 *
 * <p>Evaluation ({@code shuffle == false}): rows in dataset order, every epoch the same.
 *
 * <p>Training: for epoch {@code e}, a {@link SplittableRandom} seeded from {@code (seed, e)}
 * shuffles all rows; the shuffled rows are cut into buckets of {@code bucketBatches * batchSize};
 * each bucket is sorted by token count (stable, so equal lengths keep their shuffled order) and cut
 * into batches; finally the order of all batches is shuffled with the same generator. Rows of
 * similar length thus share a batch, which cuts padding, while the epoch order stays random. The
 * plan depends only on the seed, the epoch and the row lengths.
 *
 * <p>Each batch is padded to its own longest row (dynamic padding); no row is longer than the
 * dataset's {@code maxLength}.
 */
public final class Batcher {
    private final EncodedDataset data;
    private final BatchingOptions options;

    public Batcher(EncodedDataset data, BatchingOptions options) {
        this.data = Objects.requireNonNull(data, "data");
        this.options = Objects.requireNonNull(options, "options");
    }

    public EncodedDataset data() {
        return data;
    }

    public BatchingOptions options() {
        return options;
    }

    /** Batches per epoch: {@code ceil(rows / batchSize)}. */
    public int batchCount() {
        return (data.size() + options.batchSize() - 1) / options.batchSize();
    }

    /** The rows of each batch of {@code epoch}, in the order the batches are served. */
    public List<int[]> plan(int epoch) {
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
        }
        int n = data.size();
        int batchSize = options.batchSize();
        List<int[]> batches = new ArrayList<>(batchCount());
        if (!options.shuffle()) {
            for (int start = 0; start < n; start += batchSize) {
                int[] rows = new int[Math.min(batchSize, n - start)];
                Arrays.setAll(rows, i -> i);
                for (int i = 0; i < rows.length; i++) {
                    rows[i] += start;
                }
                batches.add(rows);
            }
            return batches;
        }
        SplittableRandom random = new SplittableRandom(options.seed() * 0x9E3779B97F4A7C15L + epoch);
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        shuffle(order, random);
        int bucket = Math.multiplyExact(options.bucketBatches(), batchSize);
        Comparator<Integer> byLength = Comparator.comparingInt(data::length);
        for (int from = 0; from < n; from += bucket) {
            int to = Math.min(n, from + bucket);
            Arrays.sort(order, from, to, byLength);
            for (int start = from; start < to; start += batchSize) {
                int end = Math.min(to, start + batchSize);
                int[] rows = new int[end - start];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = order[start + i];
                }
                batches.add(rows);
            }
        }
        int[][] shuffled = batches.toArray(new int[0][]);
        shuffle(shuffled, random);
        return List.of(shuffled);
    }

    private static <T> void shuffle(T[] items, SplittableRandom random) {
        for (int i = items.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            T t = items[i];
            items[i] = items[j];
            items[j] = t;
        }
    }

    /** Pads the given rows into one batch. */
    public TokenBatch assemble(int[] rows) {
        if (rows.length == 0) {
            throw new IllegalArgumentException("a batch needs at least one row");
        }
        int seqLen = 1;
        for (int r : rows) {
            seqLen = Math.max(seqLen, data.length(r));
        }
        int cells = Math.multiplyExact(rows.length, seqLen);
        long[] ids = new long[cells];
        long[] mask = new long[cells];
        long[] types = new long[cells];
        Arrays.fill(ids, data.padId());
        long[] labels = data.regression() ? null : new long[rows.length];
        float[] targets = data.regression() ? new float[rows.length] : null;
        int[] index = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            int r = rows[i];
            Encoding e = data.encoding(r);
            e.copyInto(ids, types, mask, i * seqLen);
            if (labels != null) {
                labels[i] = data.label(r);
            } else {
                targets[i] = data.target(r);
            }
            index[i] = data.exampleIndex(r);
        }
        return new TokenBatch(ids, mask, types, rows.length, seqLen, labels, targets, index);
    }

    /** The batches of {@code epoch}, assembled lazily as they are iterated. */
    public Iterable<TokenBatch> batches(int epoch) {
        List<int[]> plan = plan(epoch);
        return () -> new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < plan.size();
            }

            @Override
            public TokenBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("epoch " + epoch + " has " + plan.size() + " batches");
                }
                return assemble(plan.get(next++));
            }
        };
    }
}
