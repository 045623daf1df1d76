package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.Value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ModelDefinition} returns: the scalar loss and the named tensors the eval graph
 * exposes (for example {@code logits}); the eval graph's outputs are {@code loss} followed by these,
 * in the map's iteration order (so the map must have a stable one: LinkedHashMap, TreeMap, or one entry).
 */
public record ForwardOutputs(Value loss, Map<String, Value> evalOutputs) {
    public ForwardOutputs {
        if (loss == null) {
            throw new IllegalArgumentException("a model must define a loss");
        }
        if (evalOutputs.size() > 1 && evalOutputs.getClass().getName().startsWith("java.util.ImmutableCollections")) {
            // Map.of/Map.ofEntries iterate in an order salted per JVM run: the eval graph's outputs, and
            // so the artifact bytes, would change from run to run.
            throw new IllegalArgumentException("eval outputs " + evalOutputs.keySet() + " come in a Map.of map, whose"
                    + " iteration order changes between JVM runs; pass a LinkedHashMap (or TreeMap) instead");
        }
        evalOutputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evalOutputs));
    }
}
