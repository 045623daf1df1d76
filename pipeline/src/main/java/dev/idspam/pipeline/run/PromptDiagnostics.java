package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.backbone.EncoderBuilder;
import dev.idspam.serving.BackboneWeights;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a trained prompt does inside the backbone, read from a full bundle's graph on real inputs:
 * <ul>
 *   <li>{@code prompt_norm}: mean ‖S_j‖ over the t prompt vectors S [B, t, n] entering layer m;</li>
 *   <li>{@code hidden_norm}: mean ‖X_m[i]‖ over the real input tokens entering layer m (their ratio
 *       tells whether the prompt is on the scale of what it is concatenated with);</li>
 *   <li>per layer i ≥ m, {@code prompt_attention}: the attention mass that real input tokens, as
 *       queries, put on the t prompt keys, Σ_{k&lt;t} P_i[b, h, q, k], averaged over heads, queries
 *       and examples; next to it {@code uniform_share} = t / (t + L_b) averaged, the mass a prompt
 *       would get from attention that ignored content. A last layer built for the head's row alone
 *       has one query, the first input token, and is averaged over it.</li>
 * </ul>
 * The graph is the bundle's own: S, X_m and each layer's Q = R·Wq + bq and K = X·Wk + bk are made
 * extra outputs of {@code model.onnx} (found by the weights the encoder is built with; a plain and a
 * fused export both keep these products), and the attention probabilities are computed from them as
 * the layer does, softmax(Q·Kᵀ/√d_h + mask), so the figures are those of the model as served.
 * Full bundles of prompt methods only (an adapter bundle's weights live outside its graph).
 */
public final class PromptDiagnostics {
    /** One layer's attention on the prompt. */
    /**
     * One layer's attention on the prompt; {@code readTokenOnly} for a last layer built for the head's
     * row alone, whose only query is the first input token ([CLS]).
     */
    public record LayerMass(int layer, double promptAttention, double uniformShare, boolean readTokenOnly) { }

    /** The figures over {@code examples} examples. */
    public record Result(int layer, int promptTokens, int examples, double promptNorm, double hiddenNorm,
                         List<LayerMass> layers) {
        public JsonObject toJson() {
            JsonObject o = new JsonObject();
            o.addProperty("layer", layer);
            o.addProperty("prompt_tokens", promptTokens);
            o.addProperty("examples", examples);
            o.addProperty("prompt_norm", promptNorm);
            o.addProperty("hidden_norm", hiddenNorm);
            o.addProperty("norm_ratio", promptNorm / hiddenNorm);
            JsonArray a = new JsonArray();
            for (LayerMass l : layers) {
                JsonObject e = new JsonObject();
                e.addProperty("layer", l.layer());
                e.addProperty("prompt_attention", l.promptAttention());
                e.addProperty("uniform_share", l.uniformShare());
                e.addProperty("queries", l.readTokenOnly() ? "first input token" : "every real input token");
                a.add(e);
            }
            o.add("layers", a);
            return o;
        }
    }

    private PromptDiagnostics() {
    }

    public static Result run(Bundle bundle, List<Example> examples, int batchSize) throws IOException {
        JsonObject json = bundle.manifest().json();
        if (json.has(BackboneWeights.FIELD)) {
            throw new IllegalArgumentException(bundle.directory() + ": an adapter bundle; diagnose reads full bundles"
                    + " (export without --adapter)");
        }
        if (json.has("backbone") && json.get("backbone").isJsonObject()
                && "GPT2".equals(json.getAsJsonObject("backbone").has("family")
                ? json.getAsJsonObject("backbone").get("family").getAsString() : null)) {
            throw new IllegalArgumentException(bundle.directory() + ": diagnose reads encoder bundles; this one is on a"
                    + " GPT2 backbone, a causal decoder whose uniform-attention baseline differs per query");
        }
        JsonObject mc = json.has("method_config") && json.get("method_config").isJsonObject()
                ? json.getAsJsonObject("method_config") : new JsonObject();
        if (!mc.has("prompt_tokens")) {
            throw new IllegalArgumentException(bundle.directory() + ": method " + bundle.manifest().method()
                    + " has no prompt to diagnose");
        }
        int t = mc.get("prompt_tokens").getAsInt();
        int m = mc.has("layer") ? mc.get("layer").getAsInt() : 0;
        OnnxMl.ModelProto model = OnnxMl.ModelProto.parseFrom(Files.readAllBytes(bundle.model()));
        OnnxMl.GraphProto g = model.getGraph();
        Map<String, OnnxMl.NodeProto> producer = new HashMap<>();
        g.getNodeList().forEach(n -> n.getOutputList().forEach(o -> producer.put(o, n)));
        // the keys read the whole [prompt; hidden states] (the queries of a last layer built for one row read a slice of it)
        OnnxMl.NodeProto kAtM = product(g, m, "k").orElseThrow(() -> new IllegalArgumentException(bundle.model()
                + ": no encoder layer " + m + " with a float32 key product (a --quantize int8 export cannot be diagnosed)"));
        OnnxMl.NodeProto concat = producer.get(kAtM.getInput(0));
        if (concat == null || !concat.getOpType().equals("Concat") || concat.getInputCount() != 2) {
            throw new IllegalArgumentException(bundle.model() + ": layer " + m + " does not read [prompt; hidden states]");
        }
        String prompt = concat.getInput(0);
        String hidden = concat.getInput(1);
        // per layer from m up, Q = R·Wq + bq and K = X·Wk + bk, read from the graph (plain or fused alike, which keep
        // these products); the attention probabilities are computed from them below, as the layer computes them
        List<String> queries = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        for (int i = m; ; i++) {
            var qm = product(g, i, "q");
            var km = product(g, i, "k");
            if (qm.isEmpty() || km.isEmpty()) {
                break;
            }
            queries.add(biasAdd(g, qm.get(), "layer." + i + ".attn.q.b", bundle));
            keys.add(biasAdd(g, km.get(), "layer." + i + ".attn.k.b", bundle));
        }
        List<String> extra = new ArrayList<>(List.of(prompt, hidden));
        extra.addAll(queries);
        extra.addAll(keys);
        OnnxMl.GraphProto.Builder gb = g.toBuilder();
        for (String name : extra) {
            gb.addOutput(OnnxMl.ValueInfoProto.newBuilder().setName(name).setType(OnnxMl.TypeProto.newBuilder()
                    .setTensorType(OnnxMl.TypeProto.Tensor.newBuilder().setElemType(OnnxMl.TensorProto.DataType.FLOAT.getNumber()))));
        }
        byte[] augmented = model.toBuilder().setGraph(gb).build().toByteArray();

        double promptNorm = 0;
        long promptCount = 0;
        double hiddenNorm = 0;
        long hiddenCount = 0;
        int layerCount = queries.size();
        double[] mass = new double[layerCount];
        double[] uniform = new double[layerCount];
        long[] counted = new long[layerCount];
        boolean[] oneRow = new boolean[layerCount];
        int heads = json.getAsJsonObject("backbone").get("heads").getAsInt();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (TextTokenizer tok = TokenizerFiles.open(bundle.manifest().tokenizer(), bundle.manifestFile());
             OrtSession.SessionOptions so = new OrtSession.SessionOptions();
             OrtSession s = env.createSession(augmented, so)) {
            int maxLength = bundle.manifest().maxLength();
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<Example> part = examples.subList(from, Math.min(examples.size(), from + batchSize));
                List<Encoding> enc = tok.encodeAll(part.stream().map(Example::textA).toList(),
                        bundle.manifest().pair() ? part.stream().map(Example::textB).toList() : null, maxLength);
                int rows = enc.size();
                int len = enc.stream().mapToInt(Encoding::length).max().orElse(1);
                long[] ids = new long[rows * len];
                long[] types = new long[rows * len];
                long[] mask = new long[rows * len];
                java.util.Arrays.fill(ids, tok.padId());
                for (int r = 0; r < rows; r++) {
                    enc.get(r).copyInto(ids, types, mask, r * len);
                }
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                try {
                    Map<String, long[]> inputs = Map.of(Bundle.INPUT_IDS, ids, Bundle.ATTENTION_MASK, mask,
                            Bundle.TOKEN_TYPE_IDS, types);
                    for (String name : s.getInputNames()) {
                        feeds.put(name, OnnxTensor.createTensor(env, LongBuffer.wrap(inputs.get(name)), new long[] {rows, len}));
                    }
                    try (OrtSession.Result res = s.run(feeds)) {
                        float[] sv = floats(res, prompt);
                        float[] xv = floats(res, hidden);
                        int n = xv.length / (rows * len);
                        for (int r = 0; r < rows; r++) {
                            for (int j = 0; j < t; j++) {
                                promptNorm += norm(sv, (r * t + j) * n, n);
                                promptCount++;
                            }
                            for (int j = 0; j < len; j++) {
                                if (mask[r * len + j] != 0) {
                                    hiddenNorm += norm(xv, (r * len + j) * n, n);
                                    hiddenCount++;
                                }
                            }
                        }
                        int total = t + len;
                        for (int li = 0; li < layerCount; li++) {
                            float[] qv = floats(res, queries.get(li));   // [B, q, n], q = T or 1 (the read row)
                            float[] kv = floats(res, keys.get(li));      // [B, T, n]
                            int nq = qv.length / (rows * n);
                            if (nq != total && nq != 1 || kv.length != rows * total * n) {
                                throw new IllegalStateException("layer " + (m + li) + ": queries of " + qv.length
                                        + " values and keys of " + kv.length + ", expected [" + rows + ", " + total
                                        + " or 1, " + n + "] and [" + rows + ", " + total + ", " + n + "]");
                            }
                            oneRow[li] = nq == 1;
                            for (int r = 0; r < rows; r++) {
                                int real = 0;
                                for (int j = 0; j < len; j++) {
                                    real += mask[r * len + j] != 0 ? 1 : 0;
                                }
                                for (int j = 0; j < (nq == 1 ? 1 : len); j++) {
                                    if (mask[r * len + j] == 0) {
                                        continue;
                                    }
                                    int query = (r * nq + (nq == 1 ? 0 : t + j)) * n;
                                    double sum = 0;
                                    for (int h = 0; h < heads; h++) {
                                        sum += promptMass(qv, query, kv, r * total * n, mask, r * len, t, len, h, n / heads, n);
                                    }
                                    mass[li] += sum / heads;
                                    uniform[li] += (double) t / (t + real);
                                    counted[li]++;
                                }
                            }
                        }
                    }
                } finally {
                    feeds.values().forEach(OnnxTensor::close);
                }
            }
        } catch (OrtException e) {
            throw new IOException(bundle.model() + ": running the graph with its prompt outputs: " + e.getMessage(), e);
        }
        List<LayerMass> layers = new ArrayList<>();
        for (int li = 0; li < layerCount; li++) {
            layers.add(new LayerMass(m + li, mass[li] / counted[li], uniform[li] / counted[li], oneRow[li]));
        }
        return new Result(m, t, examples.size(), promptNorm / promptCount, hiddenNorm / hiddenCount, layers);
    }

    /**
     * Σ_{k<t} P[h, k] for one query row of head h: P = softmax_k(q_h·k_hᵀ/√d_h + mask_k), mask_k = −10000
     * at padded keys (keys 0..t−1 are the prompt, always real), as the layer computes it; in double
     * precision. {@code q} holds the query at {@code qRow}, {@code k} the T = t + len keys of the
     * example from {@code kBase}, each n = H·d_h wide.
     */
    private static double promptMass(float[] q, int qRow, float[] k, int kBase, long[] mask, int maskAt, int t, int len,
                                     int h, int dh, int n) {
        int total = t + len;
        double[] scores = new double[total];
        double max = Double.NEGATIVE_INFINITY;
        double scale = 1.0 / Math.sqrt(dh);
        for (int key = 0; key < total; key++) {
            double dot = 0;
            int qa = qRow + h * dh;
            int ka = kBase + key * n + h * dh;
            for (int d = 0; d < dh; d++) {
                dot += (double) q[qa + d] * k[ka + d];
            }
            boolean padded = key >= t && mask[maskAt + key - t] == 0;
            scores[key] = dot * scale + (padded ? EncoderBuilder.MASKED_SCORE : 0);
            max = Math.max(max, scores[key]);
        }
        double z = 0;
        double prompt = 0;
        for (int key = 0; key < total; key++) {
            double e = Math.exp(scores[key] - max);
            z += e;
            if (key < t) {
                prompt += e;
            }
        }
        return prompt / z;
    }

    /** The float32 product x·W of layer i's projection p ({@code q}, {@code k}), if the graph has it. */
    private static java.util.Optional<OnnxMl.NodeProto> product(OnnxMl.GraphProto g, int i, String p) {
        return FusedGraph.products(g.getNodeList(), "layer." + i + ".attn." + p + ".w").stream().findFirst();
    }

    /** The output of the Add that puts {@code bias} on {@code product}'s result (Q or K before any scaling). */
    private static String biasAdd(OnnxMl.GraphProto g, OnnxMl.NodeProto product, String bias, Bundle bundle) {
        return g.getNodeList().stream().filter(n -> n.getOpType().equals("Add") && n.getInputList().contains(product.getOutput(0))
                        && n.getInputList().contains(bias)).findFirst().map(n -> n.getOutput(0))
                .orElseThrow(() -> new IllegalArgumentException(bundle.model() + ": no bias " + bias + " added to "
                        + product.getOutput(0)));
    }

    private static double norm(float[] v, int at, int n) {
        double s = 0;
        for (int k = 0; k < n; k++) {
            s += (double) v[at + k] * v[at + k];
        }
        return Math.sqrt(s);
    }

    private static float[] floats(OrtSession.Result r, String name) {
        OnnxTensor t = (OnnxTensor) r.get(name).orElseThrow(() -> new IllegalStateException("no output " + name));
        FloatBuffer b = t.getFloatBuffer();
        float[] out = new float[b.remaining()];
        b.get(out);
        return out;
    }
}
