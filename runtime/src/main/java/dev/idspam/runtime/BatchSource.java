package dev.idspam.runtime;

import java.util.Iterator;
import java.util.List;

/**
 * Batches for training or evaluation, independent of how they are made (the datasets module
 * adapts its tokenised tasks to this). Determinism contract: {@code batches(e)} yields the same
 * batches in the same order every time it is called with the same epoch {@code e}, and exactly
 * {@link #batchesPerEpoch()} of them; resuming relies on it, and the learning-rate schedule is
 * computed from the count.
 */
public interface BatchSource {
    int batchesPerEpoch();

    /** The batches of epoch {@code epoch} (0-based); shuffling, if any, is seeded by the epoch. */
    Iterator<Batch> batches(int epoch);

    /** The elements of {@code it}, each turned into a batch by {@code f} as it is reached. */
    static <T> Iterator<Batch> mapping(Iterator<T> it, java.util.function.Function<T, Batch> f) {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public Batch next() {
                return f.apply(it.next());
            }
        };
    }

    /** A fixed list of batches, the same order every epoch. */
    static BatchSource of(List<Batch> batches) {
        List<Batch> copy = List.copyOf(batches);
        return new BatchSource() {
            @Override
            public int batchesPerEpoch() {
                return copy.size();
            }

            @Override
            public Iterator<Batch> batches(int epoch) {
                return copy.iterator();
            }
        };
    }
}
