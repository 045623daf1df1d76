package dev.idspam.graphs.backbone;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.CodedInputStream;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
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
 * Imports the weights of a BERT-family encoder exported to ONNX (the sentence-transformers exports
 * shipped by langchain4j: all-MiniLM-L6-v2, bge-small-en-v1.5; also this project's own encoder
 * graphs). Tensors are found by following the node graph, not by their names, since exporters name
 * matrices {@code onnx::MatMul_NNN}:
 * <ol>
 * <li>the embeddings: Gathers reading the graph inputs (the larger table is the word table), the
 *     position table (a Gather at an arange slice, or a Slice of the table), their Add chain and
 *     the LayerNorm after it;</li>
 * <li>per layer, starting from the previous LayerNorm's output: the three MatMul + Add projections
 *     it feeds, told apart by where they flow (Q and K meet in the score MatMul, V in the MatMul
 *     after the Softmax), the head count from the Q Reshape's target, the score scale, the output
 *     projection, residual and LayerNorm, the feed-forward MatMuls with exact GELU between them,
 *     residual and LayerNorm;</li>
 * <li>the config from the shapes found.</li>
 * </ol>
 * LayerNorm may be one LayerNormalization node or its ReduceMean/Sub/Pow/Add/Sqrt/Div/Mul/Add
 * expansion. Anything else fails with a message naming the node or tensor where matching stopped.
 */
public final class OnnxEncoderImporter {
    private final OnnxMl.GraphProto graph;
    private final String origin;
    private final Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
    private final Map<String, List<OnnxMl.NodeProto>> consumers = new HashMap<>();
    private final Map<String, OnnxMl.TensorProto> constants = new HashMap<>();
    private final Set<String> graphInputs = new HashSet<>();
    private final Set<String> graphOutputs = new HashSet<>();
    private final Map<String, TensorData> tensors = new LinkedHashMap<>();
    private final List<Double> epsilons = new ArrayList<>();

