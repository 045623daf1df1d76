package dev.idspam.graphs.methods.smop;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodSettings;

/**
 * SMoP: K soft prompts of t tokens each, a linear router with Gaussian perturbation σ in training.
 *
 * @param prompts      K, the number of prompts the router chooses from
 * @param promptTokens t, the length of each prompt
 * @param routerNoise  σ of the noise added to the router logits while training (0 = none)
 * @param routerInitStd spread of the router's initial weights
 */
public record SmopConfig(int prompts, int promptTokens, double routerNoise, double routerInitStd) {
    /** K. */
    public static final MethodOption PROMPTS = MethodOption.whole("smop-prompts", "SMoP prompts", 4, 1, 256,
            "number K of SMoP's soft prompts the router chooses from");
    /** t of each prompt. */
    public static final MethodOption PROMPT_TOKENS = MethodOption.whole("smop-prompt-tokens", "SMoP prompt tokens", 5, 1,
            MethodSettings.MAX_PROMPT_TOKENS, "length t of each SMoP prompt (tokens prepended per input)");
    /** σ of the router perturbation. */
    public static final MethodOption ROUTER_NOISE = MethodOption.nonNegative("smop-router-noise", "SMoP router noise", 1.0,
            "spread σ of the Gaussian noise on SMoP's router logits while training (0 = none)");
    /** The spread of the router's initial weights (not a command-line setting). */
    public static final double ROUTER_INIT_STD = 0.02;

    public SmopConfig {
        PROMPTS.check(prompts);
        PROMPT_TOKENS.check(promptTokens);
        ROUTER_NOISE.check(routerNoise);
        MethodSettings.checkInternalPositive(routerInitStd, "the router's initial weight spread");
    }

    public static SmopConfig defaults() {
        return new SmopConfig((int) PROMPTS.defaultValue(), (int) PROMPT_TOKENS.defaultValue(), ROUTER_NOISE.defaultValue(),
                ROUTER_INIT_STD);
    }
}
