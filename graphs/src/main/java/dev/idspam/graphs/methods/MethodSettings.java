package dev.idspam.graphs.methods;

import java.util.Locale;

/**
 * The ranges of the settings that several methods share (prompt length, injection layer, prompt
 * dropout), written once, and the range checks every method config uses. Messages name a setting
 * as users give it: {@code prompt tokens (--prompt-tokens) must be in [1, 1024], got 0}.
 */
public final class MethodSettings {
    /** The most soft-prompt tokens t a prompt method takes; the paper uses 10. */
    public static final int MAX_PROMPT_TOKENS = 1024;
    /** The largest width (bottleneck c, LPT rank r, LoRA rank r) a method takes. */
    public static final int MAX_WIDTH = 65536;

    private MethodSettings() {
    }

    /** t in [1, {@link #MAX_PROMPT_TOKENS}]. */
    public static void checkPromptTokens(int t) {
        checkRange(t, 1, MAX_PROMPT_TOKENS, "prompt tokens", "prompt-tokens");
    }

    /** m >= 0; the upper bound depends on the backbone ({@link #checkLayerFor}). */
    public static void checkLayer(int m) {
        if (m < 0) {
            throw new IllegalArgumentException("layer (--layer) must be >= 0, got " + m);
        }
    }

    /** m within the layers of a backbone: 0 injects after the embeddings, L - 1 before the last layer. */
    public static void checkLayerFor(int m, int layers) {
        if (m > layers - 1) {
            throw new IllegalArgumentException("layer (--layer) must be in [0, " + (layers - 1) + "] for a " + layers
                    + "-layer backbone, got " + m);
        }
    }

    /** p in [0, 1). */
    public static void checkPromptDropout(double p) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("prompt dropout (--prompt-dropout) must be in [0, 1), got " + format(p));
        }
    }

    /** A whole-number setting in [min, max]; {@code option} is its command-line name without dashes. */
    public static void checkRange(long value, long min, long max, String what, String option) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(what + " (--" + option + ") must be in [" + min + ", " + max + "], got " + value);
        }
    }

    /** A setting that must be a finite number above zero. */
    public static void checkPositive(double value, String what, String option) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " (--" + option + ") must be a finite number > 0, got " + format(value));
        }
    }

    /** A setting that is not given on the command line: a finite number above zero. */
    public static void checkInternalPositive(double value, String what) {
        if (!(value > 0 && Double.isFinite(value))) {
            throw new IllegalArgumentException(what + " must be a finite number > 0, got " + format(value));
        }
    }

    private static String format(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }
}
