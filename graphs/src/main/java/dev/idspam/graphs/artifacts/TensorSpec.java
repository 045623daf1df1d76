package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.Value;

/** Name, element type and (possibly symbolic, possibly unknown = null) shape of a graph input or output. */
public record TensorSpec(String name, DType type, Shape shape) {
    public TensorSpec {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("tensor spec needs a name");
        }
        if (type == null) {
            throw new IllegalArgumentException("tensor spec " + name + " needs an element type");
        }
    }

    public static TensorSpec of(Value v) {
        return new TensorSpec(v.name(), v.type(), v.shape());
    }

    @Override
    public String toString() {
        return name + ":" + type + (shape == null ? "[?]" : shape.toString());
    }
}
