package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An ONNX Runtime on-device-training checkpoint (flatbuffer, identifier {@code ODTC}, version 2):
 * trainable parameters, frozen parameters, optional optimizer state and a property bag. Written
 * with {@link #write(Path)} (atomic), read with {@link #read(Path)}; files written by ORT's
 * {@code saveCheckpoint} read the same way. Tensor order is kept as given; ORT does not depend on it.
 */
public record Checkpoint(List<NamedTensor> trainable, List<NamedTensor> frozen, Optional<OptimizerState> optimizer,
                         PropertyBag properties) {
    /** The only checkpoint version ORT 1.24.1 loads. */
    public static final int VERSION = 2;
    /** The flatbuffer file identifier. */
    public static final String IDENTIFIER = "ODTC";

    public Checkpoint {
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
        optimizer = optimizer == null ? Optional.empty() : optimizer;
        properties = properties == null ? PropertyBag.empty() : properties;
        Set<String> names = new HashSet<>();
        for (NamedTensor t : trainable) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("checkpoint lists parameter '" + t.name() + "' twice");
            }
        }
        for (NamedTensor t : frozen) {
            if (!names.add(t.name())) {
                throw new IllegalArgumentException("checkpoint lists parameter '" + t.name() + "' twice");
            }
        }
        if (optimizer.isPresent()) {
            checkMoments(trainable, optimizer.get());
        }
    }

    private static void checkMoments(List<NamedTensor> trainable, OptimizerState state) {
        if (state.moments().isEmpty()) {
            return;
        }
        Map<String, TensorData> byName = new LinkedHashMap<>();
        trainable.forEach(t -> byName.put(t.name(), t.data()));
        for (Map.Entry<String, OptimizerState.Moments> e : state.moments().entrySet()) {
            TensorData p = byName.get(e.getKey());
            if (p == null) {
                throw new IllegalArgumentException("optimizer state for '" + e.getKey()
                        + "', which is not a trainable parameter of this checkpoint");
            }
            TensorData m = e.getValue().first();
            if (m.type() != p.type() || !Arrays.equals(m.dims(), p.dims())) {
                throw new IllegalArgumentException("optimizer moments of '" + e.getKey() + "' are " + m
                        + " but the parameter is " + p);
            }
        }
        if (!state.moments().keySet().equals(byName.keySet())) {
            List<String> missing = new ArrayList<>(byName.keySet());
            missing.removeAll(state.moments().keySet());
            throw new IllegalArgumentException("optimizer state must cover every trainable parameter or none; missing "
                    + missing);
        }
    }

    /** The initial checkpoint of a model: its parameters' initial values, no optimizer state. */
    public static Checkpoint initial(List<Parameter> parameters) {
        List<NamedTensor> trainable = new ArrayList<>();
        List<NamedTensor> frozen = new ArrayList<>();
        for (Parameter p : parameters) {
            (p.trainable() ? trainable : frozen).add(new NamedTensor(p.name(), p.initial()));
        }
        return new Checkpoint(trainable, frozen, Optional.empty(), PropertyBag.empty());
    }

    /** A trainable or frozen parameter by name. */
    public TensorData parameter(String name) {
        for (NamedTensor t : trainable) {
            if (t.name().equals(name)) {
                return t.data();
            }
        }
        for (NamedTensor t : frozen) {
            if (t.name().equals(name)) {
                return t.data();
            }
        }
        throw new IllegalArgumentException("checkpoint has no parameter '" + name + "' (trainable: "
                + names(trainable) + ", frozen: " + names(frozen) + ")");
    }

    /** All parameters by name, trainable first. */
    public Map<String, TensorData> parameters() {
        Map<String, TensorData> out = new LinkedHashMap<>();
        trainable.forEach(t -> out.put(t.name(), t.data()));
        frozen.forEach(t -> out.put(t.name(), t.data()));
        return out;
    }

    public Checkpoint withOptimizer(OptimizerState state) {
        return new Checkpoint(trainable, frozen, Optional.of(state), properties);
    }

    public Checkpoint withProperties(PropertyBag bag) {
        return new Checkpoint(trainable, frozen, optimizer, bag);
    }

    static List<String> names(List<NamedTensor> ts) {
        return ts.stream().map(NamedTensor::name).toList();
    }

    /** Total number of parameter elements of the given group. */
    static long elements(List<NamedTensor> ts) {
        return ts.stream().mapToLong(t -> t.data().numElements()).sum();
    }

    /** The flatbuffer bytes (position at the first byte, limit at the end). */
    public ByteBuffer toFlatBuffer() {
        return CheckpointWriter.encode(this);
    }

    /**
     * Writes the checkpoint atomically (temp file in the same folder, forced, renamed) together with
     * its checksum file {@code <file>.sha256} ({@link CheckpointSeal}).
     */
    public void write(Path file) throws IOException {
        CheckpointWriter.write(this, file);
    }

    /** Reads and verifies a checkpoint, copying tensor data into memory (the file is memory-mapped). */
    public static Checkpoint read(Path file) throws IOException {
        return CheckpointReader.read(file);
    }

    /**
     * Reads and verifies a checkpoint's structure but copies only the trainable tensors' data: the
     * values a run changes, small next to a frozen backbone.
     */
    public static List<NamedTensor> readTrainable(Path file) throws IOException {
        return CheckpointReader.readTrainable(file);
    }

    /** Parses and verifies flatbuffer bytes; {@code source} names them in error messages. */
    public static Checkpoint parse(ByteBuffer bytes, String source) throws ArtifactFormatException {
        return CheckpointReader.parse(bytes, source, true).checkpoint();
    }

    /**
     * Verifies a checkpoint's structure and returns its layout (names, types, shapes, optimizer
     * step, properties) without copying tensor data: cheap even for a 440 MB BERT checkpoint.
     */
    public static CheckpointSummary inspect(Path file) throws IOException {
        return CheckpointReader.inspect(file);
    }

    /** Element types a checkpoint tensor may have here. */
    static boolean supported(int onnxType) {
        for (DType t : DType.values()) {
            if (t.onnxCode() == onnxType) {
                return true;
            }
        }
        return false;
    }
}
