package dev.idspam.graphs.build;

/**
 * A named tensor in a graph under construction. The shape is {@code null} when not even the rank
 * is known; rules that need shape facts fall back to runtime {@code Shape} ops in that case.
 */
public record Value(String name, DType type, Shape shape) {
    public Value {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("value name must be non-empty");
        }
        if (type == null) {
            throw new IllegalArgumentException("value " + name + " has no element type");
        }
    }

    public boolean hasShape() {
        return shape != null;
    }

    public int rank() {
        if (shape == null) {
            throw new IllegalStateException("rank of " + name + " is unknown");
        }
        return shape.rank();
    }

    @Override
    public String toString() {
        return name + ":" + type + (shape == null ? "[?]" : shape.toString());
    }
}
