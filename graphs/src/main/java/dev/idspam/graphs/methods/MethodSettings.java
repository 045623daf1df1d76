package dev.idspam.graphs.methods;

import java.util.Locale;

/**
 * The settings that several methods share (injection layer, prompt length, prompt dropout) as
 * {@link MethodOption}s, each with its default and range written once, and the range checks every
 * method config uses. Messages name a setting as users give it:
 * {@code prompt tokens (--prompt-tokens) must be in [1, 1024], got 0}.
 */
public final class MethodSettings {
    /** The most soft-prompt tokens t a prompt method takes; the paper uses 10. */
    public static final int MAX_PROMPT_TOKENS = 1024;
    /** The largest width (bottleneck c, LPT rank r, LoRA rank r) a method takes. */
    public static final int MAX_WIDTH = 65536;

    /** Injection layer m; the upper bound depends on the backbone ({@link #checkLayerFor}). */
    public static final MethodOption LAYER = MethodOption.wholeAtLeast("layer", "layer", 3, 0,
            "injection layer m: 0 = after the embeddings, L-1 = before the last layer");
    /** Soft-prompt length t. */
    public static final MethodOption PROMPT_TOKENS = MethodOption.whole("prompt-tokens", "prompt tokens", 10, 1,
            MAX_PROMPT_TOKENS, "soft-prompt tokens t prepended to the input");
    /** Dropout on generated prompts, in training only. */
    public static final MethodOption PROMPT_DROPOUT = MethodOption.fraction("prompt-dropout", "prompt dropout", 0.1,
            "dropout on the generated prompt while training");

    private MethodSettings() {
    }

    /** t in {@link #PROMPT_TOKENS}' range. */
    public static void checkPromptTokens(int t) {
        PROMPT_TOKENS.check(t);
    }

    /** m in {@link #LAYER}'s range; the upper bound depends on the backbone ({@link #checkLayerFor}). */
    public static void checkLayer(int m) {
        LAYER.check(m);
    }

    /** m within the layers of a backbone: 0 injects after the embeddings, L - 1 before the last layer. */
    public static void checkLayerFor(int m, int layers) {
        if (m > layers - 1) {
            throw new IllegalArgumentException("layer (--layer) must be in [0, " + (layers - 1) + "] for a " + layers
                    + "-layer backbone, got " + m);
        }
    }

    /** p in {@link #PROMPT_DROPOUT}'s range. */
    public static void checkPromptDropout(double p) {
        PROMPT_DROPOUT.check(p);
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
