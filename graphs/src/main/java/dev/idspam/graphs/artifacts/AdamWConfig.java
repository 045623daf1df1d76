package dev.idspam.graphs.artifacts;

/**
 * Hyper-parameters baked into the optimizer model ({@code com.microsoft::AdamWOptimizer}, HF mode:
 * {@code adam_mode=1}, bias correction folded into the learning rate, decoupled weight decay applied
 * after the update). The learning rate is not here: the trainer sets it before every step.
 *
 * <p>One optimizer group covers all trainable parameters, so weight decay applies to every one of
 * them (biases and LayerNorm scales included); ORT supports only one group.
 */
public record AdamWConfig(float beta1, float beta2, float epsilon, float weightDecay) {
    public AdamWConfig {
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("AdamW beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("AdamW beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0) || Float.isInfinite(epsilon)) {
            throw new IllegalArgumentException("AdamW epsilon must be > 0 and finite, got " + epsilon);
        }
        if (!(weightDecay >= 0) || Float.isInfinite(weightDecay)) {
            throw new IllegalArgumentException("AdamW weight decay must be >= 0 and finite, got " + weightDecay);
        }
    }

    /** The paper's settings: β1 0.9, β2 0.98, ε 1e-6, no weight decay. */
    public static AdamWConfig defaults() {
        return new AdamWConfig(0.9f, 0.98f, 1e-6f, 0.0f);
    }

    public AdamWConfig withWeightDecay(float wd) {
        return new AdamWConfig(beta1, beta2, epsilon, wd);
    }
}
