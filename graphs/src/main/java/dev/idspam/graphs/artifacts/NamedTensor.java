package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.TensorData;

/** A tensor with the name ONNX Runtime knows it by (a parameter or a momentum). */
public record NamedTensor(String name, TensorData data) {
    public NamedTensor {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor name must be non-empty");
        }
        if (data == null) {
            throw new IllegalArgumentException("tensor " + name + " has no data");
        }
    }
}
