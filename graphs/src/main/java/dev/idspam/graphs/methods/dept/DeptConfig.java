package dev.idspam.graphs.methods.dept;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodSettings;

/**
 * DEPT: a prompt of t tokens and a rank-r update A·B of the token embeddings.
 *
 * @param promptTokens t
 * @param rank         r
 * @param initStd      spread of B's initial entries (A starts at 0)
 */
public record DeptConfig(int promptTokens, int rank, double initStd) {
    /** t: 0.6 × the shared prompt-length default (see the package doc), 6 for 10. */
    public static final MethodOption PROMPT_TOKENS = MethodOption.whole("dept-prompt-tokens", "DEPT prompt tokens",
            (int) Math.round(0.6 * MethodSettings.PROMPT_TOKENS.defaultValue()), 1, MethodSettings.MAX_PROMPT_TOKENS,
            "DEPT's soft-prompt length t (0.6 x the prompt-tuning default)");
    /** r. */
    public static final MethodOption RANK = MethodOption.whole("dept-rank", "DEPT rank", 8, 1, MethodSettings.MAX_WIDTH,
            "rank r of DEPT's token-embedding update A·B (A: V×r, B: r×n)");
    /** The spread of B's initial entries (not a command-line setting). */
    public static final double INIT_STD = 0.02;

    public DeptConfig {
        PROMPT_TOKENS.check(promptTokens);
        RANK.check(rank);
        MethodSettings.checkInternalPositive(initStd, "the initial spread of DEPT's B");
    }

    public static DeptConfig defaults() {
        return new DeptConfig((int) PROMPT_TOKENS.defaultValue(), (int) RANK.defaultValue(), INIT_STD);
    }
}
