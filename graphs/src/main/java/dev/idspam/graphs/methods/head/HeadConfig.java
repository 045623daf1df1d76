package dev.idspam.graphs.methods.head;

/**
 * The task head: dense(n→n) + tanh + dropout + dense(n→C) on one token's hidden state
 * (the shape of the usual sequence-classification head). {@code numOutputs} = 1 with
 * {@code regression} gives a scalar regression head trained with mean squared error.
 */
public record HeadConfig(int numOutputs, boolean regression, double dropout, double initStd) {
    public HeadConfig {
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
