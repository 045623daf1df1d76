package dev.idspam.graphs.methods.head;

/**
 * The task head: dense(n→n) + tanh + dropout + dense(n→C) on one token's hidden state, or on the
 * mean of the input tokens' ({@link Pooling}) (the shape of the usual sequence-classification head). {@code numOutputs} = 1 with
 * {@code regression} gives a scalar regression head trained with mean squared error.
 */
public record HeadConfig(int numOutputs, boolean regression, double dropout, double initStd, Pooling pooling) {
    /**
     * Which hidden state the head reads. {@link #FIRST} (the default, as in the paper's RoBERTa
     * head): the first real token, after the prompt. {@link #MEAN}: the mean over the real input
     * tokens (prompt positions and padding excluded), the pooling sentence-embedding backbones such
     * as all-MiniLM-L6-v2 and bge are trained with; their first token is not trained to summarise
     * the sentence, so a head on it has to learn that first. {@link #LAST}: the last real token,
     * found from the mask (the default on decoder backbones such as GPT-2: under causal attention
     * it is the one token that has seen the whole input; {@link #FIRST} is refused there, since the
     * first token sees only itself and the prompt).
     */
    public enum Pooling {
        FIRST, MEAN, LAST;

        /** What a head reads when nothing is asked: {@link #LAST} on a decoder, {@link #FIRST} on an encoder. */
        public static Pooling defaultFor(dev.idspam.graphs.backbone.BackboneConfig.Family family) {
            return family.isDecoder() ? LAST : FIRST;
        }

        /** The command-line value, {@code first} or {@code mean}. */
        public String option() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static Pooling parse(String value) {
            for (Pooling p : values()) {
                if (p.option().equals(value)) {
                    return p;
                }
            }
            throw new IllegalArgumentException("--head-pooling must be first, mean or last, got '" + value + "'");
        }
    }

    public HeadConfig(int numOutputs, boolean regression, double dropout, double initStd) {
        this(numOutputs, regression, dropout, initStd, Pooling.FIRST);
    }

    /** This head reading {@code p} instead. */
    public HeadConfig withPooling(Pooling p) {
        return new HeadConfig(numOutputs, regression, dropout, initStd, p);
    }

    public HeadConfig {
        if (pooling == null) {
            throw new IllegalArgumentException("head pooling is required");
        }
        if (numOutputs < 1) {
            throw new IllegalArgumentException("head needs at least one output, got " + numOutputs);
        }
        if (regression && numOutputs != 1) {
            throw new IllegalArgumentException("a regression head has exactly one output, got " + numOutputs);
        }
        if (dropout < 0 || dropout >= 1) {
            throw new IllegalArgumentException("head dropout must be in [0, 1), got " + dropout);
        }
        if (initStd <= 0) {
            throw new IllegalArgumentException("head initStd must be > 0, got " + initStd);
        }
    }

    public static HeadConfig classification(int numLabels) {
        return new HeadConfig(numLabels, false, 0.1, 0.02);
    }

    public static HeadConfig regressionHead() {
        return new HeadConfig(1, true, 0.1, 0.02);
    }
}
