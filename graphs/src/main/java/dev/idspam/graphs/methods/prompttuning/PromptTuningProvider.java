package dev.idspam.graphs.methods.prompttuning;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** Prompt Tuning for the method registry. */
public final class PromptTuningProvider implements MethodProvider<PromptTuningConfig> {
    @Override
    public String id() {
        return "prompt-tuning";
    }

    @Override
    public String description() {
        return "Prompt Tuning: t free prompt vectors prepended after the embeddings";
    }

    @Override
    public String displayName() {
        return "Prompt Tuning";
    }

    @Override
    public int tableRow() {
        return 30;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(MethodSettings.PROMPT_TOKENS);
    }

    @Override
    public PromptTuningConfig config(MethodSpec s) {
        return new PromptTuningConfig(s.integer("prompt-tokens"), PromptTuningConfig.defaults().promptDropout());
    }

    @Override
    public Method create(PromptTuningConfig config) {
        return new PromptTuningMethod(config);
    }

    /** t prompt vectors of width n: t·n. */
    @Override
    public long trainableParameters(PromptTuningConfig cfg, ModelSizes sizes) {
        return (long) cfg.promptTokens() * sizes.hidden();
    }
}
