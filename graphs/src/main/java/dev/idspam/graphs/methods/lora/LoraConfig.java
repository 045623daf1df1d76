package dev.idspam.graphs.methods.lora;

import dev.idspam.graphs.methods.MethodSettings;

/**
 * LoRA (Hu et al. 2022): a rank-r update A·B, scaled by α/r, added to the query and value
 * projections of every layer. A ~ N(0, initStd²), B = 0, so training starts from the backbone.
 */
public record LoraConfig(int rank, double alpha, double dropout, double initStd) {
    public LoraConfig {
        MethodSettings.checkRange(rank, 1, MethodSettings.MAX_WIDTH, "LoRA rank", "lora-rank");
        MethodSettings.checkPositive(alpha, "LoRA alpha", "lora-alpha");
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        MethodSettings.checkInternalPositive(initStd, "LoRA's initial weight spread");
    }

    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0.0, 0.02);
    }

    public double scale() {
        return alpha / rank;
    }
}
