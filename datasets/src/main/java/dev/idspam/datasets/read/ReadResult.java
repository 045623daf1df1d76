package dev.idspam.datasets.read;

import java.util.List;
import java.util.Objects;

/**
 * What a reader produced from one file or folder.
 *
 * @param source      the file as shown in messages, e.g. {@code RTE/train.tsv}
 * @param examples    the examples, in file order
 * @param skippedRows rows rejected under {@link ReadOptions#skipBadRows()}; always 0 in strict mode
 * @param skipReasons the messages of the first skipped rows (at most
 *                    {@link ReadOptions#maxReportedReasons()})
 * @param blankLines  lines that were empty or whitespace only; they hold no data and are not rows
 */
public record ReadResult(String source, List<Example> examples, int skippedRows,
                         List<String> skipReasons, int blankLines) {

    public ReadResult {
        Objects.requireNonNull(source, "source");
        examples = List.copyOf(examples);
        skipReasons = List.copyOf(skipReasons);
        if (skippedRows < 0 || blankLines < 0) {
            throw new IllegalArgumentException("counts must be >= 0");
        }
        if (skipReasons.size() > skippedRows) {
            throw new IllegalArgumentException("more skip reasons (" + skipReasons.size()
                    + ") than skipped rows (" + skippedRows + ")");
        }
    }

    public int size() {
        return examples.size();
    }

    /**
     * How many examples carry each class index; {@code counts[i]} for label i. Regression examples
     * are not counted.
     */
    public int[] labelCounts(int numLabels) {
        int[] counts = new int[numLabels];
        for (Example e : examples) {
            if (!e.isRegression()) {
                if (e.label() >= numLabels) {
                    throw new IllegalArgumentException("example " + e.id() + " has label " + e.label()
                            + " but only " + numLabels + " labels were asked for");
                }
                counts[e.label()]++;
            }
        }
        return counts;
    }

    /** One line for logs: {@code RTE/train.tsv: 2490 examples, 0 bad rows skipped}. */
    public String summary() {
        StringBuilder sb = new StringBuilder(source).append(": ").append(examples.size())
                .append(" examples, ").append(skippedRows).append(" bad rows skipped");
        for (String reason : skipReasons) {
            sb.append("\n  ").append(reason);
        }
        if (skippedRows > skipReasons.size()) {
            sb.append("\n  ... and ").append(skippedRows - skipReasons.size()).append(" more");
        }
        return sb.toString();
    }
}
