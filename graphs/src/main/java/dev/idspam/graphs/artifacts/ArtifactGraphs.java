package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.Parameter;

import java.util.List;

/**
 * The training and eval graphs built from one {@link ModelDefinition}, before serialisation, with
 * the parameters both declare (same names, same order; trainable ones have gradients).
 */
public record ArtifactGraphs(Graph training, Graph eval, List<Parameter> parameters, Cached cached) {
    public ArtifactGraphs {
        parameters = List.copyOf(parameters);
    }

    public ArtifactGraphs(Graph training, Graph eval, List<Parameter> parameters) {
        this(training, eval, parameters, null);
    }

    /**
     * The graphs for training with a cached frozen prefix ({@link PrefixSplit}): the suffix's training
     * and eval graphs (same parameters as the whole ones) and the prefix inference graph.
     */
    public record Cached(Graph training, Graph eval, Graph prefix) { }

    public List<String> trainableNames() {
        return parameters.stream().filter(Parameter::trainable).map(Parameter::name).toList();
    }

    public List<String> frozenNames() {
        return parameters.stream().filter(p -> !p.trainable()).map(Parameter::name).toList();
    }
}
