package dev.idspam.graphs.methods.idspam;

import dev.idspam.graphs.methods.MethodOption;
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

    /** c; 0 picks the default for the backbone ({@link #bottleneckFor}). */
    public static final MethodOption BOTTLENECK = MethodOption.whole("bottleneck", "bottleneck", 0, 0,
            MethodSettings.MAX_WIDTH, "generator bottleneck width c; 0 = 192 when n >= 384, else n/2");
    /** Attention heads of the generator's self-attention; must divide n. */
    public static final MethodOption GENERATOR_HEADS = MethodOption.wholeAtLeast("generator-heads", "generator heads", 1, 1,
            "attention heads of the prompt generator (must divide the hidden size)");
    /**
     * The spread of the generator's initial weights, N(0, σ²). The paper does not state it; 0.02 is
     * the usual transformer initialisation, and the default. A trained prompt starts near zero with it
     * (its vectors' norm is a small fraction of the hidden states', see {@code idspam diagnose}), which
     * is one of the settings that decide how fast the prompt comes to matter.
     */
    public static final MethodOption GENERATOR_INIT_STD = MethodOption.positive("generator-init-std",
            "generator initial spread", 0.02, "standard deviation of the prompt generator's initial weights");
    /** {@link #GENERATOR_INIT_STD}'s default, for code that builds a config without a spec. */
    public static final double INIT_STD = GENERATOR_INIT_STD.defaultValue();

    public IdSpamConfig {
        MethodSettings.checkPromptTokens(promptTokens);
        MethodSettings.checkLayer(layer);
        BOTTLENECK.check(bottleneck);
        GENERATOR_HEADS.check(heads);
        MethodSettings.checkPromptDropout(promptDropout);
        MethodSettings.checkInternalPositive(initStd, "the generator's initial weight spread");
        if (generatorInput == null || promptActivation == null) {
            throw new IllegalArgumentException("the generator's input and prompt activation are required");
        }
    }

    public static IdSpamConfig defaults(int layer) {
        return new IdSpamConfig((int) MethodSettings.PROMPT_TOKENS.defaultValue(), layer, (int) BOTTLENECK.defaultValue(),
                (int) GENERATOR_HEADS.defaultValue(), true, GeneratorInput.WORD_EMBEDDINGS, PromptActivation.RELU,
                MethodSettings.PROMPT_DROPOUT.defaultValue(), false, INIT_STD);
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
