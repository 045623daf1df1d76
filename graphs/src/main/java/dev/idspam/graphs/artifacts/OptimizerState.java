package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.TensorData;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint's optimizer group {@code group0}: completed optimizer steps, the initial learning
 * rate, and per trainable parameter its AdamW moments. An empty moment map means "zero-initialise"
 * (ORT then keeps step and initial learning rate).
 */
public record OptimizerState(long step, float initialLearningRate, Map<String, Moments> moments) {
    /** First ({@code momentum0}) and second ({@code momentum1}) moment of one parameter. */
    public record Moments(TensorData first, TensorData second) {
        public Moments {
            if (first == null || second == null) {
                throw new IllegalArgumentException("both moments are required");
            }
            if (first.type() != second.type() || !java.util.Arrays.equals(first.dims(), second.dims())) {
                throw new IllegalArgumentException("moments differ in type or shape: " + first + " vs " + second);
            }
        }
    }

    public OptimizerState {
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
        }
        moments = Collections.unmodifiableMap(new LinkedHashMap<>(moments));
    }
}
