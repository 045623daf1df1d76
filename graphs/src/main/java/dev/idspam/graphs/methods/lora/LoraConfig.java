package dev.idspam.graphs.methods.lora;

/**
 * LoRA (Hu et al. 2022): a rank-r update A·B, scaled by α/r, added to the query and value
 * projections of every layer. A ~ N(0, initStd²), B = 0, so training starts from the backbone.
 */
public record LoraConfig(int rank, double alpha, double dropout, double initStd) {
    public LoraConfig {
        if (rank < 1 || alpha <= 0 || dropout < 0 || dropout >= 1 || initStd <= 0) {
            throw new IllegalArgumentException("LoRA needs rank >= 1, alpha > 0, dropout in [0,1), initStd > 0; got r="
                    + rank + " alpha=" + alpha + " dropout=" + dropout);
        }
    }

    public static LoraConfig defaults() {
        return new LoraConfig(8, 16, 0.0, 0.02);
    }

    public double scale() {
        return alpha / rank;
    }
}
