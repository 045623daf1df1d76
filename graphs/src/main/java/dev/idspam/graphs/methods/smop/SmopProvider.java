package dev.idspam.graphs.methods.smop;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** SMoP (sparse mixture of prompts) for the method registry. */
public final class SmopProvider implements MethodProvider<SmopConfig> {
    @Override
    public String id() {
        return "smop";
    }

    @Override
    public String description() {
        return "SMoP: a router picks one of K short soft prompts per input, prepended after the embeddings";
    }

    @Override
    public String displayName() {
        return "SMoP";
    }

    @Override
    public int tableRow() {
        return 45;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(SmopConfig.PROMPTS, SmopConfig.PROMPT_TOKENS, SmopConfig.ROUTER_NOISE);
    }

    @Override
    public SmopConfig config(MethodSpec s) {
        return new SmopConfig(s.integer(SmopConfig.PROMPTS.name()), s.integer(SmopConfig.PROMPT_TOKENS.name()),
                s.number(SmopConfig.ROUTER_NOISE.name()), SmopConfig.ROUTER_INIT_STD);
    }

    @Override
    public Method create(SmopConfig config) {
        return new SmopMethod(config);
    }

    /** K prompts [t, n] and a router n→K with bias: K·t·n + n·K + K. */
    @Override
    public long trainableParameters(SmopConfig cfg, ModelSizes sizes) {
        long k = cfg.prompts();
        long n = sizes.hidden();
        return k * cfg.promptTokens() * n + n * k + k;
    }
}
