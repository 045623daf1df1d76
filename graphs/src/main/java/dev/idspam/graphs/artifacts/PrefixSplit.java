package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Value;

/**
 * A model whose first layers are a fixed function of its token inputs (frozen weights, no dropout,
 * nothing trained below them), split at that point for training with a prefix cache:
 * <ul>
 *   <li>the prefix ({@link #buildPrefix}) maps the token inputs to the boundary tensor
 *       {@value ArtifactNames#PREFIX_HIDDEN}, X_m {@code [batch, sequence, hidden]}, the hidden
 *       states entering layer m; it reads frozen parameters only;</li>
 *   <li>the suffix ({@link #suffix}) is the whole model from layer m up: the same user inputs plus
 *       {@value ArtifactNames#PREFIX_HIDDEN}, and exactly the same parameters in the same order, so
 *       one checkpoint serves both the whole graphs and the suffix graphs.</li>
 * </ul>
 * For any tokens, suffix(tokens, prefix(tokens)) computes what the whole model computes.
 */
public interface PrefixSplit {
    /** m, the number of layers the prefix runs. */
    int layers();

    /** Declares the token inputs and frozen parameters the prefix reads and returns X_m. */
    Value buildPrefix(GraphBuilder b);

    /** The model from layer m up. */
    ModelDefinition suffix();
}
