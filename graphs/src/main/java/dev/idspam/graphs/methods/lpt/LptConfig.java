package dev.idspam.graphs.methods.lpt;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodSettings;

/**
 * Late Prompt Tuning (Liu et al. 2022) with its neural prompt generator (NPG):
 * Linear(n→r) + ReLU + Linear(r→t·n) applied to the hidden state of the first token at layer m.
 */
public record LptConfig(int promptTokens, int layer, int rank, double promptDropout, double initStd) {
    /** r, the generator's width. */
    public static final MethodOption RANK = MethodOption.whole("lpt-rank", "LPT rank", 256, 1, MethodSettings.MAX_WIDTH,
            "width r of LPT's prompt generator");
    /** The spread of the generator's initial weights (not a command-line setting). */
    public static final double INIT_STD = 0.02;

    public LptConfig {
        MethodSettings.checkPromptTokens(promptTokens);
        MethodSettings.checkLayer(layer);
        RANK.check(rank);
        MethodSettings.checkPromptDropout(promptDropout);
        MethodSettings.checkInternalPositive(initStd, "the generator's initial weight spread");
    }

    /** Checks the layer against a backbone with {@code layers} layers. */
    public void validateFor(int layers) {
        MethodSettings.checkLayerFor(layer, layers);
    }

    public static LptConfig defaults(int layer) {
        return new LptConfig((int) MethodSettings.PROMPT_TOKENS.defaultValue(), layer, (int) RANK.defaultValue(),
                MethodSettings.PROMPT_DROPOUT.defaultValue(), INIT_STD);
    }
}
