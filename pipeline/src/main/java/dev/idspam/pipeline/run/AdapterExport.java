package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.serving.AdapterTensors;
import dev.idspam.serving.BackboneWeights;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Splits an exported inference model into an adapter graph and the frozen backbone weights it runs
 * over. The frozen initializers leave the graph for a safetensors file named by its SHA-256; in the
 * graph each stays as a name, type and shape whose data is marked external (pointing into that
 * file: safetensors data is raw little-endian, so the file is also valid ONNX external data), and
 * at load time serving supplies the tensors ({@link dev.idspam.serving.BackboneWeightsStore}).
 *
 * <p>One file per backbone: it holds only frozen tensors, sorted by name and laid out the same way
 * every time, so every adapter of one backbone (and method family) produces the same bytes and
 * digest, and an existing file with that name is reused rather than written again.
 */
final class AdapterExport {
    private static final int ALIGN = 8;

    private AdapterExport() {
    }

    /** What a split wrote. */
    record Result(Path weightsFile, String sha256, List<String> initializers, long weightBytes) { }

    /**
     * Rewrites {@code model} in place as the adapter graph and writes its weights file into
     * {@code weightsFolder} (created if missing). {@code frozen}: the names of the frozen parameters;
     * {@code named}: the file errors name (the bundle's model, which {@code model} will become).
     */
    static Result split(Path model, Path named, Set<String> frozen, Path weightsFolder) throws IOException {
        OnnxMl.ModelProto m;
        try (InputStream in = Files.newInputStream(model)) {
            m = OnnxMl.ModelProto.parseFrom(in);
        }
        OnnxMl.GraphProto g = m.getGraph();
        TreeMap<String, OnnxMl.TensorProto> moved = new TreeMap<>();
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (frozen.contains(t.getName())) {
                if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()) {
                    throw new IOException(named + ": frozen initializer '" + t.getName() + "' is not float32; adapter"
                            + " export supports float32 backbones only");
                }
                moved.put(t.getName(), t);
            }
        }
        if (moved.isEmpty()) {
            throw new IOException(named + ": no frozen backbone weights in the exported graph; --adapter needs a method"
                    + " that freezes the backbone");
        }
        Safetensors st = safetensors(moved);
        String sha = st.sha256();
        Files.createDirectories(weightsFolder);
        Path weights = weightsFolder.resolve(BackboneWeights.fileName(sha));
        if (!Files.isRegularFile(weights) || !sha.equals(TokenizerFiles.sha256(weights))) {
            AtomicFiles.write(weights, st.bytes());
        }
        long dataStart = st.dataStart();
        List<byte[]> data = st.data();
        long offset = st.dataBytes();

        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearInitializer();
        long at = dataStart;
        for (OnnxMl.TensorProto t : g.getInitializerList()) {
            if (!moved.containsKey(t.getName())) {
                gb.addInitializer(t);
            }
        }
        int k = 0;
        for (OnnxMl.TensorProto t : moved.values()) {
            long n = data.get(k++).length;
            gb.addInitializer(external(t, weights.getFileName().toString(), at, n));
            at += n;
        }
        // graphs of older IR versions may list initializers as inputs too; a moved one stays an initializer only
        List<OnnxMl.ValueInfoProto> inputs = new ArrayList<>(gb.getInputList());
        inputs.removeIf(v -> moved.containsKey(v.getName()));
        gb.clearInput().addAllInput(inputs);
        byte[] adapter = m.toBuilder().setGraph(gb).build().toByteArray();
        AtomicFiles.write(model, adapter);
        return new Result(weights, sha, List.copyOf(moved.keySet()), dataStart + offset);
    }

    /** What {@link #externalizeTrained} did: the rewritten suffix graph, the tensors file's digest, and the tensors moved. */
    record Trained(byte[] suffix, String sha256, List<String> names, long bytes) { }

    /**
     * Keeps the trained tensors of an adapter bundle with a shared prefix once: every inline float32
     * initializer of at least {@value #MIN_EXTERNAL_BYTES} bytes that the suffix graph and the adapter
     * graph {@code model} both hold (byte for byte) goes to {@link AdapterTensors#FILE} in
     * {@code bundleDir}, and both graphs refer to it as ONNX external data. {@code model} is rewritten
     * in place; the rewritten suffix is returned for the caller to write. Returns null when nothing
     * qualifies (the graphs are left as they are).
     */
    static Trained externalizeTrained(Path model, byte[] suffix, Path bundleDir) throws IOException {
        OnnxMl.ModelProto m;
        try (InputStream in = Files.newInputStream(model)) {
            m = OnnxMl.ModelProto.parseFrom(in);
        }
        OnnxMl.ModelProto sfx = OnnxMl.ModelProto.parseFrom(suffix);
        java.util.Map<String, OnnxMl.TensorProto> inModel = new java.util.HashMap<>();
        m.getGraph().getInitializerList().forEach(t -> inModel.put(t.getName(), t));
        TreeMap<String, OnnxMl.TensorProto> moved = new TreeMap<>();
        for (OnnxMl.TensorProto t : sfx.getGraph().getInitializerList()) {
            if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT.getNumber()
                    || t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
                continue;
            }
            byte[] raw = rawLittleEndian(t);
            OnnxMl.TensorProto twin = inModel.get(t.getName());
            if (raw.length < MIN_EXTERNAL_BYTES || twin == null) {
                continue;
            }
            if (!java.util.Arrays.equals(raw, rawLittleEndian(twin))) {
                throw new IOException(model + ": initializer '" + t.getName() + "' differs between the adapter graph and"
                        + " its suffix; the cut must not change a tensor");
            }
            moved.put(t.getName(), t);
        }
        if (moved.isEmpty()) {
            return null;
        }
        Safetensors st = safetensors(moved);
        AtomicFiles.write(bundleDir.resolve(AdapterTensors.FILE), st.bytes());
        java.util.Map<String, OnnxMl.TensorProto> refs = new java.util.HashMap<>();
        long at = st.dataStart();
        int k = 0;
        for (OnnxMl.TensorProto t : moved.values()) {
            long n = st.data().get(k++).length;
            refs.put(t.getName(), external(t, AdapterTensors.FILE, at, n));
            at += n;
        }
        AtomicFiles.write(model, withInitializers(m, refs).toByteArray());
        return new Trained(withInitializers(sfx, refs).toByteArray(), st.sha256(), List.copyOf(moved.keySet()),
                st.bytes().length);
    }

    /** Initializers smaller than this (shape constants, biases of a few classes) stay inside the graphs. */
    private static final int MIN_EXTERNAL_BYTES = 1024;

    private static OnnxMl.ModelProto withInitializers(OnnxMl.ModelProto m, java.util.Map<String, OnnxMl.TensorProto> replaced) {
        OnnxMl.GraphProto.Builder gb = m.getGraph().toBuilder().clearInitializer();
        for (OnnxMl.TensorProto t : m.getGraph().getInitializerList()) {
            gb.addInitializer(replaced.getOrDefault(t.getName(), t));
        }
        return m.toBuilder().setGraph(gb).build();
    }

    /** The tensor as an ONNX external-data reference: {@code length} bytes at {@code offset} of {@code location}. */
    private static OnnxMl.TensorProto external(OnnxMl.TensorProto t, String location, long offset, long length) {
        return OnnxMl.TensorProto.newBuilder().setName(t.getName()).setDataType(t.getDataType())
                .addAllDims(t.getDimsList()).setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", Long.toString(length))).build();
    }

    /** A safetensors file's bytes: the data of each tensor in name order, and where the data starts. */
    private record Safetensors(byte[] bytes, String sha256, long dataStart, List<byte[]> data, long dataBytes) { }

    /** Lays {@code tensors} (float32) out as a safetensors file: u64 header length, JSON header padded with spaces to 8 bytes, data. */
    private static Safetensors safetensors(TreeMap<String, OnnxMl.TensorProto> tensors) throws IOException {
        JsonObject header = new JsonObject();
        long offset = 0;
        List<byte[]> data = new ArrayList<>();
        for (OnnxMl.TensorProto t : tensors.values()) {
            byte[] raw = rawLittleEndian(t);
            JsonObject e = new JsonObject();
            e.addProperty("dtype", "F32");
            JsonArray shape = new JsonArray();
            t.getDimsList().forEach(shape::add);
            e.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offsets.add(offset + raw.length);
            e.add("data_offsets", offsets);
            header.add(t.getName(), e);
            data.add(raw);
            offset += raw.length;
        }
        byte[] headerBytes = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (headerBytes.length + ALIGN - 1) / ALIGN * ALIGN;
        byte[] headerPadded = new byte[padded];
        java.util.Arrays.fill(headerPadded, (byte) ' ');
        System.arraycopy(headerBytes, 0, headerPadded, 0, headerBytes.length);
        long dataStart = 8L + padded;
        ByteBuffer file = ByteBuffer.allocate(Math.toIntExact(dataStart + offset));
        file.put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded).array()).put(headerPadded);
        data.forEach(file::put);
        byte[] bytes = file.array();
        MessageDigest md = sha256();
        return new Safetensors(bytes, HexFormat.of().formatHex(md.digest(bytes)), dataStart, data, offset);
    }

    /** The {@code adapter_tensors} object of the bundle's {@code bundle.json}. */
    static JsonObject describe(Trained t) {
        JsonObject o = new JsonObject();
        o.addProperty("file", AdapterTensors.FILE);
        o.addProperty("sha256", t.sha256());
        JsonArray names = new JsonArray();
        t.names().forEach(names::add);
        o.add("tensors", names);
        return o;
    }

    private static OnnxMl.StringStringEntryProto entry(String key, String value) {
        return OnnxMl.StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }

    /** The tensor's float32 data as little-endian bytes, whether stored as raw data or as a float list. */
    private static byte[] rawLittleEndian(OnnxMl.TensorProto t) throws IOException {
        long count = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, Math::multiplyExact);
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw new IOException("initializer '" + t.getName() + "' is stored outside the exported model; expected it inside");
        }
        byte[] raw;
        if (!t.getRawData().isEmpty()) {
            raw = t.getRawData().toByteArray();
        } else {
            ByteBuffer b = ByteBuffer.allocate(4 * t.getFloatDataCount()).order(ByteOrder.LITTLE_ENDIAN);
            t.getFloatDataList().forEach(b::putFloat);
            raw = b.array();
        }
        if (raw.length != 4 * count) {
            throw new IOException("initializer '" + t.getName() + "' holds " + raw.length + " bytes for " + count + " floats");
        }
        return raw;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The {@code backbone_weights} object of the adapter bundle's {@code bundle.json}. */
    static JsonObject describe(Result r, ModelInfo.BackboneInfo backbone) {
        JsonObject o = new JsonObject();
        o.addProperty("file", r.weightsFile().getFileName().toString());
        o.addProperty("sha256", r.sha256());
        o.addProperty("backbone_id", backbone.id() != null ? backbone.id() : "unknown");
        if (backbone.maven() != null) {
            o.addProperty("maven", backbone.maven());
        }
        JsonArray names = new JsonArray();
        r.initializers().forEach(names::add);
        o.add("initializers", names);
        return o;
    }
}
