package dev.idspam.graphs.methods.lpt;

import dev.idspam.graphs.methods.MethodSettings;

/**
 * Late Prompt Tuning (Liu et al. 2022) with its neural prompt generator (NPG):
 * Linear(n→r) + ReLU + Linear(r→t·n) applied to the hidden state of the first token at layer m.
 */
public record LptConfig(int promptTokens, int layer, int rank, double promptDropout, double initStd) {
    public LptConfig {
        MethodSettings.checkPromptTokens(promptTokens);
        MethodSettings.checkLayer(layer);
        MethodSettings.checkRange(rank, 1, MethodSettings.MAX_WIDTH, "LPT rank", "lpt-rank");
        MethodSettings.checkPromptDropout(promptDropout);
        MethodSettings.checkInternalPositive(initStd, "the generator's initial weight spread");
    }

    /** Checks the layer against a backbone with {@code layers} layers. */
    public void validateFor(int layers) {
        MethodSettings.checkLayerFor(layer, layers);
    }

    public static LptConfig defaults(int layer) {
        return new LptConfig(10, layer, 256, 0.1, 0.02);
    }
}
