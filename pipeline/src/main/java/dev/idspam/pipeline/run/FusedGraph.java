package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites each encoder layer of an exported inference graph around ONNX Runtime's fused contrib
 * ops ({@code com.microsoft} domain, portable: no machine-specific layout is stored), keeping every
 * weight tensor as it is, by name:
 * <pre>
 *   plain (EncoderBuilder, per layer i, X [B, T, n], additive mask (1 − mask)·(−10000)):
 *     Q,K,V = X·W + b;  A = softmax(Q·Kᵀ/√d_h + mask)·V  (per head, with 8 Reshape/Transpose)
 *     Y = LN(X + A·Wo + bo);  Z = LN(Y + GELU(Y·Wi + bi)·Wf + bf)
 *   fused:
 *     Q,K,V = X·W + b  (kept)
 *     A = MultiHeadAttention(Q, K, V, key_padding_mask = int32(mask); num_heads)
 *     Y = SkipLayerNormalization(A·Wo, X, γ1, β1, bo)
 *     Z = SkipLayerNormalization(BiasGelu(Y·Wi, bi)·Wf, Y, γ2, β2, bf)
 * </pre>
 * The same math: MultiHeadAttention scales Q·Kᵀ by 1/√d_h and adds −10000 where the mask is 0 (the
 * plain graph's additive mask), BiasGelu is the exact erf GELU, SkipLayerNormalization is
 * LN(input + skip + bias) with the layer's epsilon. Because no weight is repacked, the rewrite
 * applies alike to full bundles, to adapter bundles (whose frozen weights are read from the shared
 * backbone file by name) and to the shared prefix and per-task suffix cut from them; and a last layer
 * built for the head's row alone (queries from one row, keys and values from all) is fused the same
 * way, MultiHeadAttention taking queries and keys of different lengths. Layers are found by their
 * weights' canonical names ({@code layer.i.attn.q.w} …) and the graph's edges, not by node order; Y
 * and Z keep their names, so everything after a layer (the injection, the next layer, the head) is
 * untouched. A layer whose projections a method changed (LoRA's deltas) stays plain; a layer that
 * is otherwise not the plain structure is refused, naming it.
 */
final class FusedGraph {
    static final String MS_DOMAIN = "com.microsoft";

    private FusedGraph() {
    }

    /** The fused model, and how many of its encoder layers were fused. */
    record Result(OnnxMl.ModelProto model, int fusedLayers) { }

    /** The fused model; {@code layers} and {@code heads} are the backbone's. */
    static Result rewrite(OnnxMl.ModelProto model, int layers, int heads) {
        OnnxMl.GraphProto g = model.getGraph();
        List<OnnxMl.NodeProto> nodes = new ArrayList<>(g.getNodeList());
        Map<String, String> maskCasts = new HashMap<>();
        List<OnnxMl.NodeProto> added = new ArrayList<>();
        int fused = 0;
        for (int i = 0; i < layers; i++) {
            fused += fuseLayer(i, heads, nodes, maskCasts, added) ? 1 : 0;
        }
        nodes.addAll(added);
        List<OnnxMl.NodeProto> sorted = topological(nodes, g);
        Set<String> read = new HashSet<>();
        sorted.forEach(n -> read.addAll(n.getInputList()));
        g.getOutputList().forEach(o -> read.add(o.getName()));
        OnnxMl.GraphProto.Builder gb = g.toBuilder().clearNode().addAllNode(sorted).clearInitializer();
        g.getInitializerList().stream().filter(t -> read.contains(t.getName())).forEach(gb::addInitializer);
        return new Result(withMsDomain(model.toBuilder().setGraph(gb)).build(), fused);
    }

    /** {@code mb} importing the {@code com.microsoft} operator set (version 1) if it does not already. */
    static OnnxMl.ModelProto.Builder withMsDomain(OnnxMl.ModelProto.Builder mb) {
        if (mb.getOpsetImportList().stream().noneMatch(o -> o.getDomain().equals(MS_DOMAIN))) {
            mb.addOpsetImport(OnnxMl.OperatorSetIdProto.newBuilder().setDomain(MS_DOMAIN).setVersion(1));
        }
        return mb;
    }

    /**
     * Layer i rewritten around ONNX Runtime's {@code MultiHeadAttention}, its weights kept:
     * <pre>
     *   Q = R·Wq + bq,  K = X·Wk + bk,  V = X·Wv + bv     (the plain products, kept; R = X, or the read row)
     *   A = MultiHeadAttention(Q, K, V, key_padding_mask = int32(mask); num_heads)   [B, T_q, n]
     *   Y = SkipLayerNormalization(A·Wo, R, γ1, β1, bo);  Z = SkipLayerNormalization(BiasGelu(Y·Wi, bi)·Wf, Y, γ2, β2, bf)
     * </pre>
     * MultiHeadAttention scales Q·Kᵀ by 1/√d_h (the plain graph's scaling of Q) and adds −10000 at
     * padded keys. Returns false, leaving the layer plain, where a method changed the projections
     * (LoRA's deltas sit between the product and the attention) or the layer is not in this graph.
     */
    private static boolean fuseLayer(int i, int heads, List<OnnxMl.NodeProto> nodes, Map<String, String> maskCasts,
                                     List<OnnxMl.NodeProto> added) {
        String p = "layer." + i + ".";
        Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        for (OnnxMl.NodeProto n : nodes) {
            n.getInputList().forEach(in -> consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n));
            n.getOutputList().forEach(o -> producer.put(o, n));
        }
        if (products(nodes, p + "attn.q.w").isEmpty()) {
            return false; // a prefix or suffix graph without this layer
        }
        OnnxMl.NodeProto qMat = matMulOf(nodes, p + "attn.q.w", i);
        OnnxMl.NodeProto kMat = matMulOf(nodes, p + "attn.k.w", i);
        OnnxMl.NodeProto vMat = matMulOf(nodes, p + "attn.v.w", i);
        String x = kMat.getInput(0);
        String rows = qMat.getInput(0);
        if (!vMat.getInput(0).equals(x)) {
            throw refuse(i, "K and V do not read the same hidden states");
        }
        if (!rows.equals(x)) {
            OnnxMl.NodeProto slice = producer.get(rows);
            if (slice == null || !slice.getOpType().equals("Slice") || !slice.getInput(0).equals(x)) {
                throw refuse(i, "Q reads neither the layer input nor one row of it");
            }
        }
        // each projection must be exactly MatMul → Add(bias) → (Q: Mul by 1/√d_h) → Reshape; anything else is a method's change
        OnnxMl.NodeProto qAdd = single(consumers, qMat.getOutput(0), "Add");
        OnnxMl.NodeProto kAdd = single(consumers, kMat.getOutput(0), "Add");
        OnnxMl.NodeProto vAdd = single(consumers, vMat.getOutput(0), "Add");
        if (qAdd == null || kAdd == null || vAdd == null || !qAdd.getInputList().contains(p + "attn.q.b")
                || !kAdd.getInputList().contains(p + "attn.k.b") || !vAdd.getInputList().contains(p + "attn.v.b")) {
            return false;
        }
        OnnxMl.NodeProto qScale = single(consumers, qAdd.getOutput(0), "Mul");
        if (qScale == null || single(consumers, qScale.getOutput(0), "Reshape") == null
                || single(consumers, kAdd.getOutput(0), "Reshape") == null
                || single(consumers, vAdd.getOutput(0), "Reshape") == null) {
            return false;
        }
        OnnxMl.NodeProto softmax = nodes.stream().filter(n -> n.getOpType().equals("Softmax")
                && n.getName().startsWith("encoder/layer" + i + "/")).findFirst().orElseThrow(() -> refuse(i, "no Softmax"));
        String rawMask = rawMask(producer.get(softmax.getInput(0)).getInput(1), producer, i);
        OnnxMl.NodeProto oMat = matMulOf(nodes, p + "attn.out.w", i);
        OnnxMl.NodeProto oAdd = only(consumers, oMat.getOutput(0), "Add", i);
        OnnxMl.NodeProto res1 = only(consumers, oAdd.getOutput(0), "Add", i);
        OnnxMl.NodeProto ln1 = only(consumers, res1.getOutput(0), "LayerNormalization", i);
        if (!res1.getInputList().contains(rows)) {
            throw refuse(i, "the attention residual does not add the layer input");
        }
        OnnxMl.NodeProto iMat = matMulOf(nodes, p + "ffn.in.w", i);
        OnnxMl.NodeProto fMat = matMulOf(nodes, p + "ffn.out.w", i);
        OnnxMl.NodeProto fAdd = only(consumers, fMat.getOutput(0), "Add", i);
        OnnxMl.NodeProto res2 = only(consumers, fAdd.getOutput(0), "Add", i);
        OnnxMl.NodeProto ln2 = only(consumers, res2.getOutput(0), "LayerNormalization", i);
        String y = ln1.getOutput(0);
        if (!iMat.getInput(0).equals(y) || !res2.getInputList().contains(y)
                || !oAdd.getInputList().contains(p + "attn.out.b") || !fAdd.getInputList().contains(p + "ffn.out.b")) {
            return false;
        }
        OnnxMl.NodeProto iAdd = single(consumers, iMat.getOutput(0), "Add");
        if (iAdd == null || !iAdd.getInputList().contains(p + "ffn.in.b")) {
            return false;
        }
        String mask32 = maskCasts.computeIfAbsent(rawMask, m -> {
            String out = m + "_int32";
            added.add(OnnxMl.NodeProto.newBuilder().setName("fused/cast_" + m).setOpType("Cast").addInput(m).addOutput(out)
                    .addAttribute(intAttr("to", OnnxMl.TensorProto.DataType.INT32.getNumber())).build());
            return out;
        });
        String s = "fused/layer" + i + "/";
        added.add(ms(s + "MultiHeadAttention", "MultiHeadAttention",
                List.of(qAdd.getOutput(0), kAdd.getOutput(0), vAdd.getOutput(0), "", mask32), s + "context")
                .addAttribute(intAttr("num_heads", heads))
                .addAttribute(floatAttr("mask_filter_value", -10000f)).build());
        added.add(plain(s + "MatMul_out", "MatMul", List.of(s + "context", p + "attn.out.w"), s + "attn_out"));
        added.add(ms(s + "SkipLayerNorm", "SkipLayerNormalization",
                List.of(s + "attn_out", rows, ln1.getInput(1), ln1.getInput(2), p + "attn.out.b"), y)
                .addAttribute(floatAttr("epsilon", epsilon(ln1))).build());
        added.add(plain(s + "MatMul_in", "MatMul", List.of(y, p + "ffn.in.w"), s + "ffn_in"));
        added.add(ms(s + "BiasGelu", "BiasGelu", List.of(s + "ffn_in", p + "ffn.in.b"), s + "gelu").build());
        added.add(plain(s + "MatMul_ffn_out", "MatMul", List.of(s + "gelu", p + "ffn.out.w"), s + "ffn_out"));
        added.add(ms(s + "SkipLayerNorm_1", "SkipLayerNormalization",
                List.of(s + "ffn_out", y, ln2.getInput(1), ln2.getInput(2), p + "ffn.out.b"), ln2.getOutput(0))
                .addAttribute(floatAttr("epsilon", epsilon(ln2))).build());

        // drop the layer's plain nodes but the kept projections (and the read-row Slice)
        Set<OnnxMl.NodeProto> kept = new HashSet<>(List.of(qMat, kMat, vMat, qAdd, kAdd, vAdd));
        if (!rows.equals(x)) {
            kept.add(producer.get(rows));
        }
        String prefix = "encoder/layer" + i + "/";
        Set<String> dropped = new HashSet<>();
        nodes.removeIf(nd -> {
            if (nd.getName().startsWith(prefix) && !kept.contains(nd)) {
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
        return true;
    }

    /** The one consumer of {@code value} when it has exactly one and it is {@code op}, else null. */
    private static OnnxMl.NodeProto single(Map<String, List<OnnxMl.NodeProto>> consumers, String value, String op) {
        List<OnnxMl.NodeProto> c = consumers.getOrDefault(value, List.of());
        return c.size() == 1 && c.get(0).getOpType().equals(op) ? c.get(0) : null;
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

    /** The MatMul nodes that multiply by the initializer {@code weight} (x·W). */
    static List<OnnxMl.NodeProto> products(List<OnnxMl.NodeProto> nodes, String weight) {
        return nodes.stream().filter(n -> n.getOpType().equals("MatMul") && n.getInputCount() == 2
                && n.getInput(1).equals(weight)).toList();
    }

    private static OnnxMl.NodeProto matMulOf(List<OnnxMl.NodeProto> nodes, String weight, int i) {
        List<OnnxMl.NodeProto> found = products(nodes, weight);
        if (found.size() != 1) {
            throw refuse(i, found.size() + " MatMul nodes read " + weight + ", expected 1");
        }
        return found.get(0);
    }

    /** The one consumer of {@code value}, which must be {@code op}; refused otherwise. */
    private static OnnxMl.NodeProto only(Map<String, List<OnnxMl.NodeProto>> consumers, String value, String op, int i) {
        OnnxMl.NodeProto n = single(consumers, value, op);
        if (n == null) {
            throw refuse(i, value + " is read by " + consumers.getOrDefault(value, List.of()).stream()
                    .map(OnnxMl.NodeProto::getOpType).toList() + ", expected one " + op);
        }
        return n;
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
