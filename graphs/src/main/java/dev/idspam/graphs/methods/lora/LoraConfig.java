package dev.idspam.graphs.methods.lora;

import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodSettings;

/**
 * LoRA (Hu et al. 2022): a rank-r update A·B, scaled by α/r, added to the query and value
 * projections of every layer. A ~ N(0, initStd²), B = 0, so training starts from the backbone.
 */
public record LoraConfig(int rank, double alpha, double dropout, double initStd) {
    /** r. */
    public static final MethodOption RANK = MethodOption.whole("lora-rank", "LoRA rank", 8, 1, MethodSettings.MAX_WIDTH,
            "rank r of the update A·B on W_Q and W_V");
    /** α; the update is scaled by α/r. */
    public static final MethodOption ALPHA = MethodOption.positive("lora-alpha", "LoRA alpha", 16,
            "scale α of the update (applied as α/r)");
    /** The spread of A's initial weights (not a command-line setting). */
    public static final double INIT_STD = 0.02;

    public LoraConfig {
        RANK.check(rank);
        ALPHA.check(alpha);
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("LoRA dropout must be in [0, 1), got " + dropout);
        }
        MethodSettings.checkInternalPositive(initStd, "LoRA's initial weight spread");
    }

    public static LoraConfig defaults() {
        return new LoraConfig((int) RANK.defaultValue(), ALPHA.defaultValue(), 0.0, INIT_STD);
    }

    public double scale() {
        return alpha / rank;
    }
}
