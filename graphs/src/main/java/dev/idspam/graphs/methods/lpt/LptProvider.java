package dev.idspam.graphs.methods.lpt;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodClaim;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;
import dev.idspam.graphs.methods.prompttuning.PromptTuningProvider;

import java.util.List;

/** Late Prompt Tuning for the method registry. */
public final class LptProvider implements MethodProvider<LptConfig> {
    @Override
    public String id() {
        return "lpt";
    }

    @Override
    public String description() {
        return "Late Prompt Tuning: a prompt generated from one hidden state, injected at one layer";
    }

    @Override
    public String displayName() {
        return "LPT";
    }

    /** The LPT paper's comparison, which the ID-SPAM paper's tables repeat: above Prompt Tuning. */
    @Override
    public List<MethodClaim> paperClaims() {
        return List.of(MethodClaim.above(PromptTuningProvider.class));
    }

    @Override
    public int tableRow() {
        return 60;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(MethodSettings.LAYER, MethodSettings.PROMPT_TOKENS, MethodSettings.PROMPT_DROPOUT, LptConfig.RANK);
    }

    @Override
    public LptConfig config(MethodSpec s) {
        return new LptConfig(s.integer("prompt-tokens"), s.integer("layer"), s.integer("lpt-rank"), s.number("prompt-dropout"),
                LptConfig.INIT_STD);
    }

    @Override
    public Method create(LptConfig config) {
        return new LptMethod(config);
    }

    /** Linear(n→r) + Linear(r→t·n), both with bias: n·r + r + r·t·n + t·n. */
    @Override
    public long trainableParameters(LptConfig cfg, ModelSizes sizes) {
        long n = sizes.hidden();
        long r = cfg.rank();
        long tn = (long) cfg.promptTokens() * n;
        return n * r + r + r * tn + tn;
    }
}
