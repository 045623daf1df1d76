package dev.idspam.datasets.batch;

import java.util.Arrays;
import java.util.Objects;

/**
 * One padded batch, ready to become model inputs of shape {@code [batchSize, seqLen]}. The token
 * arrays are flattened row-major: token {@code j} of row {@code i} is at {@code i * seqLen + j}.
 * Padding positions hold the tokenizer's pad id, type id 0 and mask 0.
 *
 * <p>Exactly one of {@code labels} (classification: class indices, as int64 for the loss) and
 * {@code targets} (regression) is non-null. Arrays are copied on construction and on access.
 *
 * <p>This is data only, with no tensor library behind it: the pipeline turns a token batch into the
 * runtime's {@code Batch} (named host tensors fed to a graph, in module {@code runtime}, which this
 * module does not use) by wrapping these arrays with their shape.
 *
 * @param inputIds      token ids, {@code [batchSize * seqLen]}
 * @param attentionMask 1 for real tokens, 0 for padding, {@code [batchSize * seqLen]}
 * @param tokenTypeIds  segment ids, {@code [batchSize * seqLen]}
 * @param batchSize     rows
 * @param seqLen        columns: the longest row of this batch
 * @param labels        class index per row, or null for regression
 * @param targets       regression target per row, or null for classification
 * @param exampleIndex  per row, the position of its example in the list the dataset was encoded from
 */
public record TokenBatch(long[] inputIds, long[] attentionMask, long[] tokenTypeIds, int batchSize, int seqLen,
                    long[] labels, float[] targets, int[] exampleIndex) {

    public TokenBatch {
        if (batchSize < 1 || seqLen < 1) {
            throw new IllegalArgumentException("batchSize and seqLen must be >= 1, got " + batchSize
                    + " and " + seqLen);
        }
        int cells = Math.multiplyExact(batchSize, seqLen);
        checkLength("inputIds", Objects.requireNonNull(inputIds, "inputIds").length, cells);
        checkLength("attentionMask", Objects.requireNonNull(attentionMask, "attentionMask").length, cells);
        checkLength("tokenTypeIds", Objects.requireNonNull(tokenTypeIds, "tokenTypeIds").length, cells);
        checkLength("exampleIndex", Objects.requireNonNull(exampleIndex, "exampleIndex").length, batchSize);
        if ((labels == null) == (targets == null)) {
            throw new IllegalArgumentException("exactly one of labels and targets must be given");
        }
        if (labels != null) {
            checkLength("labels", labels.length, batchSize);
            labels = labels.clone();
        } else {
            checkLength("targets", targets.length, batchSize);
            targets = targets.clone();
        }
        inputIds = inputIds.clone();
        attentionMask = attentionMask.clone();
        tokenTypeIds = tokenTypeIds.clone();
        exampleIndex = exampleIndex.clone();
    }

    private static void checkLength(String name, int found, int expected) {
        if (found != expected) {
            throw new IllegalArgumentException(name + " has " + found + " entries, expected " + expected);
        }
    }

    public boolean regression() {
        return targets != null;
    }

    /** {@code {batchSize, seqLen}}, the shape of the token tensors. */
    public long[] shape() {
        return new long[] {batchSize, seqLen};
    }

    @Override
    public long[] inputIds() {
        return inputIds.clone();
    }

    @Override
    public long[] attentionMask() {
        return attentionMask.clone();
    }

    @Override
    public long[] tokenTypeIds() {
        return tokenTypeIds.clone();
    }

    /** A copy of the class indices, or null for a regression batch. */
    @Override
    public long[] labels() {
        return labels == null ? null : labels.clone();
    }

    /** A copy of the regression targets, or null for a classification batch. */
    @Override
    public float[] targets() {
        return targets == null ? null : targets.clone();
    }

    @Override
    public int[] exampleIndex() {
        return exampleIndex.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenBatch b && batchSize == b.batchSize && seqLen == b.seqLen
                && Arrays.equals(inputIds, b.inputIds) && Arrays.equals(attentionMask, b.attentionMask)
                && Arrays.equals(tokenTypeIds, b.tokenTypeIds) && Arrays.equals(labels, b.labels)
                && Arrays.equals(targets, b.targets) && Arrays.equals(exampleIndex, b.exampleIndex);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(batchSize, seqLen);
        h = 31 * h + Arrays.hashCode(inputIds);
        h = 31 * h + Arrays.hashCode(attentionMask);
        h = 31 * h + Arrays.hashCode(tokenTypeIds);
        h = 31 * h + Arrays.hashCode(labels);
        h = 31 * h + Arrays.hashCode(targets);
        return 31 * h + Arrays.hashCode(exampleIndex);
    }

    @Override
    public String toString() {
        return "TokenBatch[" + batchSize + " x " + seqLen + (regression() ? ", regression" : ", classification")
                + ", examples " + Arrays.toString(exampleIndex) + "]";
    }
}
