package dev.idspam.graphs.artifacts;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.io.TempFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;

/**
 * Encodes a {@link Checkpoint} as ORT's checkpoint flatbuffer ({@code ort_training_checkpoint.fbs}),
 * table by table. Field indices follow the schema; a field's vtable slot is {@code 4 + 2·index}.
 *
 * <p>Large checkpoints: the builder is pre-sized from an upper-bound estimate, so a 440 MB BERT
 * checkpoint is built in one allocation without the builder's grow-by-doubling copies, and each
 * tensor's bytes are copied once, in bulk, into a 16-byte-aligned {@code raw_data} vector.
 */
final class CheckpointWriter {
    // Checkpoint
    static final int CHECKPOINT_VERSION = 0;
    static final int CHECKPOINT_MODULE_STATE = 1;
    static final int CHECKPOINT_OPTIMIZER_GROUPS = 2;
    static final int CHECKPOINT_PROPERTY_BAG = 3;
    // ModuleState
    static final int MODULE_REQUIRES_GRAD = 0;
    static final int MODULE_FROZEN = 1;
    static final int MODULE_IS_NOMINAL = 2;
    static final int MODULE_HAS_EXTERNAL_DATA = 3;
    // Tensor (ort.fbs)
    static final int TENSOR_NAME = 0;
    static final int TENSOR_DIMS = 2;
    static final int TENSOR_DATA_TYPE = 3;
    static final int TENSOR_RAW_DATA = 4;
    static final int TENSOR_EXTERNAL_OFFSET = 6;
    // OptimizerGroup
    static final int GROUP_NAME = 0;
    static final int GROUP_STEP = 1;
    static final int GROUP_INITIAL_LR = 2;
    static final int GROUP_STATES = 3;
    // ParameterOptimizerState
    static final int STATE_PARAM_NAME = 0;
    static final int STATE_MOMENTUMS = 1;
    // PropertyBag and the three property tables
    static final int BAG_INTS = 0;
    static final int BAG_FLOATS = 1;
    static final int BAG_STRINGS = 2;
    static final int PROPERTY_NAME = 0;
    static final int PROPERTY_VALUE = 1;

