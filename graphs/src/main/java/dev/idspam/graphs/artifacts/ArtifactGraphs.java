package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Parameter;

import java.util.List;

/**
 * The training and eval graphs built from one {@link ModelDefinition}, before serialisation, with
 * the parameters both declare (same names, same order; trainable ones have gradients).
 */
public record ArtifactGraphs(Graph training, Graph eval, List<Parameter> parameters) {
    public ArtifactGraphs {
        parameters = List.copyOf(parameters);
    }

    public List<String> trainableNames() {
        return parameters.stream().filter(Parameter::trainable).map(Parameter::name).toList();
    }

    public List<String> frozenNames() {
        return parameters.stream().filter(p -> !p.trainable()).map(Parameter::name).toList();
    }
}
