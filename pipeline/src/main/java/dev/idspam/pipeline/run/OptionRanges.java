package dev.idspam.pipeline.run;

import java.util.Locale;

/**
 * The ranges of the run options (epochs, gradient accumulation, threads, learning rate, warm-up),
 * written once, and the checks that the specs of the pipeline steps make with them. Upper bounds
 * are far above any real run and keep counts such as {@code epochs · steps} and
 * {@code rows + batch - 1} from overflowing. Messages name the option as users give it:
 * {@code epochs (--epochs) must be in [1, 100000], got 0}.
 */
public final class OptionRanges {
    public static final int MAX_EPOCHS = 100_000;
    public static final int MAX_ACCUMULATION = 4096;
    public static final int MAX_THREADS = 1024;
    /** The largest prefix-cache cap, in MiB (1 TiB). */
    public static final int MAX_PREFIX_CACHE_MB = 1 << 20;

    private OptionRanges() {
    }

    /** A whole-number option in [min, max]; {@code option} is its command-line name without dashes. */
    public static void check(long value, long min, long max, String what, String option) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " (--" + option + ") must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** A number option in [min, max) (finite). */
    public static void checkHalfOpen(double value, double min, double max, String what, String option) {
        if (!(value >= min && value < max)) {
            throw new IllegalArgumentException(what + " (--" + option + ") must be in [" + format(min) + ", " + format(max)
                    + "), got " + format(value));
        }
    }

    /** A finite number option above zero. */
    public static void checkPositive(double value, String what, String option) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " (--" + option + ") must be a finite number > 0, got " + format(value));
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
