package dev.idspam.graphs.build;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, validated graph: inputs (user inputs followed by parameters, in declaration order),
 * constant initializers, nodes in topological order, and outputs.
 */
public record Graph(String name, List<Value> inputs, List<Parameter> parameters, Map<String, TensorData> initializers,
                    List<Node> nodes, List<Value> outputs, Map<String, Value> values) {
    public Graph {
        inputs = List.copyOf(inputs);
        parameters = List.copyOf(parameters);
        initializers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(initializers));
        nodes = List.copyOf(nodes);
        outputs = List.copyOf(outputs);
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public Value value(String valueName) {
        Value v = values.get(valueName);
        if (v == null) {
            throw new IllegalArgumentException("graph " + name + " has no value named '" + valueName + "'");
        }
        return v;
    }

    /** User inputs: graph inputs that are not parameters. */
    public List<Value> userInputs() {
        java.util.Set<String> params = new java.util.HashSet<>();
        parameters.forEach(p -> params.add(p.name()));
        return inputs.stream().filter(v -> !params.contains(v.name())).toList();
    }
}
