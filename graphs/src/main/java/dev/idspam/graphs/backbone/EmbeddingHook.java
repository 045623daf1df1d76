package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Value;

/**
 * Lets a method change the token-embedding lookup before the position and type embeddings are
 * added and the embedding LayerNorm runs, for example DEPT's low-rank update
 * {@code e'(t) = E[t] + A[t]·B}. Called once, with {@code input_ids} [B, L] and the frozen lookup
 * {@code Gather(word, input_ids)} [B, L, n]; returns the lookup the embeddings continue with (same
 * shape). A method with a hook changes everything from the embeddings up, so it has no frozen prefix.
 */
@FunctionalInterface
public interface EmbeddingHook {
    /** Leaves the lookup as it is. */
    EmbeddingHook NONE = (b, inputIds, lookup) -> lookup;

    Value apply(GraphBuilder b, Value inputIds, Value lookup);
}
