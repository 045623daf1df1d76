package dev.idspam.graphs.methods;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.EmbeddingHook;
import dev.idspam.graphs.backbone.EncoderChanges;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.backbone.ProjectionHook;

import java.util.List;

/**
 * A parameter-efficient fine-tuning method, attached to a backbone while its graph is built. A
 * method decides what is trainable: its own new tensors (declared through the context) and, for
 * full fine-tuning, the backbone itself.
 */
public interface Method {
    /** Registry id, e.g. {@code idspam}. */
    String id();

    /** The method's settings, recorded in the artifacts' manifest. */
    JsonObject config();

    /** Tokens prepended to the sequence; the head reads the first real token at this index. */
    int promptTokens();

    /** Whether every backbone weight trains (full fine-tuning) instead of staying frozen. */
    default boolean trainsBackbone() {
        return false;
    }

    /**
     * How many encoder layers below the method's injection compute exactly what the frozen backbone
     * computes, for every input, in training and in evaluation: 0, or m when the method changes
     * nothing before its injection at layer m (no trainable backbone weight, no projection hook, no
     * dropout below m). Those layers' output X_m is then a fixed function of the tokens, which
     * training may compute once and cache (the suffix graphs take X_m as an input instead of
     * recomputing it every epoch). Every method states it; 0 is always safe.
     */
    int frozenPrefixLayers();

    /** Changes the input of one layer, or null. Parameters it creates must be declared in {@code ctx}. */
    default Injection injection(MethodContext ctx) {
        return null;
    }

    /**
     * Changes the inputs of several layers (at most one injection per layer), for methods that act
     * at more than one depth (P-Tuning v2); by default the one {@link #injection}, if any. The
     * encoder applies them in layer order.
     */
    default List<Injection> injections(MethodContext ctx) {
        Injection one = injection(ctx);
        return one == null ? List.of() : List.of(one);
    }

    /** Changes the token-embedding lookup (DEPT), or {@link EmbeddingHook#NONE}. */
    default EmbeddingHook embeddingHook(MethodContext ctx) {
        return EmbeddingHook.NONE;
    }

    /** Rewrites dense projections (LoRA), or {@link ProjectionHook#NONE}. */
    default ProjectionHook projectionHook(MethodContext ctx) {
        return ProjectionHook.NONE;
    }

    /** Everything the method changes in the encoder, for {@code EncoderBuilder.build}; call once per graph. */
    default EncoderChanges encoderChanges(MethodContext ctx) {
        return new EncoderChanges(injections(ctx), projectionHook(ctx), embeddingHook(ctx));
    }
}
