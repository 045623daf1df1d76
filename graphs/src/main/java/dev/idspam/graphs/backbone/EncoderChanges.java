package dev.idspam.graphs.backbone;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Everything a method changes in the encoder while it is built: the token-embedding lookup
 * ({@link EmbeddingHook}), the hidden states entering some layers ({@link Injection}s, at most one
 * per layer, applied in layer order) and the dense projections ({@link ProjectionHook}).
 *
 * @param injections  in increasing layer order, distinct layers; empty for none
 * @param projections {@link ProjectionHook#NONE} for none
 * @param embeddings  {@link EmbeddingHook#NONE} for none
 */
public record EncoderChanges(List<Injection> injections, ProjectionHook projections, EmbeddingHook embeddings) {
    /** The frozen backbone as it is. */
    public static final EncoderChanges NONE = new EncoderChanges(List.of(), ProjectionHook.NONE, EmbeddingHook.NONE);

    public EncoderChanges {
        List<Injection> sorted = new ArrayList<>(injections);
        sorted.sort(Comparator.comparingInt(Injection::layer));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).layer() == sorted.get(i - 1).layer()) {
                throw new IllegalArgumentException("two injections at layer " + sorted.get(i).layer()
                        + "; a method may change each layer's input once");
            }
        }
        injections = List.copyOf(sorted);
        projections = projections == null ? ProjectionHook.NONE : projections;
        embeddings = embeddings == null ? EmbeddingHook.NONE : embeddings;
    }

    /** One injection (or none when null) and a projection hook (NONE when null). */
    public static EncoderChanges of(Injection injection, ProjectionHook projections) {
        return new EncoderChanges(injection == null ? List.of() : List.of(injection), projections, EmbeddingHook.NONE);
    }

    /** The lowest injection layer, or −1 without injection. */
    public int firstInjectionLayer() {
        return injections.isEmpty() ? -1 : injections.get(0).layer();
    }

    /** The injection for layer {@code i}, or null. */
    public Injection at(int i) {
        for (Injection in : injections) {
            if (in.layer() == i) {
                return in;
            }
        }
        return null;
    }

    /** Whether the embeddings and every layer below {@code m} are the frozen backbone's. */
    public boolean leavesBelowUnchanged(int m) {
        return embeddings == EmbeddingHook.NONE && projections == ProjectionHook.NONE
                && (injections.isEmpty() || firstInjectionLayer() >= m);
    }
}
