package dev.idspam.graphs.methods.prompttuning;

import dev.idspam.graphs.methods.MethodSettings;

/**
 * Prompt Tuning (Lester et al. 2021): t free prompt vectors prepended to the embedding output
 * (m = 0), initialised from the embeddings of random vocabulary tokens.
 */
public record PromptTuningConfig(int promptTokens, double promptDropout) {
    public PromptTuningConfig {
        MethodSettings.checkPromptTokens(promptTokens);
        MethodSettings.checkPromptDropout(promptDropout);
    }

    public static PromptTuningConfig defaults() {
        return new PromptTuningConfig((int) MethodSettings.PROMPT_TOKENS.defaultValue(), 0.0);
    }
}
