package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.Value;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a {@link ModelDefinition} returns: the scalar loss and the named tensors the eval graph
 * exposes (for example {@code logits}); the eval graph's outputs are {@code loss} followed by these.
 */
public record ForwardOutputs(Value loss, Map<String, Value> evalOutputs) {
    public ForwardOutputs {
        if (loss == null) {
            throw new IllegalArgumentException("a model must define a loss");
        }
        evalOutputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(evalOutputs));
    }
}
