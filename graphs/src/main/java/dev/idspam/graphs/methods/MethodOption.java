package dev.idspam.graphs.methods;

import java.util.Locale;

/**
 * One setting of a method as users give it: its command-line name, default, range and help text,
 * written once. The command line, experiment specs and the config records all check values through
 * {@link #check}, so a range lives here and nowhere else. Messages name the option as users give it:
 * {@code prompt tokens (--prompt-tokens) must be in [1, 1024], got 0}.
 *
 * @param name         command-line name without dashes, e.g. {@code prompt-tokens}; experiment specs
 *                     use {@link #key()} ({@code prompt_tokens})
 * @param label        what the setting is, in words, for messages
 * @param range        the kind of number and its bounds
 * @param defaultValue the value when none is given (a whole number for whole-number ranges)
 * @param min          lower bound of whole-number ranges
 * @param max          upper bound of {@link Range#WHOLE} ranges
 * @param help         one line for the help text
 */
public record MethodOption(String name, String label, Range range, double defaultValue, long min, long max, String help) {

    /** The kinds of ranges methods use. */
    public enum Range {
        /** A whole number in [min, max]. */
        WHOLE,
        /** A whole number >= min. */
        WHOLE_AT_LEAST,
        /** A number in [0, 1), e.g. a dropout rate. */
        FRACTION,
        /** A finite number > 0. */
        POSITIVE,
        /** A finite number >= 0, e.g. a noise spread where 0 turns the noise off. */
        NON_NEGATIVE
    }

    public MethodOption {
        if (!name.matches("[a-z][a-z0-9-]*")) {
            throw new IllegalArgumentException("option name '" + name + "' must be lower-case words joined by dashes");
        }
        if (help == null || help.isBlank()) {
            throw new IllegalArgumentException("option --" + name + " needs a help text");
        }
    }

    /** A whole number in [min, max]. */
    public static MethodOption whole(String name, String label, int defaultValue, long min, long max, String help) {
        return checked(new MethodOption(name, label, Range.WHOLE, defaultValue, min, max, help));
    }

    /** A whole number >= min. */
    public static MethodOption wholeAtLeast(String name, String label, int defaultValue, long min, String help) {
        return checked(new MethodOption(name, label, Range.WHOLE_AT_LEAST, defaultValue, min, Integer.MAX_VALUE, help));
    }

    /** A number in [0, 1). */
    public static MethodOption fraction(String name, String label, double defaultValue, String help) {
        return checked(new MethodOption(name, label, Range.FRACTION, defaultValue, 0, 0, help));
    }

    /** A finite number > 0. */
    public static MethodOption positive(String name, String label, double defaultValue, String help) {
        return checked(new MethodOption(name, label, Range.POSITIVE, defaultValue, 0, 0, help));
    }

    /** A finite number >= 0. */
    public static MethodOption nonNegative(String name, String label, double defaultValue, String help) {
        return checked(new MethodOption(name, label, Range.NON_NEGATIVE, defaultValue, 0, 0, help));
    }

    private static MethodOption checked(MethodOption o) {
        o.check(o.defaultValue);
        return o;
    }

    /** Whether values are whole numbers. */
    public boolean whole() {
        return range == Range.WHOLE || range == Range.WHOLE_AT_LEAST;
    }

    /** The name experiment specs use: {@code prompt_tokens} for {@code --prompt-tokens}. */
    public String key() {
        return name.replace('-', '_');
    }

    /** The default as users write it: {@code 10}, {@code 0.1}. */
    public String defaultText() {
        return whole() ? Long.toString((long) defaultValue) : format(defaultValue);
    }

    /** The range as users read it: {@code [1, 1024]}, {@code >= 0}, {@code [0, 1)}, {@code > 0}, {@code >= 0}. */
    public String rangeText() {
        return switch (range) {
            case WHOLE -> "[" + min + ", " + max + "]";
            case WHOLE_AT_LEAST -> ">= " + min;
            case FRACTION -> "[0, 1)";
            case POSITIVE -> "> 0";
            case NON_NEGATIVE -> ">= 0";
        };
    }

    /** Refuses a value outside the range (or a fraction where a whole number belongs), naming the option. */
    public void check(double value) {
        String what = label + " (--" + name + ")";
        if (whole() && value != Math.rint(value)) {
            throw new IllegalArgumentException(what + " must be a whole number, got " + format(value));
        }
        switch (range) {
            case WHOLE -> {
                if (value < min || value > max) {
                    throw new IllegalArgumentException(what + " must be in [" + min + ", " + max + "], got " + (long) value);
                }
            }
            case WHOLE_AT_LEAST -> {
                if (value < min || value > max) {
                    throw new IllegalArgumentException(what + " must be >= " + min + ", got " + (long) value);
                }
            }
            case FRACTION -> {
                if (!(value >= 0 && value < 1)) {
                    throw new IllegalArgumentException(what + " must be in [0, 1), got " + format(value));
                }
            }
            case POSITIVE -> {
                if (!(value > 0 && Double.isFinite(value))) {
                    throw new IllegalArgumentException(what + " must be a finite number > 0, got " + format(value));
                }
            }
            case NON_NEGATIVE -> {
                if (!(value >= 0 && Double.isFinite(value))) {
                    throw new IllegalArgumentException(what + " must be a finite number >= 0, got " + format(value));
                }
            }
            default -> throw new IllegalStateException(range.name());
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
