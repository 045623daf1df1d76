package dev.idspam.datasets.batch;

import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Examples tokenized once, with their labels or targets, so that epochs only re-order and pad.
 * Immutable.
 */
public final class EncodedDataset {
    private final List<Encoding> encodings;
    private final long[] labels;
    private final float[] targets;
    private final int[] exampleIndex;
    private final int padId;
    private final int maxLength;

    private EncodedDataset(List<Encoding> encodings, long[] labels, float[] targets, int[] exampleIndex,
                           int padId, int maxLength) {
        this.encodings = encodings;
        this.labels = labels;
        this.targets = targets;
        this.exampleIndex = exampleIndex;
        this.padId = padId;
        this.maxLength = maxLength;
    }

    /**
     * Tokenizes every example (truncating to {@code maxLength} tokens, special tokens included).
     * Row {@code i} is {@code examples.get(i)}.
     *
     * @throws IllegalArgumentException if classification and regression examples are mixed
     */
    public static EncodedDataset encode(List<Example> examples, TextTokenizer tokenizer, int maxLength) {
        Objects.requireNonNull(tokenizer, "tokenizer");
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be >= 1, got " + maxLength);
        }
        boolean regression = !examples.isEmpty() && examples.get(0).isRegression();
        List<String> textsA = new ArrayList<>(examples.size());
        List<String> textsB = new ArrayList<>(examples.size());
        boolean anyB = false;
        long[] labels = regression ? null : new long[examples.size()];
        float[] targets = regression ? new float[examples.size()] : null;
        for (int i = 0; i < examples.size(); i++) {
            Example e = examples.get(i);
            if (e.isRegression() != regression) {
                throw new IllegalArgumentException("example " + e.id() + " (position " + i + ") is "
                        + (e.isRegression() ? "a regression" : "a classification") + " example, but position 0 is not");
            }
            textsA.add(e.textA());
            textsB.add(e.textB());
            anyB |= e.textB() != null;
            if (regression) {
                targets[i] = e.target();
            } else {
                labels[i] = e.label();
            }
        }
        List<Encoding> encodings = List.copyOf(tokenizer.encodeAll(textsA, anyB ? textsB : null, maxLength));
        int[] index = new int[examples.size()];
        Arrays.setAll(index, i -> i);
        return new EncodedDataset(encodings, labels, targets, index, tokenizer.padId(), maxLength);
    }

    /**
     * A seeded random subset of at most {@code maxSamples} rows (all rows if there are fewer), kept
     * in their original order; the same seed always picks the same rows.
     */
    public EncodedDataset sample(int maxSamples, long seed) {
        if (maxSamples < 1) {
            throw new IllegalArgumentException("maxSamples must be >= 1, got " + maxSamples);
        }
        if (maxSamples >= size()) {
            return this;
        }
        int[] rows = SeededShuffle.first(size(), maxSamples, seed);
        Arrays.sort(rows);
        List<Encoding> enc = new ArrayList<>(maxSamples);
        long[] l = labels == null ? null : new long[maxSamples];
        float[] t = targets == null ? null : new float[maxSamples];
        int[] index = new int[maxSamples];
        for (int k = 0; k < maxSamples; k++) {
            int r = rows[k];
            enc.add(encodings.get(r));
            if (l != null) {
                l[k] = labels[r];
            } else {
                t[k] = targets[r];
            }
            index[k] = exampleIndex[r];
        }
        return new EncodedDataset(List.copyOf(enc), l, t, index, padId, maxLength);
    }

    public int size() {
        return encodings.size();
    }

    public Encoding encoding(int row) {
        return encodings.get(row);
    }

    /** Token count of a row, special tokens included. */
    public int length(int row) {
        return encodings.get(row).length();
    }

    public boolean regression() {
        return targets != null;
    }

    /** Class index of a row; throws for regression data. */
    public long label(int row) {
        if (labels == null) {
            throw new IllegalStateException("regression data has targets, not labels");
        }
        return labels[row];
    }

    /** Regression target of a row; throws for classification data. */
    public float target(int row) {
        if (targets == null) {
            throw new IllegalStateException("classification data has labels, not targets");
        }
        return targets[row];
    }

    /** Position of the row's example in the list given to {@link #encode}. */
    public int exampleIndex(int row) {
        return exampleIndex[row];
    }

    public int padId() {
        return padId;
    }

    public int maxLength() {
        return maxLength;
    }

    /** Rows whose encoding reached {@link #maxLength()}, i.e. were probably truncated. */
    public int rowsAtMaxLength() {
        int n = 0;
        for (Encoding e : encodings) {
            n += e.length() >= maxLength ? 1 : 0;
        }
        return n;
    }
}
