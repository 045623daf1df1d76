package dev.idspam.graphs.methods.dept;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** DEPT (decomposed prompt tuning) for the method registry. */
public final class DeptProvider implements MethodProvider<DeptConfig> {
    @Override
    public String id() {
        return "dept";
    }

    @Override
    public String description() {
        return "DEPT: a shorter soft prompt plus a low-rank update A·B of the token embeddings";
    }

    @Override
    public String displayName() {
        return "DEPT";
    }

    @Override
    public int tableRow() {
        return 50;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(DeptConfig.PROMPT_TOKENS, DeptConfig.RANK);
    }

    @Override
    public DeptConfig config(MethodSpec s) {
        return new DeptConfig(s.integer(DeptConfig.PROMPT_TOKENS.name()), s.integer(DeptConfig.RANK.name()), DeptConfig.INIT_STD);
    }

    @Override
    public Method create(DeptConfig config) {
        return new DeptMethod(config);
    }

    /** Prompt [t, n], A [V, r], B [r, n]: t·n + V·r + r·n. */
    @Override
    public long trainableParameters(DeptConfig cfg, ModelSizes sizes) {
        long n = sizes.hidden();
        long r = cfg.rank();
        return cfg.promptTokens() * n + sizes.vocab() * r + r * n;
    }
}
