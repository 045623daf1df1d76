package dev.idspam.graphs.methods;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.backbone.ProjectionHook;

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

    /** Changes the input of one layer, or null. Parameters it creates must be declared in {@code ctx}. */
    default Injection injection(MethodContext ctx) {
        return null;
    }

    /** Rewrites dense projections (LoRA), or {@link ProjectionHook#NONE}. */
    default ProjectionHook projectionHook(MethodContext ctx) {
        return ProjectionHook.NONE;
    }
}
