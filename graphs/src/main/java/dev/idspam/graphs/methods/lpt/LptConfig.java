package dev.idspam.graphs.methods.lpt;

/**
 * Late Prompt Tuning (Liu et al. 2022) with its neural prompt generator (NPG):
 * Linear(n→r) + ReLU + Linear(r→t·n) applied to the hidden state of the first token at layer m.
 */
public record LptConfig(int promptTokens, int layer, int rank, double promptDropout, double initStd) {
    public LptConfig {
        if (promptTokens < 1 || layer < 0 || rank < 1) {
            throw new IllegalArgumentException("LPT needs promptTokens >= 1, layer >= 0, rank >= 1; got t=" + promptTokens
                    + " m=" + layer + " r=" + rank);
        }
        if (promptDropout < 0 || promptDropout >= 1 || initStd <= 0) {
            throw new IllegalArgumentException("LPT promptDropout must be in [0,1) and initStd > 0");
        }
    }

    public static LptConfig defaults(int layer) {
        return new LptConfig(10, layer, 256, 0.1, 0.02);
    }
}
