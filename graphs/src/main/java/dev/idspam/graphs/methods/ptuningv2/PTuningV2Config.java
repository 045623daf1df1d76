package dev.idspam.graphs.methods.ptuningv2;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodSettings;

/**
 * P-Tuning v2 as built here: t prompt vectors per layer, initialised N(0, σ²).
 *
 * @param promptTokens t, prompt positions (the same at every layer)
 * @param initStd      σ, the spread of the initial prompt entries
 */
public record PTuningV2Config(int promptTokens, double initStd) {
    /** σ of the initial prompts. */
    public static final MethodOption INIT_STD = MethodOption.positive("ptv2-init-std", "P-Tuning v2 initial prompt spread",
            1.0, "spread σ of P-Tuning v2's initial per-layer prompts, entries N(0, σ²)");

    public PTuningV2Config {
        MethodSettings.checkPromptTokens(promptTokens);
        INIT_STD.check(initStd);
    }

    public static PTuningV2Config defaults() {
        return new PTuningV2Config((int) MethodSettings.PROMPT_TOKENS.defaultValue(), INIT_STD.defaultValue());
    }

    /** The name of layer i's prompt [t, n]. */
    public static String parameter(int layer) {
        return "ptuning_v2.layer" + layer + ".prompt";
    }
}
