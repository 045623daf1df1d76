package dev.idspam.datasets.read;

/**
 * How readers treat rows that do not match the format.
 *
 * @param skipBadRows        false (the default): the first bad row throws
 *                           {@link DatasetFormatException}; true: bad rows are skipped and counted
 *                           in {@link ReadResult#skippedRows()}
 * @param maxReportedReasons how many skip reasons {@link ReadResult#skipReasons()} keeps
 */
public record ReadOptions(boolean skipBadRows, int maxReportedReasons) {

    private static final int DEFAULT_REASONS = 5;

    public ReadOptions {
        if (maxReportedReasons < 0) {
            throw new IllegalArgumentException("maxReportedReasons must be >= 0, got " + maxReportedReasons);
        }
    }

    /** Fail on the first bad row. */
    public static ReadOptions strict() {
        return new ReadOptions(false, DEFAULT_REASONS);
    }

    /** {@code skipBadRows(true)} skips and counts bad rows; {@code skipBadRows(false)} is {@link #strict()}. */
    public static ReadOptions skipBadRows(boolean skip) {
        return new ReadOptions(skip, DEFAULT_REASONS);
    }

    public ReadOptions withMaxReportedReasons(int max) {
        return new ReadOptions(skipBadRows, max);
    }
}