    /** Raw tensor bytes start on this boundary (SIMD-friendly when the file is mapped). */
    private static final int RAW_ALIGNMENT = 16;
    /** FlatBuffers addresses with signed 32-bit offsets; the Java builder cannot grow past this. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 64L;

    private CheckpointWriter() {
    }

    static ByteBuffer encode(Checkpoint c) {
        long estimate = estimate(c);
        if (estimate > MAX_BYTES) {
            throw new IllegalArgumentException("checkpoint needs about " + estimate + " bytes; the FlatBuffers format is"
                    + " limited to 2 GiB (ORT stores larger checkpoints with external data, which this writer does not"
                    + " produce)");
        }
        FlatBufferBuilder fb = new FlatBufferBuilder((int) estimate);
        int trainable = tensorVector(fb, c.trainable());
        int frozen = tensorVector(fb, c.frozen());
        fb.startTable(2);
        fb.addOffset(MODULE_REQUIRES_GRAD, trainable, 0);
        fb.addOffset(MODULE_FROZEN, frozen, 0);
        int module = fb.endTable();

        int groups = c.optimizer().isPresent() ? optimizerGroups(fb, c) : 0;
        int bag = propertyBag(fb, c.properties());

        fb.startTable(4);
        fb.addInt(CHECKPOINT_VERSION, Checkpoint.VERSION, 0);
        fb.addOffset(CHECKPOINT_MODULE_STATE, module, 0);
        if (groups != 0) {
            fb.addOffset(CHECKPOINT_OPTIMIZER_GROUPS, groups, 0);
        }
        fb.addOffset(CHECKPOINT_PROPERTY_BAG, bag, 0);
        int root = fb.endTable();
        fb.finish(root, Checkpoint.IDENTIFIER);
        return fb.dataBuffer().slice().order(java.nio.ByteOrder.LITTLE_ENDIAN);
    }

    /** Writes {@code file} and its checksum file ({@link CheckpointSeal#commit}). */
    static void write(Checkpoint c, Path file) throws IOException {
        ByteBuffer bytes = encode(c);
        Path abs = file.toAbsolutePath();
        Path tmp = TempFiles.partialBeside(abs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (bytes.hasRemaining()) {
                    ch.write(bytes);
                }
                ch.force(true);
            }
            CheckpointSeal.commit(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** An upper bound of the encoded size: payload plus generous per-object overhead. */
    private static long estimate(Checkpoint c) {
        long n = 1024;
        for (NamedTensor t : c.trainable()) {
            n += tensorBound(t.name(), t.data());
        }
        for (NamedTensor t : c.frozen()) {
            n += tensorBound(t.name(), t.data());
        }
        if (c.optimizer().isPresent()) {
            n += 256;
            for (Map.Entry<String, OptimizerState.Moments> e : c.optimizer().get().moments().entrySet()) {
                n += 64 + 4L * e.getKey().length();
                n += tensorBound(ArtifactNames.FIRST_MOMENT, e.getValue().first());
                n += tensorBound(ArtifactNames.SECOND_MOMENT, e.getValue().second());
            }
        }
        PropertyBag p = c.properties();
        for (String k : p.ints().keySet()) {
            n += 64 + 4L * k.length();
        }
        for (String k : p.floats().keySet()) {
            n += 64 + 4L * k.length();
        }
        for (Map.Entry<String, String> e : p.strings().entrySet()) {
            n += 64 + 4L * (e.getKey().length() + e.getValue().length());
        }
        return n;
    }

    private static long tensorBound(String name, TensorData t) {
        // table + vtable ~40, name (UTF-8 ≤ 4 bytes per char) + terminator + padding, dims, raw + alignment
        return 96 + 4L * name.length() + 8L * t.rank() + t.rawView().length + RAW_ALIGNMENT;
    }

    private static int tensorVector(FlatBufferBuilder fb, List<NamedTensor> tensors) {
        int[] offsets = new int[tensors.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = tensor(fb, tensors.get(i).name(), tensors.get(i).data());
        }
        return fb.createVectorOfTables(offsets);
    }

    private static int tensor(FlatBufferBuilder fb, String name, TensorData t) {
        int nameOff = fb.createString(name);
        long[] dims = t.dims();
        fb.startVector(8, dims.length, 8);
        for (int i = dims.length - 1; i >= 0; i--) {
            fb.addLong(dims[i]);
        }
        int dimsOff = fb.endVector();
        byte[] raw = t.rawView();
        fb.createUnintializedVector(1, raw.length, RAW_ALIGNMENT).put(raw);
        int rawOff = fb.endVector();
        fb.startTable(5);
        fb.addOffset(TENSOR_NAME, nameOff, 0);
        fb.addOffset(TENSOR_DIMS, dimsOff, 0);
        fb.addInt(TENSOR_DATA_TYPE, t.type().onnxCode(), 0);
        fb.addOffset(TENSOR_RAW_DATA, rawOff, 0);
        return fb.endTable();
    }

    private static int optimizerGroups(FlatBufferBuilder fb, Checkpoint c) {
        OptimizerState s = c.optimizer().orElseThrow();
        int[] states = new int[s.moments().size()];
        int i = 0;
        for (Map.Entry<String, OptimizerState.Moments> e : s.moments().entrySet()) {
            int m0 = tensor(fb, ArtifactNames.FIRST_MOMENT, e.getValue().first());
            int m1 = tensor(fb, ArtifactNames.SECOND_MOMENT, e.getValue().second());
            int momentums = fb.createVectorOfTables(new int[] {m0, m1});
            int name = fb.createString(e.getKey());
            fb.startTable(2);
            fb.addOffset(STATE_PARAM_NAME, name, 0);
            fb.addOffset(STATE_MOMENTUMS, momentums, 0);
            states[i++] = fb.endTable();
        }
        int statesVec = fb.createVectorOfTables(states);
        int groupName = fb.createString(ArtifactNames.OPTIMIZER_GROUP);
        fb.startTable(4);
        fb.addOffset(GROUP_NAME, groupName, 0);
        fb.addLong(GROUP_STEP, s.step(), 0);
        fb.addFloat(GROUP_INITIAL_LR, s.initialLearningRate(), 0);
        fb.addOffset(GROUP_STATES, statesVec, 0);
        int group = fb.endTable();
        return fb.createVectorOfTables(new int[] {group});
    }

    private static int propertyBag(FlatBufferBuilder fb, PropertyBag p) {
        int[] ints = new int[p.ints().size()];
        int i = 0;
        for (Map.Entry<String, Long> e : p.ints().entrySet()) {
            int name = fb.createString(e.getKey());
            fb.startTable(2);
            fb.addOffset(PROPERTY_NAME, name, 0);
            fb.addLong(PROPERTY_VALUE, e.getValue(), 0);
            ints[i++] = fb.endTable();
        }
        int[] floats = new int[p.floats().size()];
        i = 0;
        for (Map.Entry<String, Float> e : p.floats().entrySet()) {
            int name = fb.createString(e.getKey());
            fb.startTable(2);
            fb.addOffset(PROPERTY_NAME, name, 0);
            fb.addFloat(PROPERTY_VALUE, e.getValue(), 0);
            floats[i++] = fb.endTable();
        }
        int[] strings = new int[p.strings().size()];
        i = 0;
        for (Map.Entry<String, String> e : p.strings().entrySet()) {
            int name = fb.createString(e.getKey());
            int value = fb.createString(e.getValue());
            fb.startTable(2);
            fb.addOffset(PROPERTY_NAME, name, 0);
            fb.addOffset(PROPERTY_VALUE, value, 0);
            strings[i++] = fb.endTable();
        }
        int intsVec = fb.createVectorOfTables(ints);
        int floatsVec = fb.createVectorOfTables(floats);
        int stringsVec = fb.createVectorOfTables(strings);
        fb.startTable(3);
        fb.addOffset(BAG_INTS, intsVec, 0);
        fb.addOffset(BAG_FLOATS, floatsVec, 0);
        fb.addOffset(BAG_STRINGS, stringsVec, 0);
        return fb.endTable();
    }
}
