package dev.idspam.eval.report;

import java.util.Objects;

/**
 * A pairwise claim to check against the runs: method {@code better} scores above method {@code worse}
 * ({@link Kind#ABOVE}) or not below it ({@link Kind#AT_LEAST}), task by task, on the primary metric.
 * Reports know no method by name; the application layer lists the claims (the paper's, for ID-SPAM).
 */
public record Claim(String better, String worse, Kind kind) {

    /** How {@code better} must compare with {@code worse}. */
    public enum Kind {
        /** A strictly higher score; supported when the mean paired difference is positive. */
        ABOVE(">"),
        /** A score that is not lower; supported unless the mean paired difference is negative. */
        AT_LEAST("≥");

        private final String symbol;

        Kind(String symbol) {
            this.symbol = symbol;
        }

        public String symbol() {
            return symbol;
        }
    }

    public Claim {
        Objects.requireNonNull(better, "better");
        Objects.requireNonNull(worse, "worse");
        Objects.requireNonNull(kind, "kind");
        if (better.equals(worse)) {
            throw new IllegalArgumentException("a claim compares two methods, got '" + better + "' twice");
        }
    }
}
