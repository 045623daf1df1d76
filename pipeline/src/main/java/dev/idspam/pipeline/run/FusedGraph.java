package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites each encoder layer of an exported inference graph into ONNX Runtime's fused contrib ops
 * ({@code com.microsoft} domain, portable: no machine-specific layout is stored):
 * <pre>
 *   plain (EncoderBuilder, per layer i, X [B, T, n], additive mask (1 − mask)·(−10000)):
 *     Q,K,V = X·W + b;  A = softmax(Q·Kᵀ/√d_h + mask)·V  (per head, with 8 Reshape/Transpose)
 *     Y = LN(X + A·Wo + bo);  Z = LN(Y + GELU(Y·Wi + bi)·Wf + bf)
 *   fused:
 *     A = Attention(X, [Wq|Wk|Wv] [n, 3n], [bq|bk|bv] [3n], int32(mask) [B, T]; num_heads)
 *     Y = SkipLayerNormalization(A·Wo, X, γ1, β1, bo)
 *     Z = SkipLayerNormalization(BiasGelu(Y·Wi, bi)·Wf, Y, γ2, β2, bf)
 * </pre>
 * The same math: Attention scales Q·Kᵀ by 1/√d_h and adds −10000 where the raw mask is 0 (the
 * plain graph's additive mask), BiasGelu is the exact erf GELU, SkipLayerNormalization is
 * LN(input + skip + bias) with the layer's epsilon. Layers are found by their weights' canonical
 * names ({@code layer.i.attn.q.w} …) and the graph's edges, not by node order; Y and Z keep their
 * names, so everything after a layer (the injection, the next layer, the head) is untouched. A
 * last layer built for the head's row alone (queries from one row, keys and values from all) stays
 * plain. A layer that does not have exactly the plain structure is refused, naming it.
 */
final class FusedGraph {
    static final String MS_DOMAIN = "com.microsoft";
    private static final int FLOAT = OnnxMl.TensorProto.DataType.FLOAT.getNumber();

    private FusedGraph() {
    }

    /** The fused model; {@code heads} is the backbone's attention head count. */
    static OnnxMl.ModelProto rewrite(OnnxMl.ModelProto model, int layers, int heads) {
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.TensorProto> inits = new LinkedHashMap<>();
        g.getInitializerList().forEach(t -> inits.put(t.getName(), t));
        List<OnnxMl.NodeProto> nodes = new ArrayList<>(g.getNodeList());
        Map<String, String> maskCasts = new HashMap<>();
        List<OnnxMl.NodeProto> added = new ArrayList<>();
        for (int i = 0; i < layers; i++) {
            fuseLayer(i, heads, nodes, inits, maskCasts, added);
        }
        nodes.addAll(added);
        List<OnnxMl.NodeProto> sorted = topological(nodes, g);
        Set<String> read = new HashSet<>();
        sorted.forEach(n -> read.addAll(n.getInputList()));
        g.getOutputList().forEach(o -> read.add(o.getName()));
        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearNode().addAllNode(sorted).clearInitializer();
        inits.values().stream().filter(t -> read.contains(t.getName())).forEach(gb::addInitializer);
        return withMsDomain(model.toBuilder().setGraph(gb)).build();
    }

    /** {@code mb} importing the {@code com.microsoft} operator set (version 1) if it does not already. */
    static OnnxMl.ModelProto.Builder withMsDomain(OnnxMl.ModelProto.Builder mb) {
        if (mb.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
            mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        }
        return mb;
    }

    private static void fuseLayer(int i, int heads, List<OnnxMl.NodeProto> nodes, Map<String, OnnxMl.TensorProto> inits,
                                  Map<String, String> maskCasts, List<OnnxMl.NodeProto> added) {
        String p = "layer." + i + ".";
        Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto n : nodes) {
            n.getInputList().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(o -> producer.put(o, n));
        }
        OnnxMl.NodeProto qMat = matMulOf(nodes, p + "attn.q.w", i);
        OnnxMl.NodeProto kMat = matMulOf(nodes, p + "attn.k.w", i);
        OnnxMl.NodeProto vMat = matMulOf(nodes, p + "attn.v.w", i);
        String x = qMat.getInput(0);
        OnnxMl.NodeProto rows = producer.get(x);
        if (rows != null && rows.getOpType().equals("Slice") && rows.getName().startsWith("encoder/layer" + i + "/")
                && kMat.getInput(0).equals(rows.getInput(0)) && vMat.getInput(0).equals(rows.getInput(0))) {
            // the last layer built for the head's row alone (EncoderBuilder, one read token): one query against
            // all keys, which Attention cannot express; it stays plain (ONNX Runtime's own fusion still applies)
            return;
        }
        if (!kMat.getInput(0).equals(x) || !vMat.getInput(0).equals(x)) {
            throw refuse(i, "Q, K and V do not read the same hidden states");
        }
        // the scores' additive mask: Mul(Sub(1, Unsqueeze(Cast(mask))), −10000); take the raw mask
        OnnxMl.NodeProto softmax = nodes.stream().filter(n -> n.getOpType().equals("Softmax")
                && n.getName().startsWith("encoder/layer" + i + "/")).findFirst().orElseThrow(() -> refuse(i, "no Softmax"));
        OnnxMl.NodeProto scoresAdd = producer.get(softmax.getInput(0));
        String additive = scoresAdd.getInput(1);
        String rawMask = rawMask(additive, producer, i);
        OnnxMl.NodeProto oMat = matMulOf(nodes, p + "attn.out.w", i);
        OnnxMl.NodeProto oAdd = only(consumers, oMat.getOutput(0), "Add", i);
        OnnxMl.NodeProto res1 = only(consumers, oAdd.getOutput(0), "Add", i);
        OnnxMl.NodeProto ln1 = only(consumers, res1.getOutput(0), "LayerNormalization", i);
        if (!res1.getInputList().contains(x)) {
            throw refuse(i, "the attention residual does not add the layer input");
        }
        OnnxMl.NodeProto iMat = matMulOf(nodes, p + "ffn.in.w", i);
        OnnxMl.NodeProto fMat = matMulOf(nodes, p + "ffn.out.w", i);
        OnnxMl.NodeProto fAdd = only(consumers, fMat.getOutput(0), "Add", i);
        OnnxMl.NodeProto res2 = only(consumers, fAdd.getOutput(0), "Add", i);
        OnnxMl.NodeProto ln2 = only(consumers, res2.getOutput(0), "LayerNormalization", i);
        String y = ln1.getOutput(0);
        if (!iMat.getInput(0).equals(y) || !res2.getInputList().contains(y)) {
            throw refuse(i, "the feed-forward block does not read the attention block's output");
        }

        // weights: [Wq|Wk|Wv] along the output axis, and the biases likewise
        int n = (int) dims(inits, p + "attn.q.w", i)[0];
        inits.put(p + "attn.qkv.w", concatColumns(p + "attn.qkv.w", n, i, inits, p + "attn.q.w", p + "attn.k.w", p + "attn.v.w"));
        inits.put(p + "attn.qkv.b", concatColumns(p + "attn.qkv.b", 1, i, inits, p + "attn.q.b", p + "attn.k.b", p + "attn.v.b"));
        String mask32 = maskCasts.computeIfAbsent(rawMask, m -> {
            String out = m + "_int32";
            added.add(OnnxMl.NodeProto.newBuilder().setName("fused/cast_" + m).setOpType("Cast").addInput(m).addOutput(out)
                    .addAttribute(intAttr("to", OnnxMl.TensorProto.DataType.INT32.getNumber())).build());
            return out;
        });
        String s = "fused/layer" + i + "/";
        added.add(ms(s + "Attention", "Attention", List.of(x, p + "attn.qkv.w", p + "attn.qkv.b", mask32), s + "context")
                .addAttribute(intAttr("num_heads", heads))
                .addAttribute(floatAttr("mask_filter_value", -10000f)).build());
        added.add(plain(s + "MatMul_out", "MatMul", List.of(s + "context", p + "attn.out.w"), s + "attn_out"));
        added.add(ms(s + "SkipLayerNorm", "SkipLayerNormalization",
                List.of(s + "attn_out", x, ln1.getInput(1), ln1.getInput(2), p + "attn.out.b"), y)
                .addAttribute(floatAttr("epsilon", epsilon(ln1))).build());
        added.add(plain(s + "MatMul_in", "MatMul", List.of(y, p + "ffn.in.w"), s + "ffn_in"));
        added.add(ms(s + "BiasGelu", "BiasGelu", List.of(s + "ffn_in", p + "ffn.in.b"), s + "gelu").build());
        added.add(plain(s + "MatMul_ffn_out", "MatMul", List.of(s + "gelu", p + "ffn.out.w"), s + "ffn_out"));
        added.add(ms(s + "SkipLayerNorm_1", "SkipLayerNormalization",
                List.of(s + "ffn_out", y, ln2.getInput(1), ln2.getInput(2), p + "ffn.out.b"), ln2.getOutput(0))
                .addAttribute(floatAttr("epsilon", epsilon(ln2))).build());

        // drop the layer's plain nodes; nothing outside the layer may read what they computed, except Y and Z
        String prefix = "encoder/layer" + i + "/";
        Set<String> dropped = new HashSet<>();
        nodes.removeIf(nd -> {
            if (nd.getName().startsWith(prefix)) {
                dropped.addAll(nd.getOutputList());
                return true;
            }
            return false;
        });
        dropped.remove(y);
        dropped.remove(ln2.getOutput(0));
        for (OnnxMl.NodeProto nd : nodes) {
            for (String in : nd.getInputList()) {
                if (dropped.contains(in)) {
                    throw refuse(i, "node " + nd.getName() + " outside the layer reads " + in);
                }
            }
        }
    }

    /** The raw mask behind an additive mask Mul(Sub(1, Unsqueeze(Cast(mask) or mask)), c). */
    private static String rawMask(String additive, Map<String, OnnxMl.NodeProto> producer, int i) {
        OnnxMl.NodeProto mul = producer.get(additive);
        OnnxMl.NodeProto sub = mul == null ? null : producer.get(mul.getInput(0));
        OnnxMl.NodeProto unsq = sub == null ? null : producer.get(sub.getInput(1));
        if (mul == null || !mul.getOpType().equals("Mul") || sub == null || !sub.getOpType().equals("Sub") || unsq == null
                || !unsq.getOpType().equals("Unsqueeze")) {
            throw refuse(i, "the attention mask is not (1 − mask)·c");
        }
        OnnxMl.NodeProto cast = producer.get(unsq.getInput(0));
        return cast != null && cast.getOpType().equals("Cast") ? cast.getInput(0) : unsq.getInput(0);
    }

    private static OnnxMl.NodeProto matMulOf(List<OnnxMl.NodeProto> nodes, String weight, int i) {
        List<OnnxMl.NodeProto> found = nodes.stream().filter(n -> n.getOpType().equals("MatMul") && n.getInputCount() == 2
                && n.getInput(1).equals(weight)).toList();
        if (found.size() != 1) {
            throw refuse(i, found.size() + " MatMul nodes read " + weight + ", expected 1");
        }
        return found.get(0);
    }

    private static OnnxMl.NodeProto only(Map<String, List<OnnxMl.NodeProto>> consumers, String value, String op, int i) {
        List<OnnxMl.NodeProto> c = consumers.getOrDefault(value, List.of());
        if (c.size() != 1 || !c.get(0).getOpType().equals(op)) {
            throw refuse(i, value + " is read by " + c.stream().map(OnnxMl.NodeProto::getOpType).toList() + ", expected one " + op);
        }
        return c.get(0);
    }

    private static long[] dims(Map<String, OnnxMl.TensorProto> inits, String name, int i) {
        OnnxMl.TensorProto t = inits.get(name);
        if (t == null || t.getDataType() != FLOAT || t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw refuse(i, "weight " + name + " is not a float32 initializer stored in the graph");
        }
        return t.getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** Concatenates 2-D [rows, c_k] (or 1-D [c_k], rows = 1) float tensors along the last axis. */
    private static OnnxMl.TensorProto concatColumns(String name, int rows, int i, Map<String, OnnxMl.TensorProto> inits,
                                                    String... parts) {
        List<float[]> data = new ArrayList<>();
        int total = 0;
        for (String part : parts) {
            dims(inits, part, i);
            float[] f = floats(inits.get(part));
            data.add(f);
            total += f.length / rows;
        }
        float[] out = new float[rows * total];
        int at = 0;
        for (float[] f : data) {
            int cols = f.length / rows;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(f, r * cols, out, r * total + at, cols);
            }
            at += cols;
        }
        ByteBuffer b = ByteBuffer.allocate(out.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(out);
        OnnxMl.TensorProto.Builder t = OnnxMl.TensorProto.newBuilder().setName(name).setDataType(FLOAT)
                .setRawData(ByteString.copyFrom(b.array()));
        if (rows == 1 && inits.get(parts[0]).getDimsCount() == 1) {
            t.addDims(total);
        } else {
            t.addDims(rows).addDims(total);
        }
        return t.build();
    }

    /** A float32 initializer's values, stored as raw little-endian data or as a float list. */
    static float[] floats(OnnxMl.TensorProto t) {
        if (!t.getRawData().isEmpty()) {
            float[] f = new float[t.getRawData().size() / 4];
            t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(f);
            return f;
        }
        float[] f = new float[t.getFloatDataCount()];
        for (int k = 0; k < f.length; k++) {
            f[k] = t.getFloatData(k);
        }
        return f;
    }

    private static float epsilon(OnnxMl.NodeProto ln) {
        return ln.getAttributeList().stream().filter(a -> a.getName().equals("epsilon")).findFirst()
                .map(OnnxMl.AttributeProto::getF).orElse(1e-5f);
    }

    private static OnnxMl.NodeProto.Builder ms(String name, String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).setDomain(MS_DOMAIN).addAllInput(inputs).addOutput(output);
    }

    private static OnnxMl.NodeProto plain(String name, String op, List<String> inputs, String output) {
        return OnnxMl.NodeProto.newBuilder().setName(name).setOpType(op).addAllInput(inputs).addOutput(output).build();
    }

    private static OnnxMl.AttributeProto intAttr(String name, long v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.INT).setI(v).build();
    }

    private static OnnxMl.AttributeProto floatAttr(String name, float v) {
        return OnnxMl.AttributeProto.newBuilder().setName(name).setType(OnnxMl.AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    private static IllegalArgumentException refuse(int layer, String why) {
        return new IllegalArgumentException("cannot fuse encoder layer " + layer + ": " + why + "; export with --plain");
    }

    /** A topological order that keeps the given order wherever the edges allow (Kahn, smallest index first). */
    private static List<OnnxMl.NodeProto> topological(List<OnnxMl.NodeProto> nodes, OnnxMl.GraphProto g) {
        Map<String, Integer> producer = new HashMap<>();
        for (int k = 0; k < nodes.size(); k++) {
            for (String o : nodes.get(k).getOutputList()) {
                producer.put(o, k);
            }
        }
        int[] pending = new int[nodes.size()];
        List<List<Integer>> next = new ArrayList<>();
        for (int k = 0; k < nodes.size(); k++) {
            next.add(new ArrayList<>());
        }
        for (int k = 0; k < nodes.size(); k++) {
            for (String in : new HashSet<>(nodes.get(k).getInputList())) {
                Integer src = producer.get(in);
                if (src != null && src != k) {
                    pending[k]++;
                    next.get(src).add(k);
                }
            }
        }
        java.util.PriorityQueue<Integer> ready = new java.util.PriorityQueue<>();
        for (int k = 0; k < nodes.size(); k++) {
            if (pending[k] == 0) {
                ready.add(k);
            }
        }
        List<OnnxMl.NodeProto> out = new ArrayList<>(nodes.size());
        while (!ready.isEmpty()) {
            int k = ready.poll();
            out.add(nodes.get(k));
            for (int j : next.get(k)) {
                if (--pending[j] == 0) {
                    ready.add(j);
                }
            }
        }
        if (out.size() != nodes.size()) {
            throw new IllegalStateException("the fused graph of " + g.getName() + " has a cycle");
        }
        return out;
    }
}
