package dev.idspam.datasets.tokenize;

/**
 * How many tokens of each segment to keep so that the pair fits a budget, by the "longest first"
 * rule of the HuggingFace tokenizers library (the fast tokenizers):
 * <ul>
 *   <li>if both fit, both are kept;</li>
 *   <li>else if the shorter segment fits in half the budget (rounded down), it is kept whole and
 *       the longer one gets the rest;</li>
 *   <li>else both are cut: the shorter to {@code budget / 2}, the longer to
 *       {@code budget - budget / 2}.</li>
 * </ul>
 * Tokens are always removed from the end of a segment. Sharing this class is what makes every
 * {@link TextTokenizer} truncate identically.
 */
public final class LongestFirstTruncation {

    private LongestFirstTruncation() {
    }

    /** Tokens to keep of a single segment: its head, at most {@code budget} tokens. */
    public static int keep(int length, int budget) {
        checkNonNegative(length, budget);
        return Math.min(length, budget);
    }

    /**
     * Tokens to keep of segment A and segment B.
     *
     * @return {@code {keepA, keepB}} with {@code keepA + keepB <= budget}
     */
    public static int[] keep(int lengthA, int lengthB, int budget) {
        checkNonNegative(lengthA, budget);
        checkNonNegative(lengthB, budget);
        if (lengthA + lengthB <= budget) {
            return new int[] {lengthA, lengthB};
        }
        boolean aIsShorter = lengthA <= lengthB;
        int shorter = aIsShorter ? lengthA : lengthB;
        int keepShorter;
        int keepLonger;
        if (shorter <= budget / 2) {
            keepShorter = shorter;
            keepLonger = budget - shorter;
        } else {
            keepShorter = budget / 2;
            keepLonger = budget - keepShorter;
        }
        return aIsShorter ? new int[] {keepShorter, keepLonger} : new int[] {keepLonger, keepShorter};
    }

    private static void checkNonNegative(int length, int budget) {
        if (length < 0 || budget < 0) {
            throw new IllegalArgumentException("length and budget must be >= 0, got " + length + " and " + budget);
        }
    }
}
