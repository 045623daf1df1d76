package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static dev.idspam.graphs.artifacts.CheckpointWriter.*;

/**
 * Reads and verifies checkpoint flatbuffers (ours and ORT's). Every offset is bounds-checked
 * through {@link FlatView}; semantic checks follow (version 2, both parameter vectors present,
 * tensor byte counts matching their dims, no external data, {@code group0}, momentum names).
 */
final class CheckpointReader {
    private CheckpointReader() {
    }

    /** What one walk produced: the summary always, the checkpoint when data was copied. */
    record Parsed(CheckpointSummary summary, Checkpoint checkpoint) {
    }

    static Checkpoint read(Path file) throws IOException {
        return parse(map(file), file.toString(), true).checkpoint();
    }

    static CheckpointSummary inspect(Path file) throws IOException {
        return parse(map(file), file.toString(), false).summary();
    }

    static List<NamedTensor> readTrainable(Path file) throws IOException {
        ByteBuffer bytes = map(file);
        String source = file.toString();
        FlatView v = new FlatView(bytes, source);
        try {
            walk(v, source, false);
            FlatView.Table module = v.root("Checkpoint").table(CHECKPOINT_MODULE_STATE, "ModuleState");
            return named(tensors(v, module, MODULE_REQUIRES_GRAD, "requires_grad_params", source, true));
        } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            throw new ArtifactFormatException(source + ": corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    private static ByteBuffer map(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ArtifactFormatException(file + ": " + size + " bytes is larger than a FlatBuffers checkpoint can be"
                        + " (2 GiB)");
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return mapped;
        } catch (NoSuchFileException e) {
            throw new ArtifactFormatException(file + ": checkpoint file does not exist", e);
        }
    }

    static Parsed parse(ByteBuffer bytes, String source, boolean copyData) throws ArtifactFormatException {
        FlatView v = new FlatView(bytes, source);
        try {
            return walk(v, source, copyData);
        } catch (IndexOutOfBoundsException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            // FlatView checks every access; this is a second line of defence, never a crash.
            throw new ArtifactFormatException(source + ": corrupt checkpoint: " + e.getMessage(), e);
        }
    }

    private static Parsed walk(FlatView v, String source, boolean copyData) throws ArtifactFormatException {
        if (v.size() < 8) {
            throw v.corrupt("shorter than the 8-byte FlatBuffers header");
        }
        String id = v.identifier();
        if (!id.equals(Checkpoint.IDENTIFIER)) {
            throw new ArtifactFormatException(source + ": not an ONNX Runtime training checkpoint (file identifier is '"
                    + id + "', expected '" + Checkpoint.IDENTIFIER + "')");
        }
        FlatView.Table root = v.root("Checkpoint");
        int version = root.i32(CHECKPOINT_VERSION, 0);
        if (version != Checkpoint.VERSION) {
            throw new ArtifactFormatException(source + ": checkpoint version " + version + " is not supported (expected "
                    + Checkpoint.VERSION + ", the version ONNX Runtime 1.24 reads and writes)");
        }
        FlatView.Table module = root.table(CHECKPOINT_MODULE_STATE, "ModuleState");
        if (module == null) {
            throw new ArtifactFormatException(source + ": checkpoint has no module_state");
        }
        if (module.bool(MODULE_IS_NOMINAL)) {
            throw new ArtifactFormatException(source + ": checkpoint is a nominal state (names without tensor data)");
        }
        if (module.bool(MODULE_HAS_EXTERNAL_DATA)) {
            throw new ArtifactFormatException(source + ": checkpoint keeps its tensors in an external data file;"
                    + " reading external data is not supported");
        }
        List<Entry> trainable = tensors(v, module, MODULE_REQUIRES_GRAD, "requires_grad_params", source, copyData);
        List<Entry> frozen = tensors(v, module, MODULE_FROZEN, "frozen_params", source, copyData);

        OptionalLong step = OptionalLong.empty();
        boolean hasMoments = false;
        Optional<OptimizerState> optimizer = Optional.empty();
        FlatView.Vec groups = root.vector(CHECKPOINT_OPTIMIZER_GROUPS, 4, "optimizer_groups");
        if (groups != null && groups.length() > 0) {
            if (groups.length() != 1) {
                throw new ArtifactFormatException(source + ": checkpoint has " + groups.length()
                        + " optimizer groups; ONNX Runtime supports exactly one ('group0')");
            }
            FlatView.Table g = root.tableAt(groups, 0, "OptimizerGroup");
            String name = g.string(GROUP_NAME, "OptimizerGroup.group_name");
            if (!ArtifactNames.OPTIMIZER_GROUP.equals(name)) {
                throw new ArtifactFormatException(source + ": optimizer group is named '" + name + "', expected '"
                        + ArtifactNames.OPTIMIZER_GROUP + "'");
            }
            long s = g.i64(GROUP_STEP, 0);
            if (s < 0) {
                throw new ArtifactFormatException(source + ": optimizer step is negative (" + s + ")");
            }
            float lr = g.f32(GROUP_INITIAL_LR, 0f);
            step = OptionalLong.of(s);
            Map<String, OptimizerState.Moments> moments = new LinkedHashMap<>();
            FlatView.Vec states = g.vector(GROUP_STATES, 4, "optimizer_states");
            for (int i = 0; states != null && i < states.length(); i++) {
                FlatView.Table st = g.tableAt(states, i, "ParameterOptimizerState");
                String param = st.string(STATE_PARAM_NAME, "ParameterOptimizerState.param_name");
                if (param == null) {
                    throw new ArtifactFormatException(source + ": optimizer state " + i + " has no parameter name");
                }
                FlatView.Vec ms = st.vector(STATE_MOMENTUMS, 4, "momentums");
                Entry m0 = null;
                Entry m1 = null;
                for (int k = 0; ms != null && k < ms.length(); k++) {
                    Entry e = tensor(v, st.tableAt(ms, k, "momentum tensor"), source, copyData);
                    if (e.info.name().equals(ArtifactNames.FIRST_MOMENT)) {
                        m0 = e;
                    } else if (e.info.name().equals(ArtifactNames.SECOND_MOMENT)) {
                        m1 = e;
                    } else {
                        throw new ArtifactFormatException(source + ": optimizer state of '" + param + "' has a tensor named '"
                                + e.info.name() + "'; expected '" + ArtifactNames.FIRST_MOMENT + "' and '"
                                + ArtifactNames.SECOND_MOMENT + "'");
                    }
                }
                if (m0 == null || m1 == null) {
                    throw new ArtifactFormatException(source + ": optimizer state of '" + param + "' lacks "
                            + (m0 == null ? ArtifactNames.FIRST_MOMENT : ArtifactNames.SECOND_MOMENT));
                }
                if (moments.containsKey(param)) {
                    throw new ArtifactFormatException(source + ": optimizer state of '" + param + "' appears twice");
                }
                hasMoments = true;
                if (copyData) {
                    moments.put(param, new OptimizerState.Moments(m0.data, m1.data));
                }
            }
            if (copyData) {
                optimizer = Optional.of(new OptimizerState(s, lr, moments));
            }
        }
        PropertyBag props = properties(root, source);
        CheckpointSummary summary = new CheckpointSummary(version, infos(trainable), infos(frozen), step, hasMoments,
                props, v.size());
        Checkpoint checkpoint = null;
        if (copyData) {
            try {
                checkpoint = new Checkpoint(named(trainable), named(frozen), optimizer, props);
            } catch (IllegalArgumentException e) {
                throw new ArtifactFormatException(source + ": inconsistent checkpoint: " + e.getMessage(), e);
            }
        }
        return new Parsed(summary, checkpoint);
    }

    private record Entry(CheckpointSummary.TensorInfo info, TensorData data) {
    }

    private static List<CheckpointSummary.TensorInfo> infos(List<Entry> es) {
        return es.stream().map(Entry::info).toList();
    }

    private static List<NamedTensor> named(List<Entry> es) {
        return es.stream().map(e -> new NamedTensor(e.info.name(), e.data)).toList();
    }

    private static List<Entry> tensors(FlatView v, FlatView.Table module, int field, String what, String source,
                                       boolean copyData) throws ArtifactFormatException {
        FlatView.Vec vec = module.vector(field, 4, what);
        if (vec == null) {
            throw new ArtifactFormatException(source + ": module_state has no " + what
                    + " vector (ONNX Runtime requires it, even when empty)");
        }
        List<Entry> out = new ArrayList<>(vec.length());
        for (int i = 0; i < vec.length(); i++) {
            out.add(tensor(v, module.tableAt(vec, i, what + "[" + i + "]"), source, copyData));
        }
        return out;
    }

    private static Entry tensor(FlatView v, FlatView.Table t, String source, boolean copyData)
            throws ArtifactFormatException {
        String name = t.string(TENSOR_NAME, t.what() + ".name");
        if (name == null || name.isEmpty()) {
            throw new ArtifactFormatException(source + ": " + t.what() + " has no name");
        }
        int code = t.i32(TENSOR_DATA_TYPE, 0);
        if (!Checkpoint.supported(code)) {
            throw new ArtifactFormatException(source + ": tensor '" + name + "' has ONNX data type " + code
                    + "; supported are FLOAT(1), INT32(6), INT64(7), BOOL(9), DOUBLE(11)");
        }
        DType type = DType.fromOnnx(code);
        if (t.i64(TENSOR_EXTERNAL_OFFSET, -1) >= 0) {
            throw new ArtifactFormatException(source + ": tensor '" + name + "' keeps its data in an external file;"
                    + " reading external data is not supported");
        }
        FlatView.Vec dimsVec = t.vector(TENSOR_DIMS, 8, "dims of '" + name + "'");
        int rank = dimsVec == null ? 0 : dimsVec.length();
        long[] dims = new long[rank];
        long count = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = v.i64At(dimsVec, i, "dims of '" + name + "'");
            if (dims[i] < 0) {
                throw new ArtifactFormatException(source + ": tensor '" + name + "' has negative dimension " + dims[i]);
            }
            count = multiplyChecked(count, dims[i], source, name);
        }
        FlatView.Vec raw = t.vector(TENSOR_RAW_DATA, 1, "raw_data of '" + name + "'");
        long expected = multiplyChecked(count, type.byteSize(), source, name);
        long found = raw == null ? 0 : raw.length();
        if (found != expected) {
            throw new ArtifactFormatException(source + ": tensor '" + name + "' has dims " + java.util.Arrays.toString(dims)
                    + " of " + type + " (" + expected + " bytes) but " + found + " bytes of raw_data");
        }
        TensorData data = null;
        if (copyData) {
            data = TensorData.adoptRaw(type, dims, raw == null ? new byte[0] : v.bytes(raw.start(), raw.length()));
        }
        return new Entry(new CheckpointSummary.TensorInfo(name, type, dims), data);
    }

    private static long multiplyChecked(long a, long b, String source, String name) throws ArtifactFormatException {
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            throw new ArtifactFormatException(source + ": tensor '" + name + "' has an impossible element count");
        }
    }

    private static PropertyBag properties(FlatView.Table root, String source) throws ArtifactFormatException {
        FlatView.Table bag = root.table(CHECKPOINT_PROPERTY_BAG, "PropertyBag");
        if (bag == null) {
            return PropertyBag.empty();
        }
        Map<String, Long> ints = new LinkedHashMap<>();
        Map<String, Float> floats = new LinkedHashMap<>();
        Map<String, String> strings = new LinkedHashMap<>();
        FlatView.Vec iv = bag.vector(BAG_INTS, 4, "int properties");
        for (int i = 0; iv != null && i < iv.length(); i++) {
            FlatView.Table p = bag.tableAt(iv, i, "IntProperty");
            putUnique(ints, propertyName(p, source), p.i64(PROPERTY_VALUE, 0), source);
        }
        FlatView.Vec fv = bag.vector(BAG_FLOATS, 4, "float properties");
        for (int i = 0; fv != null && i < fv.length(); i++) {
            FlatView.Table p = bag.tableAt(fv, i, "FloatProperty");
            putUnique(floats, propertyName(p, source), p.f32(PROPERTY_VALUE, 0f), source);
        }
        FlatView.Vec sv = bag.vector(BAG_STRINGS, 4, "string properties");
        for (int i = 0; sv != null && i < sv.length(); i++) {
            FlatView.Table p = bag.tableAt(sv, i, "StringProperty");
            String value = p.string(PROPERTY_VALUE, "StringProperty.value");
            putUnique(strings, propertyName(p, source), value == null ? "" : value, source);
        }
        return new PropertyBag(ints, floats, strings);
    }

    private static String propertyName(FlatView.Table p, String source) throws ArtifactFormatException {
        String name = p.string(PROPERTY_NAME, p.what() + ".name");
        if (name == null || name.isEmpty()) {
            throw new ArtifactFormatException(source + ": " + p.what() + " has no name");
        }
        return name;
    }

    private static <V> void putUnique(Map<String, V> m, String k, V v, String source) throws ArtifactFormatException {
        if (m.put(k, v) != null) {
            throw new ArtifactFormatException(source + ": property '" + k + "' appears twice");
        }
    }
}
