package dev.idspam.graphs.methods.idspam;

import dev.idspam.graphs.methods.MethodSettings;

/**
 * Configuration of the ID-SPAM prompt generator (see docs/METHOD.md).
 *
 * @param promptTokens      t, number of soft-prompt tokens (paper: 10)
 * @param layer             m, the layer whose input receives the prompt (0 = after the embeddings)
 * @param bottleneck        c, width of the down-projection; 0 picks the default (192 when n ≥ 384, else n/2)
 * @param heads             attention heads of the generator's self-attention (default 1)
 * @param qkvBias           whether Q, K, V projections have biases
 * @param generatorInput    which embeddings feed the generator
 * @param promptActivation  σ applied to the up-projection
 * @param promptDropout     dropout on the prompt during training only
 * @param meanPoolOnly      the ablation that removes the self-attention (A = masked mean of E)
 * @param initStd           standard deviation of the generator's initial weights
 */
public record IdSpamConfig(int promptTokens, int layer, int bottleneck, int heads, boolean qkvBias,
                           GeneratorInput generatorInput, PromptActivation promptActivation, double promptDropout,
                           boolean meanPoolOnly, double initStd) {

    /** The embeddings the generator reads. */
    public enum GeneratorInput { WORD_EMBEDDINGS, EMBEDDING_OUTPUT }

    /** The activation σ of equation (2). */
    public enum PromptActivation { RELU, IDENTITY }

    public IdSpamConfig {
        MethodSettings.checkPromptTokens(promptTokens);
        MethodSettings.checkLayer(layer);
        MethodSettings.checkRange(bottleneck, 0, MethodSettings.MAX_WIDTH, "bottleneck", "bottleneck");
        if (heads < 1) {
            throw new IllegalArgumentException("generator heads (--generator-heads) must be >= 1, got " + heads);
        }
        MethodSettings.checkPromptDropout(promptDropout);
        MethodSettings.checkInternalPositive(initStd, "the generator's initial weight spread");
        if (generatorInput == null || promptActivation == null) {
            throw new IllegalArgumentException("the generator's input and prompt activation are required");
        }
    }

    public static IdSpamConfig defaults(int layer) {
        return new IdSpamConfig(10, layer, 0, 1, true, GeneratorInput.WORD_EMBEDDINGS, PromptActivation.RELU, 0.1, false,
                0.02);
    }

    /** c for a backbone of hidden size n. */
    public int bottleneckFor(int hidden) {
        if (bottleneck > 0) {
            return bottleneck;
        }
        return hidden >= 384 ? 192 : Math.max(1, hidden / 2);
    }

    /** Checks the settings against a backbone with the given layer count and hidden size. */
    public void validateFor(int layers, int hidden) {
        MethodSettings.checkLayerFor(layer, layers);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("generator heads (--generator-heads) must divide the hidden size " + hidden
                    + ", got " + heads);
        }
    }

    public IdSpamConfig withLayer(int m) {
        return new IdSpamConfig(promptTokens, m, bottleneck, heads, qkvBias, generatorInput, promptActivation, promptDropout,
                meanPoolOnly, initStd);
    }

    public IdSpamConfig withMeanPoolOnly(boolean on) {
        return new IdSpamConfig(promptTokens, layer, bottleneck, heads, qkvBias, generatorInput, promptActivation, promptDropout,
                on, initStd);
    }

    public IdSpamConfig withPromptTokens(int t) {
        return new IdSpamConfig(t, layer, bottleneck, heads, qkvBias, generatorInput, promptActivation, promptDropout,
                meanPoolOnly, initStd);
    }

    public IdSpamConfig withPromptDropout(double p) {
        return new IdSpamConfig(promptTokens, layer, bottleneck, heads, qkvBias, generatorInput, promptActivation, p,
                meanPoolOnly, initStd);
    }
}
