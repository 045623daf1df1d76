package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Value;

/**
 * Lets a method rewrite a layer's dense projections while the encoder is built, for example LoRA:
 * {@code y = defaultOutput + (x·A)·B·(α/r)} on Q and V. Called once per layer and projection, in
 * layer order, with the projection's input {@code x} [B, L, in] and the frozen result
 * {@code x·W + b} [B, L, out]; returns the value the layer continues with (same shape). Q is
 * scaled by 1/√d_h after the hook, so a hook sees and returns the unscaled projection.
 */
@FunctionalInterface
public interface ProjectionHook {
    /** Leaves every projection as it is. */
    ProjectionHook NONE = (b, layer, projection, x, defaultOutput) -> defaultOutput;

    Value apply(GraphBuilder b, int layer, Projection projection, Value x, Value defaultOutput);
}
