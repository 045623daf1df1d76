package dev.idspam.graphs.methods.prompttuning;

/**
 * Prompt Tuning (Lester et al. 2021): t free prompt vectors prepended to the embedding output
 * (m = 0), initialised from the embeddings of random vocabulary tokens.
 */
public record PromptTuningConfig(int promptTokens, double promptDropout) {
    public PromptTuningConfig {
        if (promptTokens < 1) {
            throw new IllegalArgumentException("promptTokens must be >= 1, got " + promptTokens);
        }
        if (promptDropout < 0 || promptDropout >= 1) {
            throw new IllegalArgumentException("promptDropout must be in [0, 1), got " + promptDropout);
        }
    }

    public static PromptTuningConfig defaults() {
        return new PromptTuningConfig(10, 0.0);
    }
}
