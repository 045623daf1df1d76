package dev.idspam.graphs.methods;

import dev.idspam.graphs.backbone.BackboneConfig;

/**
 * The sizes of a backbone that a method's trainable count depends on.
 *
 * @param hidden             hidden size n
 * @param layers             transformer layers N
 * @param vocab              rows V of the token-embedding table (DEPT's update has V·r weights)
 * @param backboneParameters every weight the project's models use (the task head replaces a pooler)
 */
public record ModelSizes(int hidden, int layers, int vocab, long backboneParameters) {
    public ModelSizes {
        if (hidden < 1 || layers < 1 || vocab < 1 || backboneParameters < 1) {
            throw new IllegalArgumentException("backbone sizes must be >= 1: n=" + hidden + " N=" + layers + " V=" + vocab
                    + " parameters=" + backboneParameters);
        }
    }

    public static ModelSizes of(BackboneConfig c) {
        return new ModelSizes(c.hidden(), c.layers(), c.vocabSize(), c.parameterCount());
    }
}
