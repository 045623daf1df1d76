package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.DType;

import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/** A verified checkpoint's layout, read without copying tensor data. */
public record CheckpointSummary(int version, List<TensorInfo> trainable, List<TensorInfo> frozen,
                                OptionalLong optimizerStep, boolean hasMoments, PropertyBag properties, long fileBytes) {
    /** Name, element type and dimensions of one stored tensor. */
    public record TensorInfo(String name, DType type, long[] dims) {
        public TensorInfo {
            dims = dims.clone();
        }

        @Override
        public long[] dims() {
            return dims.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TensorInfo t && t.name.equals(name) && t.type == type && Arrays.equals(t.dims, dims);
        }

        @Override
        public int hashCode() {
            return 31 * (31 * name.hashCode() + type.hashCode()) + Arrays.hashCode(dims);
        }

        @Override
        public String toString() {
            return name + ":" + type + Arrays.toString(dims);
        }
    }

    public CheckpointSummary {
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
    }

    public List<String> trainableNames() {
        return trainable.stream().map(TensorInfo::name).toList();
    }

    public List<String> frozenNames() {
        return frozen.stream().map(TensorInfo::name).toList();
    }
}