    private OnnxEncoderImporter(OnnxMl.GraphProto graph, String origin) {
        this.graph = graph;
        this.origin = origin;
        for (OnnxMl.TensorProto t : graph.getInitializerList()) {
            constants.put(t.getName(), t);
        }
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            for (String out : n.getOutputList()) {
                producer.put(out, n);
            }
            for (String in : n.getInputList()) {
                if (!in.isEmpty()) {
                    consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
                }
            }
            if (n.getOpType().equals("Constant")) {
                for (OnnxMl.AttributeProto a : n.getAttributeList()) {
                    if (a.getName().equals("value")) {
                        constants.put(n.getOutput(0), a.getT());
                    }
                }
            }
        }
        graph.getInputList().forEach(v -> {
            if (!constants.containsKey(v.getName())) {
                graphInputs.add(v.getName());
            }
        });
        graph.getOutputList().forEach(v -> graphOutputs.add(v.getName()));
    }

    /** Reads an ONNX model from a file or a (jar) entry. */
    public static BackboneWeights read(ResourceLocation location) throws IOException {
        return fromBytes(location.readAllBytes(), location.toString());
    }

    /** Parses model bytes; tensor data is aliased, not copied, until it becomes {@link TensorData}. */
    public static BackboneWeights fromBytes(byte[] model, String origin) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(model);
        in.enableAliasing(true);
        in.setSizeLimit(Integer.MAX_VALUE);
        return fromModel(OnnxMl.ModelProto.parseFrom(in), origin);
    }

    public static BackboneWeights fromModel(OnnxMl.ModelProto model, String origin) {
        return new OnnxEncoderImporter(model.getGraph(), origin).run();
    }

    // ---------------------------------------------------------------- walk

    private BackboneWeights run() {
        Embeddings emb = embeddings();
        String h = layerNorm(emb.sum, TensorNames.EMB_LN_GAMMA, TensorNames.EMB_LN_BETA, "embedding LayerNorm");
        int layers = 0;
        int heads = -1;
        int intermediate = -1;
        while (true) {
            LayerFacts f = layer(layers, h, emb.hidden);
            if (f == null) {
                break;
            }
            if (heads >= 0 && (f.heads != heads || f.intermediate != intermediate)) {
                throw fail("layer " + layers + " has " + f.heads + " heads and FFN width " + f.intermediate
                        + ", layer 0 has " + heads + " and " + intermediate + "; layers must agree");
            }
            heads = f.heads;
            intermediate = f.intermediate;
            h = f.output;
            layers++;
        }
        if (layers == 0) {
            throw fail("no encoder layer reads the embedding LayerNorm output '" + h + "' (expected three MatMul"
                    + " projections Q, K, V); consumers: " + describe(consumers.getOrDefault(h, List.of())));
        }
        // exporters store epsilon as float32 (1e-12 becomes 9.99999996e-13): keep the decimal it was written as
        double eps = Double.parseDouble(Float.toString(epsilons.get(0).floatValue()));
        for (double e : epsilons) {
            if (Math.abs(e - eps) > 1e-6 * eps) {
                throw fail("LayerNorm epsilons differ (" + eps + " vs " + e + "); one epsilon per backbone is supported");
            }
        }
        BackboneConfig config = new BackboneConfig(BackboneConfig.Family.BERT, layers, emb.hidden, heads, intermediate,
                emb.vocab, emb.positions, emb.types, eps, BackboneConfig.Activation.GELU, emb.positionOffset, 0);
        return new BackboneWeights(config, tensors, origin);
    }

    private record Embeddings(String sum, int hidden, int vocab, int positions, int types, int positionOffset) { }

    private Embeddings embeddings() {
        List<OnnxMl.NodeProto> inputGathers = new ArrayList<>();
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Gather") && isFloatMatrix(n.getInput(0)) && graphInputs.contains(n.getInput(1))) {
                inputGathers.add(n);
            }
        }
        if (inputGathers.isEmpty() || inputGathers.size() > 2) {
            throw fail("expected one or two Gathers of an embedding table at graph inputs (word ids, token types),"
                    + " found " + describe(inputGathers));
        }
        inputGathers.sort((a, b) -> Long.compare(dims(b.getInput(0))[0], dims(a.getInput(0))[0]));
        OnnxMl.NodeProto word = inputGathers.get(0);
        long[] wd = dims(word.getInput(0));
        int hidden = (int) wd[1];
        tensors.put(TensorNames.WORD, floatTensor(word.getInput(0)));
        Set<String> parts = new HashSet<>();
        parts.add(word.getOutput(0));
        OnnxMl.NodeProto type = inputGathers.size() == 2 ? inputGathers.get(1) : constantRowGather(hidden);
        if (type != null) {
            tensors.put(TensorNames.TOKEN_TYPE, floatTensor(type.getInput(0)));
            parts.add(type.getOutput(0));
        } else {
            tensors.put(TensorNames.TOKEN_TYPE, TensorData.zeros(DType.FLOAT, 1, hidden));
        }
        int[] offset = new int[1];
        String pos = positionEmbeddings(hidden, word, offset);
        parts.add(pos);
        // word + type + position, as a chain of Adds in any order
        String v = word.getOutput(0);
        Set<String> remaining = new HashSet<>(parts);
        remaining.remove(v);
        while (!remaining.isEmpty()) {
            OnnxMl.NodeProto add = onlyOp(v, "Add", "embedding sum");
            String other = otherInput(add, v);
            if (!remaining.remove(other)) {
                throw fail("embedding sum: node " + add.getName() + " adds '" + other + "', which is not the token-type or"
                        + " position embedding (still expected: " + remaining + ")");
            }
            v = add.getOutput(0);
        }
        long[] pd = dims(TensorNames.POSITION);
        return new Embeddings(v, hidden, (int) wd[0], (int) pd[0], (int) tensors.get(TensorNames.TOKEN_TYPE).dims()[0],
                offset[0]);
    }

    /** A Gather of one constant row of a [T, n] table (token type 0 when the graph has no token-type input). */
    private OnnxMl.NodeProto constantRowGather(int hidden) {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Gather") && isFloatMatrix(n.getInput(0)) && dims(n.getInput(0))[1] == hidden
                    && constants.containsKey(n.getInput(1)) && constant(n.getInput(1)).getDimsCount() == 0
                    && feedsAddChain(n.getOutput(0))) {
                return n;
            }
        }
        return null;
    }

    private long[] dims(String canonicalOrInit) {
        TensorData t = tensors.get(canonicalOrInit);
        if (t != null) {
            return t.dims();
        }
        return constant(canonicalOrInit).getDimsList().stream().mapToLong(Long::longValue).toArray();
    }

    /** Finds the position table; returns the value added to the word embeddings. */
    private String positionEmbeddings(int hidden, OnnxMl.NodeProto word, int[] offset) {
        for (OnnxMl.NodeProto n : graph.getNodeList()) {
            if (n.getOpType().equals("Gather") && isFloatMatrix(n.getInput(0)) && n != word
                    && !graphInputs.contains(n.getInput(1)) && !constants.containsKey(n.getInput(1))
                    && dims(n.getInput(0))[1] == hidden
                    && feedsAddChain(n.getOutput(0))) {
                offset[0] = arangeOffset(n.getInput(1), n);
                tensors.put(TensorNames.POSITION, floatTensor(n.getInput(0)));
                return n.getOutput(0);
            }
            if (n.getOpType().equals("Slice") && isFloatMatrix(n.getInput(0)) && dims(n.getInput(0))[1] == hidden
                    && feedsAddChain(n.getOutput(0))) {
                long[] starts = longs(n.getInput(1), n);
                long[] axes = n.getInputCount() > 3 && !n.getInput(3).isEmpty() ? longs(n.getInput(3), n) : new long[] {0};
                if (starts.length != 1 || axes[0] != 0) {
                    throw fail("position Slice " + n.getName() + " slices axes " + java.util.Arrays.toString(axes)
                            + "; expected rows of the position table from a constant start");
                }
                offset[0] = (int) starts[0];
                tensors.put(TensorNames.POSITION, floatTensor(n.getInput(0)));
                return n.getOutput(0);
            }
        }
        throw fail("no position-embedding table found (a Gather of a [P, " + hidden + "] table at position ids, or"
                + " a Slice of it, feeding the embedding sum)");
    }

    private boolean feedsAddChain(String v) {
        return consumers.getOrDefault(v, List.of()).stream().anyMatch(c -> c.getOpType().equals("Add"));
    }

    /** Position ids must be a slice of an arange constant; returns its first value. */
    private int arangeOffset(String ids, OnnxMl.NodeProto gather) {
        OnnxMl.NodeProto p = producer.get(ids);
        if (ancestorsInclude(ids, "CumSum", 8)) {
            throw fail("position ids for " + gather.getName() + " are computed from input_ids (CumSum, RoBERTa style);"
                    + " import RoBERTa from its Hugging Face directory instead");
        }
        if (p == null || !p.getOpType().equals("Slice") || !constants.containsKey(p.getInput(0))) {
            throw fail("position ids '" + ids + "' of " + gather.getName() + " are not a Slice of a constant arange"
                    + " (found " + (p == null ? "a graph input or constant" : p.getOpType() + " " + p.getName()) + ")");
        }
        long[] all = longs(p.getInput(0), p);
        long[] starts = longs(p.getInput(1), p);
        for (int i = 1; i < all.length; i++) {
            if (all[i] != all[i - 1] + 1) {
                throw fail("position ids constant '" + p.getInput(0) + "' is not an arange (element " + i + " = " + all[i] + ")");
            }
        }
        return (int) all[(int) starts[0]];
    }

    private boolean ancestorsInclude(String v, String op, int depth) {
        OnnxMl.NodeProto p = producer.get(v);
        if (p == null || depth == 0) {
            return false;
        }
        if (p.getOpType().equals(op)) {
            return true;
        }
        for (String in : p.getInputList()) {
            if (!in.isEmpty() && ancestorsInclude(in, op, depth - 1)) {
                return true;
            }
        }
        return false;
    }

    private record LayerFacts(String output, int heads, int intermediate) { }

    private record Proj(OnnxMl.NodeProto matmul, OnnxMl.NodeProto add, String out) { }

    /** Matches one layer reading {@code h}; null when {@code h} feeds no Q/K/V projections (end of the encoder). */
    private LayerFacts layer(int i, String h, int hidden) {
        List<OnnxMl.NodeProto> mms = new ArrayList<>();
        for (OnnxMl.NodeProto c : consumers.getOrDefault(h, List.of())) {
            if (c.getOpType().equals("MatMul") && c.getInput(0).equals(h) && isFloatMatrix(c.getInput(1))) {
                mms.add(c);
            }
        }
        if (mms.isEmpty()) {
            return null;
        }
        String where = "layer " + i;
        if (mms.size() != 3) {
            throw fail(where + ": expected 3 projections (Q, K, V) reading '" + h + "', found " + describe(mms));
        }
        Proj q = null;
        Proj k = null;
        Proj v = null;
        OnnxMl.NodeProto scores = null;
        OnnxMl.NodeProto qReshape = null;
        double scale = 1;
        for (OnnxMl.NodeProto mm : mms) {
            Proj p = projection(mm, hidden, hidden, where);
            // follow Reshape/Transpose/scaling to the attention MatMul this projection flows into
            String cur = p.out;
            OnnxMl.NodeProto reshape = null;
            double s = 1;
            OnnxMl.NodeProto next;
            while (true) {
                next = onlyConsumer(cur, where + " (following projection " + mm.getName() + ")");
                String op = next.getOpType();
                if (op.equals("Reshape")) {
                    reshape = next;
                } else if (op.equals("Mul") || op.equals("Div")) {
                    double c = scalar(otherInput(next, cur), next);
                    s *= op.equals("Mul") ? c : 1 / c;
                } else if (!op.equals("Transpose")) {
                    break;
                }
                cur = next.getOutput(0);
            }
            if (!next.getOpType().equals("MatMul")) {
                throw fail(where + ": projection " + mm.getName() + " flows into " + next.getOpType() + " " + next.getName()
                        + ", expected the attention MatMul");
            }
            OnnxMl.NodeProto left = producer.get(next.getInput(0));
            if (left != null && left.getOpType().equals("Softmax") && next.getInput(1).equals(cur)) {
                v = assign(v, p, "V", where);
            } else if (next.getInput(0).equals(cur)) {
                q = assign(q, p, "Q", where);
                qReshape = reshape;
                scale *= s;
                scores = same(scores, next, where);
            } else {
                k = assign(k, p, "K", where);
                scale *= s;
                scores = same(scores, next, where);
            }
        }
        if (q == null || k == null || v == null) {
            throw fail(where + ": could not tell Q, K and V apart among " + describe(mms));
        }
        int heads = heads(qReshape, hidden, where);
        // scores → [scale] → + mask → Softmax → · V
        String cur = scores.getOutput(0);
        OnnxMl.NodeProto softmax = null;
        for (int step = 0; step < 4 && softmax == null; step++) {
            OnnxMl.NodeProto n = onlyConsumer(cur, where + " (after the score MatMul " + scores.getName() + ")");
            switch (n.getOpType()) {
                case "Mul" -> scale *= scalar(otherInput(n, cur), n);
                case "Div" -> scale /= scalar(otherInput(n, cur), n);
                case "Add" -> { }
                case "Softmax" -> softmax = n;
                default -> throw fail(where + ": unexpected " + n.getOpType() + " " + n.getName()
                        + " between the score MatMul and the Softmax");
            }
            cur = n.getOutput(0);
        }
        if (softmax == null) {
            throw fail(where + ": no Softmax after the score MatMul " + scores.getName());
        }
        double expected = 1 / Math.sqrt((double) hidden / heads);
        if (Math.abs(scale - expected) > 1e-4 * expected) {
            throw fail(where + ": attention scores are scaled by " + scale + ", expected 1/sqrt(head size) = " + expected);
        }
        OnnxMl.NodeProto context = onlyOp(softmax.getOutput(0), "MatMul", where + " (after Softmax " + softmax.getName() + ")");
        cur = context.getOutput(0);
        OnnxMl.NodeProto outMm;
        while (true) {
            OnnxMl.NodeProto n = onlyConsumer(cur, where + " (after the context MatMul " + context.getName() + ")");
            if (n.getOpType().equals("MatMul") && isFloatMatrix(n.getInput(1))) {
                outMm = n;
                break;
            }
            if (!n.getOpType().equals("Transpose") && !n.getOpType().equals("Reshape")) {
                throw fail(where + ": unexpected " + n.getOpType() + " " + n.getName() + " between the attention context"
                        + " and the output projection");
            }
            cur = n.getOutput(0);
        }
        Proj out = projection(outMm, hidden, hidden, where);
        String y = residualLayerNorm(out, h, TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.ATTN_LN_BETA), where + " attention");
        // feed-forward: MatMul + Add → GELU → MatMul + Add → residual → LayerNorm
        List<OnnxMl.NodeProto> ffnMm = consumers.getOrDefault(y, List.of()).stream()
                .filter(c -> c.getOpType().equals("MatMul") && isFloatMatrix(c.getInput(1))).toList();
        if (ffnMm.size() != 1) {
            throw fail(where + ": expected one feed-forward MatMul reading '" + y + "', found " + describe(ffnMm));
        }
        int width = (int) dims(ffnMm.get(0).getInput(1))[1];
        Proj in = projection(ffnMm.get(0), hidden, width, where);
        OnnxMl.NodeProto down = geluTo(in.out, where);
        Proj ffnOut = projection(down, width, hidden, where);
        String z = residualLayerNorm(ffnOut, y, TensorNames.layer(i, TensorNames.FFN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.FFN_LN_BETA), where + " feed-forward");
        put(TensorNames.layer(i, TensorNames.Q_W), q.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.Q_B), biasOf(q));
        put(TensorNames.layer(i, TensorNames.K_W), k.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.K_B), biasOf(k));
        put(TensorNames.layer(i, TensorNames.V_W), v.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.V_B), biasOf(v));
        put(TensorNames.layer(i, TensorNames.OUT_W), out.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.OUT_B), biasOf(out));
        put(TensorNames.layer(i, TensorNames.FFN_IN_W), in.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.FFN_IN_B), biasOf(in));
        put(TensorNames.layer(i, TensorNames.FFN_OUT_W), ffnOut.matmul.getInput(1));
        put(TensorNames.layer(i, TensorNames.FFN_OUT_B), biasOf(ffnOut));
        return new LayerFacts(z, heads, width);
    }

    private Proj assign(Proj existing, Proj p, String role, String where) {
        if (existing != null) {
            throw fail(where + ": both " + existing.matmul.getName() + " and " + p.matmul.getName() + " look like " + role);
        }
        return p;
    }

    private OnnxMl.NodeProto same(OnnxMl.NodeProto a, OnnxMl.NodeProto b, String where) {
        if (a != null && a != b) {
            throw fail(where + ": Q and K flow into different MatMuls (" + a.getName() + ", " + b.getName() + ")");
        }
        return b;
    }

    /** MatMul(x, W[in, out]) followed by Add with a bias [out]. */
    private Proj projection(OnnxMl.NodeProto mm, int in, int out, String where) {
        long[] d = dims(mm.getInput(1));
        if (d.length != 2 || d[0] != in || d[1] != out) {
            throw fail(where + ": MatMul " + mm.getName() + " weight '" + mm.getInput(1) + "' has shape "
                    + java.util.Arrays.toString(d) + ", expected [" + in + ", " + out + "]");
        }
        OnnxMl.NodeProto add = onlyOp(mm.getOutput(0), "Add", where + " (bias after MatMul " + mm.getName() + ")");
        String bias = otherInput(add, mm.getOutput(0));
        if (!isFloat(bias) || dims(bias).length != 1 || dims(bias)[0] != out) {
            throw fail(where + ": Add " + add.getName() + " after MatMul " + mm.getName() + " does not add a constant bias ["
                    + out + "] (adds '" + bias + "')");
        }
        return new Proj(mm, add, add.getOutput(0));
    }

    private String biasOf(Proj p) {
        return otherInput(p.add, p.matmul.getOutput(0));
    }

    /** Add(projection, residual) then LayerNorm; returns the LayerNorm output. */
    private String residualLayerNorm(Proj p, String residual, String gamma, String beta, String where) {
        OnnxMl.NodeProto add = onlyOp(p.out, "Add", where + " residual after " + p.add.getName());
        if (!otherInput(add, p.out).equals(residual)) {
            throw fail(where + ": residual Add " + add.getName() + " adds '" + otherInput(add, p.out) + "', expected the"
                    + " layer input '" + residual + "'");
        }
        return layerNorm(add.getOutput(0), gamma, beta, where + " LayerNorm");
    }

    /** From the FFN pre-activation to the down-projection MatMul, checking the ops between are exact GELU. */
    private OnnxMl.NodeProto geluTo(String pre, String where) {
        List<String> ops = new ArrayList<>();
        Set<String> frontier = new HashSet<>(Set.of(pre));
        for (int depth = 0; depth < 8; depth++) {
            Set<String> next = new HashSet<>();
            for (String v : frontier) {
                for (OnnxMl.NodeProto c : consumers.getOrDefault(v, List.of())) {
                    if (c.getOpType().equals("MatMul") && isFloatMatrix(c.getInput(1))) {
                        if (!ops.contains("Erf") && !ops.contains("Gelu")) {
                            throw fail(where + ": the activation before " + c.getName() + " uses " + ops
                                    + "; only exact GELU (Erf, or com.microsoft Gelu) is supported");
                        }
                        if (ops.contains("Tanh")) {
                            throw fail(where + ": the activation before " + c.getName() + " uses Tanh " + ops
                                    + " (approximate GELU); only exact GELU is supported");
                        }
                        return c;
                    }
                    ops.add(c.getOpType());
                    next.addAll(c.getOutputList());
                }
            }
            frontier = next;
        }
        throw fail(where + ": no down-projection MatMul within 8 nodes of the feed-forward pre-activation '" + pre
                + "' (ops seen: " + ops + ")");
    }

    private int heads(OnnxMl.NodeProto reshape, int hidden, String where) {
        if (reshape == null) {
            throw fail(where + ": no Reshape on the Q path, so the head count is unknown");
        }
        List<Long> target = new ArrayList<>();
        String shape = reshape.getInput(1);
        if (constants.containsKey(shape)) {
            for (long d : longs(shape, reshape)) {
                target.add(d);
            }
        } else {
            OnnxMl.NodeProto concat = producer.get(shape);
            if (concat == null || !concat.getOpType().equals("Concat")) {
                throw fail(where + ": Reshape " + reshape.getName() + " target '" + shape + "' is neither a constant nor a"
                        + " Concat, so the head count is unknown");
            }
            for (String part : concat.getInputList()) {
                if (constants.containsKey(part)) {
                    for (long d : longs(part, concat)) {
                        target.add(d);
                    }
                } else {
                    target.add(-999L);
                }
            }
        }
        if (target.size() != 4) {
            throw fail(where + ": Reshape " + reshape.getName() + " target " + target + " is not [B, L, heads, head size]");
        }
        long heads = target.get(2);
        long size = target.get(3);
        if (heads <= 0 || size <= 0 || heads * size != hidden) {
            throw fail(where + ": Reshape " + reshape.getName() + " target " + target + " does not split hidden " + hidden
                    + " into heads × head size");
        }
        return (int) heads;
    }

    /** Matches a LayerNorm reading {@code x}, stores gamma/beta under the names; returns its output. */
    private String layerNorm(String x, String gamma, String beta, String where) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(x, List.of());
        for (OnnxMl.NodeProto c : cs) {
            if (c.getOpType().equals("LayerNormalization") && c.getInput(0).equals(x)) {
                long axis = intAttr(c, "axis", -1);
                if (axis != -1 && axis != 2) {
                    throw fail(where + ": LayerNormalization " + c.getName() + " normalises axis " + axis + ", expected the last");
                }
                put(gamma, c.getInput(1));
                put(beta, c.getInput(2));
                epsilons.add((double) floatAttr(c, "epsilon", 1e-5f));
                return c.getOutput(0);
            }
        }
        OnnxMl.NodeProto mean = null;
        OnnxMl.NodeProto sub = null;
        for (OnnxMl.NodeProto c : cs) {
            if (c.getOpType().equals("ReduceMean")) {
                mean = c;
            }
        }
        if (mean != null) {
            for (OnnxMl.NodeProto c : cs) {
                if (c.getOpType().equals("Sub") && c.getInput(0).equals(x) && c.getInput(1).equals(mean.getOutput(0))) {
                    sub = c;
                }
            }
        }
        if (sub == null) {
            throw fail(where + ": expected a LayerNormalization (or its ReduceMean/Sub/Pow/ReduceMean/Add/Sqrt/Div/Mul/Add"
                    + " expansion) reading '" + x + "', found consumers " + describe(cs));
        }
        String d = sub.getOutput(0);
        OnnxMl.NodeProto pow = null;
        OnnxMl.NodeProto div = null;
        for (OnnxMl.NodeProto c : consumers.getOrDefault(d, List.of())) {
            if (c.getOpType().equals("Pow") && scalar(c.getInput(1), c) == 2.0) {
                pow = c;
            } else if (c.getOpType().equals("Div") && c.getInput(0).equals(d)) {
                div = c;
            }
        }
        if (pow == null || div == null) {
            throw fail(where + ": the centred value of " + sub.getName() + " should feed Pow(·, 2) and Div; found "
                    + describe(consumers.getOrDefault(d, List.of())));
        }
        OnnxMl.NodeProto var = onlyOp(pow.getOutput(0), "ReduceMean", where + " variance");
        OnnxMl.NodeProto addEps = onlyOp(var.getOutput(0), "Add", where + " epsilon");
        OnnxMl.NodeProto sqrt = onlyOp(addEps.getOutput(0), "Sqrt", where + " sqrt");
        if (!div.getInput(1).equals(sqrt.getOutput(0))) {
            throw fail(where + ": Div " + div.getName() + " does not divide by the standard deviation " + sqrt.getOutput(0));
        }
        epsilons.add(scalar(otherInput(addEps, var.getOutput(0)), addEps));
        OnnxMl.NodeProto mul = onlyOp(div.getOutput(0), "Mul", where + " scale");
        OnnxMl.NodeProto add = onlyOp(mul.getOutput(0), "Add", where + " shift");
        put(gamma, otherInput(mul, div.getOutput(0)));
        put(beta, otherInput(add, mul.getOutput(0)));
        return add.getOutput(0);
    }

    // ---------------------------------------------------------------- helpers

    private void put(String canonical, String initializer) {
        tensors.put(canonical, floatTensor(initializer));
    }

    /** The one node that reads {@code v}'s values (Shape nodes, which read only its shape, are ignored). */
    private OnnxMl.NodeProto onlyConsumer(String v, String where) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(v, List.of()).stream()
                .filter(c -> !c.getOpType().equals("Shape")).toList();
        if (cs.size() != 1) {
            throw fail(where + ": '" + v + "' should have one consumer, has " + describe(cs));
        }
        return cs.get(0);
    }

    private OnnxMl.NodeProto onlyOp(String v, String op, String where) {
        List<OnnxMl.NodeProto> cs = consumers.getOrDefault(v, List.of()).stream()
                .filter(c -> c.getOpType().equals(op)).toList();
        if (cs.size() != 1) {
            throw fail(where + ": expected one " + op + " reading '" + v + "', found "
                    + describe(consumers.getOrDefault(v, List.of())));
        }
        return cs.get(0);
    }

    private String otherInput(OnnxMl.NodeProto n, String v) {
        if (n.getInputCount() != 2) {
            throw fail("node " + n.getName() + " (" + n.getOpType() + ") has " + n.getInputCount() + " inputs, expected 2");
        }
        return n.getInput(0).equals(v) ? n.getInput(1) : n.getInput(0);
    }

    private OnnxMl.TensorProto constant(String name) {
        String n = name;
        for (int i = 0; i < 4 && !constants.containsKey(n); i++) {
            OnnxMl.NodeProto p = producer.get(n);
            if (p == null || !p.getOpType().equals("Identity")) {
                break;
            }
            n = p.getInput(0);
        }
        OnnxMl.TensorProto t = constants.get(n);
        if (t == null) {
            throw fail("'" + name + "' is not a constant or initializer");
        }
        return t;
    }

    private boolean isFloat(String name) {
        try {
            return constant(name).getDataType() == OnnxMl.TensorProto.DataType.FLOAT_VALUE;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private boolean isFloatMatrix(String name) {
        return isFloat(name) && constant(name).getDimsCount() == 2;
    }

    private TensorData floatTensor(String name) {
        OnnxMl.TensorProto t = constant(name);
        if (t.getDataType() != OnnxMl.TensorProto.DataType.FLOAT_VALUE) {
            throw fail("tensor '" + name + "' has ONNX data type " + t.getDataType() + "; only float32 weights are supported");
        }
        if (t.getDataLocation() == OnnxMl.TensorProto.DataLocation.EXTERNAL) {
            throw fail("tensor '" + name + "' is stored in external data; save the model with its weights inside");
        }
        long[] d = t.getDimsList().stream().mapToLong(Long::longValue).toArray();
        if (!t.getRawData().isEmpty()) {
            return TensorData.ofRaw(DType.FLOAT, d, t.getRawData().toByteArray());
        }
        float[] f = new float[t.getFloatDataCount()];
        for (int i = 0; i < f.length; i++) {
            f[i] = t.getFloatData(i);
        }
        return TensorData.ofFloats(d, f);
    }

    private long[] longs(String name, OnnxMl.NodeProto user) {
        OnnxMl.TensorProto t = constant(name);
        ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        switch (t.getDataType()) {
            case OnnxMl.TensorProto.DataType.INT64_VALUE -> {
                if (!t.getRawData().isEmpty()) {
                    long[] out = new long[raw.remaining() / 8];
                    raw.asLongBuffer().get(out);
                    return out;
                }
                return t.getInt64DataList().stream().mapToLong(Long::longValue).toArray();
            }
            case OnnxMl.TensorProto.DataType.INT32_VALUE -> {
                if (!t.getRawData().isEmpty()) {
                    int[] out = new int[raw.remaining() / 4];
                    raw.asIntBuffer().get(out);
                    return java.util.Arrays.stream(out).asLongStream().toArray();
                }
                return t.getInt32DataList().stream().mapToLong(Integer::longValue).toArray();
            }
            default -> throw fail("constant '" + name + "' read by " + user.getName() + " is not an integer tensor");
        }
    }

    private double scalar(String name, OnnxMl.NodeProto user) {
        OnnxMl.TensorProto t;
        try {
            t = constant(name);
        } catch (IllegalArgumentException e) {
            throw fail("node " + user.getName() + " (" + user.getOpType() + ") reads '" + name
                    + "', expected a scalar constant");
        }
        long n = t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
        if (n != 1) {
            throw fail("node " + user.getName() + " (" + user.getOpType() + ") reads '" + name + "' of shape "
                    + t.getDimsList() + ", expected a scalar constant");
        }
        return switch (t.getDataType()) {
            case OnnxMl.TensorProto.DataType.FLOAT_VALUE -> t.getRawData().isEmpty() ? t.getFloatData(0)
                    : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat();
            case OnnxMl.TensorProto.DataType.DOUBLE_VALUE -> t.getRawData().isEmpty() ? t.getDoubleData(0)
                    : t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getDouble();
            default -> longs(name, user)[0];
        };
    }

    private static long intAttr(OnnxMl.NodeProto n, String name, long dflt) {
        return n.getAttributeList().stream().filter(a -> a.getName().equals(name)).mapToLong(OnnxMl.AttributeProto::getI)
                .findFirst().orElse(dflt);
    }

    private static float floatAttr(OnnxMl.NodeProto n, String name, float dflt) {
        for (OnnxMl.AttributeProto a : n.getAttributeList()) {
            if (a.getName().equals(name)) {
                return a.getF();
            }
        }
        return dflt;
    }

    private static String describe(List<OnnxMl.NodeProto> nodes) {
        List<String> out = new ArrayList<>();
        for (OnnxMl.NodeProto n : nodes) {
            out.add(n.getOpType() + " " + n.getName());
        }
        return out.toString();
    }

    private IllegalArgumentException fail(String message) {
        return new IllegalArgumentException("ONNX encoder import from " + origin + ": " + message);
    }
}
