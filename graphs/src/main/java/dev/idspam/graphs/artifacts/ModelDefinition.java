package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.GraphBuilder;

/**
 * A trainable model described as a function that builds its forward graph. The artifact writer
 * calls it twice, once for the training graph ({@code training = true}: dropout active, labels
 * and loss present) and once for the eval graph; both calls must declare the same parameters in
 * the same order, which is what ONNX Runtime requires of the two graphs. It declares user inputs
 * and parameters but no graph outputs: {@link ArtifactWriter} adds {@code loss}, the eval outputs
 * and what ORT needs (the gradient accumulators) itself.
 */
@FunctionalInterface
public interface ModelDefinition {
    ForwardOutputs build(GraphBuilder b, boolean training);

    /** The split of this model for training with a cached frozen prefix, or null when it has none. */
    default PrefixSplit prefixSplit() {
        return null;
    }
}
