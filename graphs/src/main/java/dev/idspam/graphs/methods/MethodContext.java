package dev.idspam.graphs.methods;

import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.BackboneWeights;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a {@link Method} may use while its graph is built, and where it records the trainable
 * tensors it creates (explicitly, never found by name prefix).
 */
public final class MethodContext {
    private final BackboneWeights backbone;
    private final ParameterInit init;
    private final long seed;
    private final boolean training;
    private final List<String> trainable = new ArrayList<>();

    public MethodContext(BackboneWeights backbone, ParameterInit init, long seed, boolean training) {
        this.backbone = backbone;
        this.init = init;
        this.seed = seed;
        this.training = training;
    }

    public BackboneConfig config() {
        return backbone.config();
    }

    public BackboneWeights backbone() {
        return backbone;
    }

    public ParameterInit init() {
        return init;
    }

    public long seed() {
        return seed;
    }

    /** True for the training graph (dropout active), false for eval and inference graphs. */
    public boolean training() {
        return training;
    }

    public void declareTrainable(List<String> names) {
        trainable.addAll(names);
    }

    public void declareTrainable(String name) {
        trainable.add(name);
    }

    public List<String> trainable() {
        return Collections.unmodifiableList(trainable);
    }
}
