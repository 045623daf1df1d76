package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.GraphBuilder;

/**
 * A trainable model described as a function that builds its forward graph. The artifact writer
 * calls it twice, once for the training graph ({@code training = true}: dropout active, labels
 * and loss present) and once for the eval graph; both calls must declare the same parameters in
 * the same order, which is what ONNX Runtime requires of the two graphs.
 */
@FunctionalInterface
public interface ModelDefinition {
    ForwardOutputs build(GraphBuilder b, boolean training);
}
