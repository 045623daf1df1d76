package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.serving.SharedPrefix;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cuts an adapter graph at its injection layer m into a shared prefix and a per-task suffix, so
 * that a server asking several tasks about one text runs the prefix once
 * ({@link dev.idspam.serving.MultiTaskPredictor}).
 *
 * <p>The cut: the prefix is every node named {@code encoder/embeddings/…} or
 * {@code encoder/layerJ/…} (or {@code fused/layerJ/…}) with J &lt; m ({@code decoder/embeddings/…} and {@code decoder/blockJ/…} on
 * a GPT-2 backbone), plus every node those depend on; the suffix is the rest
 * (the method's prompt generator, layers m.., the head). All prefix nodes read frozen weights only,
 * so every adapter of one backbone, method family and layer gets the same prefix graph, byte for
 * byte: it is written once into the {@code backbones} folder as {@code prefix-<sha256>.onnx}, its
 * frozen initializers staying external references to the backbone weights file (serving supplies
 * them, as for the adapter graph). The boundary is the list of prefix outputs the suffix reads, in
 * node order; for ID-SPAM on MiniLM at m = 3: the word embeddings {@code [rows, len, hidden]} (the
 * prompt generator's input), the hidden states after layer m-1 {@code [rows, len, hidden]}, the
 * float attention mask {@code [rows, len]} and the additive attention bias
 * {@code [rows, 1, 1, len]} — the mask-derived tensors are computed once in the prefix and never
 * again in the suffix. Boundary element types are propagated from the graph inputs, the
 * initializers and Cast/Shape nodes; other nodes keep their first input's type.
 *
 * <p>Crash-safety: both files are written with {@link AtomicFiles} (temp + rename); an existing
 * prefix file with the right digest is kept as it is.
 */
final class PrefixExport {
    /**
     * Layer J of an encoder ({@code encoder/layerJ/…}, or {@code fused/layerJ/…} once {@link FusedGraph}
     * rewrote it) or block J of a GPT-2 decoder ({@code decoder/blockJ/…}).
     */
    private static final Pattern LAYER = Pattern.compile("(?:encoder/layer|fused/layer|decoder/block)(\\d+)/.*");
    private static final Pattern EMBEDDINGS = Pattern.compile("(?:encoder|decoder)/embeddings/.*");
    /** The folder the prefix's external references name; see {@link #unresolvable}. */
    private static final String SUPPLIED = "supplied-at-load";

    private PrefixExport() {
    }

    /** What a cut wrote: the prefix file, its digest, the suffix graph's bytes and digest, and the boundary. */
    record Result(Path prefixFile, String prefixSha256, byte[] suffix, String suffixSha256, int layer, List<String> boundary) {
        /** The same cut with another serialisation of its suffix graph (its initializers moved out). */
        Result withSuffix(byte[] rewritten) {
            return new Result(prefixFile, prefixSha256, rewritten, sha256(rewritten), layer, boundary);
        }
    }

    /**
     * Cuts the adapter graph {@code adapterModel} at layer {@code m}; writes the prefix into
     * {@code folder} (the shared backbones folder) and returns the suffix bytes for the bundle.
     */
    static Result cut(Path adapterModel, int m, Path folder) throws IOException {
        OnnxMl.ModelProto model;
        try (InputStream in = Files.newInputStream(adapterModel)) {
            model = OnnxMl.ModelProto.parseFrom(in);
        }
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, Integer> producer = new HashMap<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            for (String o : g.getNode(i).getOutputList()) {
                producer.put(o, i);
            }
        }
        Set<Integer> inPrefix = new HashSet<>();
        for (int i = g.getNodeCount() - 1; i >= 0; i--) {
            OnnxMl.NodeProto n = g.getNode(i);
            Matcher lm = LAYER.matcher(n.getName());
            if (EMBEDDINGS.matcher(n.getName()).matches() || (lm.matches() && Integer.parseInt(lm.group(1)) < m)) {
                addWithAncestors(g, i, producer, inPrefix);
            }
        }
        if (inPrefix.isEmpty()) {
            throw new IOException(adapterModel + ": no node named encoder/embeddings/… or decoder/embeddings/… in the exported graph; cannot cut a"
                    + " shared prefix");
        }
        Map<String, Integer> types = types(g);
        Set<String> graphOutputs = new HashSet<>();
        g.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
        Set<String> suffixReads = new LinkedHashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (!inPrefix.contains(i)) {
                suffixReads.addAll(g.getNode(i).getInputList());
            }
        }
        List<String> boundary = new ArrayList<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (inPrefix.contains(i)) {
                for (String o : g.getNode(i).getOutputList()) {
                    if (suffixReads.contains(o) || graphOutputs.contains(o)) {
                        if (types.getOrDefault(o, 0) == 0) {
                            throw new IOException(adapterModel + ": cannot tell the element type of boundary tensor '" + o + "'");
                        }
                        boundary.add(o);
                    }
                }
            }
        }
        byte[] prefix = part(model, g, inPrefix, true, boundary, types).toByteArray();
        byte[] suffix = part(model, g, inPrefix, false, boundary, types).toByteArray();
        String prefixSha = sha256(prefix);
        Files.createDirectories(folder);
        Path prefixFile = folder.resolve(SharedPrefix.fileName(prefixSha));
        if (!Files.isRegularFile(prefixFile) || !prefixSha.equals(TokenizerFiles.sha256(prefixFile))) {
            AtomicFiles.write(prefixFile, prefix);
        }
        return new Result(prefixFile, prefixSha, suffix, sha256(suffix), m, List.copyOf(boundary));
    }

    /** The {@code shared_prefix} object of the bundle's {@code bundle.json}. */
    static JsonObject describe(Result r) {
        JsonObject o = new JsonObject();
        o.addProperty("file", r.prefixFile().getFileName().toString());
        o.addProperty("sha256", r.prefixSha256());
        o.addProperty("layer", r.layer());
        JsonArray b = new JsonArray();
        r.boundary().forEach(b::add);
        o.add("boundary", b);
        o.addProperty("suffix", SharedPrefix.SUFFIX_MODEL);
        o.addProperty("suffix_sha256", r.suffixSha256());
        return o;
    }

    private static Map<String, Integer> types(OnnxMl.GraphProto g) {
        Map<String, Integer> types = new HashMap<>();
        g.getInputList().forEach(v -> types.put(v.getName(), v.getType().getTensorType().getElemType()));
        g.getInitializerList().forEach(t -> types.put(t.getName(), t.getDataType()));
        for (OnnxMl.NodeProto n : g.getNodeList()) {
            int type;
            if (n.getOpType().equals("Cast")) {
                type = (int) n.getAttributeList().stream().filter(a -> a.getName().equals("to")).findFirst()
                        .map(OnnxMl.AttributeProto::getI).orElse(0L).longValue();
            } else if (n.getOpType().equals("Shape")) {
                type = OnnxMl.TensorProto.DataType.INT64.getNumber();
            } else {
                type = n.getInputCount() == 0 ? 0 : types.getOrDefault(n.getInput(0), 0);
            }
            n.getOutputList().forEach(o -> types.put(o, type));
        }
        return types;
    }

    private static void addWithAncestors(OnnxMl.GraphProto g, int i, Map<String, Integer> producer, Set<Integer> set) {
        List<Integer> todo = new ArrayList<>(List.of(i));
        while (!todo.isEmpty()) {
            int k = todo.remove(todo.size() - 1);
            if (set.add(k)) {
                for (String in : g.getNode(k).getInputList()) {
                    Integer p = producer.get(in);
                    if (p != null) {
                        todo.add(p);
                    }
                }
            }
        }
    }

    /**
     * One side of the cut. The prefix's graph name, doc string and metadata are fixed, so that it
     * depends only on what it computes (and every adapter of that backbone and layer gets one file).
     */
    private static OnnxMl.ModelProto part(OnnxMl.ModelProto model, OnnxMl.GraphProto g, Set<Integer> inPrefix, boolean prefix,
                                          List<String> boundary, Map<String, Integer> types) {
        OnnxMl.GraphProto.Builder b = OnnxMl.GraphProto.newBuilder().setName(prefix ? "shared_prefix" : g.getName() + "_suffix");
        Set<String> reads = new HashSet<>();
        for (int i = 0; i < g.getNodeCount(); i++) {
            if (inPrefix.contains(i) == prefix) {
                b.addNode(g.getNode(i));
                reads.addAll(g.getNode(i).getInputList());
            }
        }
        g.getInitializerList().stream().filter(t -> reads.contains(t.getName())).map(t -> prefix ? unresolvable(t) : t)
                .forEach(b::addInitializer);
        g.getInputList().stream().filter(v -> reads.contains(v.getName())).forEach(b::addInput);
        if (prefix) {
            boundary.forEach(n -> b.addOutput(typed(n, types.get(n))));
            return model.toBuilder().clearDocString().clearMetadataProps().setGraph(b).build();
        }
        boundary.stream().filter(reads::contains).forEach(n -> b.addInput(typed(n, types.get(n))));
        b.addAllOutput(g.getOutputList());
        return model.toBuilder().setGraph(b).build();
    }

    /**
     * The prefix sits beside the weights file, so its external references would resolve to it; ONNX
     * Runtime then checks that path even though serving supplies the tensors, and refuses a weights
     * file that is a symbolic link out of the folder. The prefix's references name the file under a
     * folder that does not exist ({@value #SUPPLIED}), so nothing is resolved; the data always comes
     * from the loaded weights file.
     */
    private static OnnxMl.TensorProto unresolvable(OnnxMl.TensorProto t) {
        if (t.getDataLocation() != OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            return t;
        }
        OnnxMl.TensorProto.Builder b = t.toBuilder().clearExternalData();
        for (OnnxMl.StringStringEntryProto e : t.getExternalDataList()) {
            b.addExternalData(e.getKey().equals("location") ? e.toBuilder().setValue(SUPPLIED + "/" + e.getValue()).build() : e);
        }
        return b.build();
    }

    private static OnnxMl.ValueInfoProto typed(String name, int elemType) {
        return OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(elemType))).build();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
