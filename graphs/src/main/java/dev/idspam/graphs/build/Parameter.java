package dev.idspam.graphs.build;

/**
 * A model weight. Parameters are graph inputs whose values live in the training checkpoint
 * (ONNX Runtime's convention); {@code trainable} decides whether a gradient is produced for it.
 */
public record Parameter(String name, TensorData initial, boolean trainable) {
    public Parameter {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("parameter name must be non-empty");
        }
        if (initial == null) {
            throw new IllegalArgumentException("parameter " + name + " has no initial value");
        }
    }
}
