package dev.idspam.graphs.backbone;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GPT-2 half of {@link HuggingFaceImporter}: a {@code config.json} of model_type {@code gpt2} and
 * the tensors {@code GPT2Model} saves (or {@code GPT2LMHeadModel}, the same under a
 * {@code transformer.} prefix plus a tied {@code lm_head.weight}).
 * <p>
 * GPT-2's projections are {@code Conv1D} modules, whose weight is stored [in, out] (x·W + b), the
 * canonical layout, so nothing is transposed; a weight in nn.Linear's [out, in] layout is refused
 * by its shape. The fused {@code c_attn} [n, 3n] holds Q, K and V side by side and is split by
 * columns. Every expected tensor is checked under its GPT-2 name, so a message names the tensor as
 * it is in the file.
 */
final class HuggingFaceGpt2 {
    private static final Pattern BLOCK = Pattern.compile(
            "h\\.(\\d+)\\.(ln_1|attn\\.c_attn|attn\\.c_proj|ln_2|mlp\\.c_fc|mlp\\.c_proj)\\.(weight|bias)");
    /**
     * Saved tensors the backbone does not use: the causal-mask buffers older versions of the model
     * wrote ({@code h.N.attn.bias} [1, 1, P, P], {@code h.N.attn.masked_bias}), the language-model
     * head (tied to wte) and GPT2ForSequenceClassification's {@code score} layer.
     */
    private static final Pattern IGNORED = Pattern.compile(
            "h\\.\\d+\\.attn\\.(bias|masked_bias)|lm_head\\.weight|score\\.weight|score\\.bias");

    private HuggingFaceGpt2() {
    }

    /**
     * The config of a {@code config.json} whose model_type is gpt2. Required: n_embd, n_layer, n_head,
     * n_positions, vocab_size, and pad_token_id or eos_token_id (GPT-2 has no padding token; it pads
     * with end-of-text, which the attention mask hides). As in GPT2Config: n_inner defaults to 4·n_embd,
     * layer_norm_epsilon to 1e-5, activation_function to gelu_new.
     */
    static BackboneConfig parseConfig(JsonObject o, String origin) {
        int hidden = whole(o, "n_embd", origin);
        int layers = whole(o, "n_layer", origin);
        int heads = whole(o, "n_head", origin);
        int positions = whole(o, "n_positions", origin);
        int vocab = whole(o, "vocab_size", origin);
        int inner = present(o, "n_inner") ? whole(o, "n_inner", origin) : 4 * hidden;
        if (hidden % heads != 0) {
            throw new IllegalArgumentException(origin + ": n_embd " + hidden + " is not a multiple of n_head " + heads);
        }
        double eps = 1e-5;
        if (present(o, "layer_norm_epsilon")) {
            JsonElement e = o.get("layer_norm_epsilon");
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !(e.getAsDouble() > 0 && e.getAsDouble() < 1)) {
                throw new IllegalArgumentException(origin + ": 'layer_norm_epsilon' must be a number in (0, 1), got " + e);
            }
            eps = e.getAsDouble();
        }
        String act = present(o, "activation_function") ? o.get("activation_function").getAsString() : "gelu_new";
        BackboneConfig.Activation activation = switch (act) {
            case "gelu_new", "gelu_pytorch_tanh" -> BackboneConfig.Activation.GELU_TANH;
            case "gelu" -> BackboneConfig.Activation.GELU;
            default -> throw new IllegalArgumentException(origin + ": activation_function '" + act + "' is not supported"
                    + " (supported: gelu_new and gelu_pytorch_tanh, the tanh approximation every GPT-2 uses, and gelu)");
        };
        refuseFlag(o, "scale_attn_weights", true, origin, "attention scores are always scaled by 1/√d_h");
        refuseFlag(o, "scale_attn_by_inverse_layer_idx", false, origin, "scores are not scaled by the layer index");
        refuseFlag(o, "add_cross_attention", false, origin, "a decoder without cross-attention is built");
        String padKey = present(o, "pad_token_id") ? "pad_token_id" : "eos_token_id";
        if (!present(o, padKey)) {
            throw new IllegalArgumentException(origin + ": neither 'pad_token_id' nor 'eos_token_id' is set; GPT-2"
                    + " pads with its end-of-text token, so config.json must name it (eos_token_id, 50256 for gpt2)");
        }
        int pad = whole(o, padKey, origin, 0);
        if (pad >= vocab) {
            throw new IllegalArgumentException(origin + ": '" + padKey + "' " + pad + " is not a token id in [0, vocab_size = "
                    + vocab + ")");
        }
        try {
            return BackboneConfig.gpt2(layers, hidden, heads, inner, vocab, positions, eps, activation, pad);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(origin + ": " + e.getMessage(), e);
        }
    }

    private static boolean present(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull();
    }

    private static int whole(JsonObject o, String key, String origin) {
        return whole(o, key, origin, 1);
    }

    /** A required whole number ≥ {@code min}, naming the file and the key when it is missing or bad. */
    private static int whole(JsonObject o, String key, String origin, int min) {
        if (!present(o, key)) {
            throw new IllegalArgumentException(origin + ": required key '" + key + "' is missing");
        }
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IllegalArgumentException(origin + ": '" + key + "' must be a whole number, got " + e);
        }
        double d = e.getAsDouble();
        if (d != Math.rint(d) || d < min || d > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(origin + ": '" + key + "' must be a whole number >= " + min + ", got " + e);
        }
        return (int) d;
    }

    private static void refuseFlag(JsonObject o, String key, boolean supported, String origin, String what) {
        if (present(o, key) && o.get(key).getAsBoolean() != supported) {
            throw new IllegalArgumentException(origin + ": '" + key + "' = " + o.get(key) + " is not supported ("
                    + what + ")");
        }
    }

    /** The name without the {@code transformer.} prefix GPT2LMHeadModel and its siblings save under. */
    static String stripPrefix(String name) {
        return name.startsWith("transformer.") ? name.substring("transformer.".length()) : name;
    }

    static boolean ignored(String name) {
        return IGNORED.matcher(name).matches();
    }

    static boolean known(String name) {
        return BLOCK.matcher(name).matches() || name.equals("wte.weight") || name.equals("wpe.weight")
                || name.equals("ln_f.weight") || name.equals("ln_f.bias");
    }

    /** Every tensor the backbone needs, under its GPT-2 name (prefix stripped), with its stored shape. */
    static Map<String, long[]> expected(BackboneConfig c) {
        long n = c.hidden();
        long f = c.intermediate();
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put("wte.weight", new long[] {c.vocabSize(), n});
        out.put("wpe.weight", new long[] {c.maxPositions(), n});
        for (int i = 0; i < c.layers(); i++) {
            String h = "h." + i + ".";
            out.put(h + "ln_1.weight", new long[] {n});
            out.put(h + "ln_1.bias", new long[] {n});
            out.put(h + "attn.c_attn.weight", new long[] {n, 3 * n});
            out.put(h + "attn.c_attn.bias", new long[] {3 * n});
            out.put(h + "attn.c_proj.weight", new long[] {n, n});
            out.put(h + "attn.c_proj.bias", new long[] {n});
            out.put(h + "ln_2.weight", new long[] {n});
            out.put(h + "ln_2.bias", new long[] {n});
            out.put(h + "mlp.c_fc.weight", new long[] {n, f});
            out.put(h + "mlp.c_fc.bias", new long[] {f});
            out.put(h + "mlp.c_proj.weight", new long[] {f, n});
            out.put(h + "mlp.c_proj.bias", new long[] {n});
        }
        out.put("ln_f.weight", new long[] {n});
        out.put("ln_f.bias", new long[] {n});
        return out;
    }

    /**
     * Checks {@code found} (GPT-2 name → tensor) against the config, naming each missing or misshapen
     * tensor and {@code where} (the weight files), and maps it to canonical names.
     */
    static Map<String, TensorData> canonical(BackboneConfig c, Map<String, TensorData> found, String where)
            throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : expected(c).entrySet()) {
            TensorData t = found.get(e.getKey());
            if (t == null) {
                problems.add("tensor '" + e.getKey() + "' is missing, expected shape " + Arrays.toString(e.getValue()));
            } else if (!Arrays.equals(t.dims(), e.getValue())) {
                boolean linear = t.dims().length == 2 && t.dims()[0] == e.getValue()[1] && t.dims()[1] == e.getValue()[0];
                problems.add("tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.dims()) + ", expected "
                        + Arrays.toString(e.getValue()) + (linear ? " (GPT-2 stores Conv1D weights [in, out]; this one"
                        + " is [out, in] like nn.Linear)" : ""));
            }
        }
        for (String name : found.keySet()) {
            Matcher m = BLOCK.matcher(name);
            if (m.matches() && Integer.parseInt(m.group(1)) >= c.layers()) {
                problems.add("tensor '" + name + "' belongs to block " + m.group(1) + ", but n_layer is " + c.layers());
            }
        }
        if (!problems.isEmpty()) {
            throw new IOException(where + " does not hold the GPT-2 backbone its config.json describes ("
                    + BackboneWeights.describe(c) + "):\n  " + String.join("\n  ", problems.subList(0, Math.min(20,
                    problems.size()))) + (problems.size() > 20 ? "\n  ... and " + (problems.size() - 20) + " more" : ""));
        }
        int n = c.hidden();
        Map<String, TensorData> out = new LinkedHashMap<>();
        out.put(TensorNames.WORD, found.get("wte.weight"));
        out.put(TensorNames.POSITION, found.get("wpe.weight"));
        for (int i = 0; i < c.layers(); i++) {
            String h = "h." + i + ".";
            out.put(TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA), found.get(h + "ln_1.weight"));
            out.put(TensorNames.layer(i, TensorNames.ATTN_LN_BETA), found.get(h + "ln_1.bias"));
            TensorData qkv = found.get(h + "attn.c_attn.weight");
            TensorData qkvBias = found.get(h + "attn.c_attn.bias");
            String[][] parts = {{TensorNames.Q_W, TensorNames.Q_B}, {TensorNames.K_W, TensorNames.K_B},
                    {TensorNames.V_W, TensorNames.V_B}};
            for (int p = 0; p < 3; p++) {
                out.put(TensorNames.layer(i, parts[p][0]), columns(qkv, p * n, n));
                out.put(TensorNames.layer(i, parts[p][1]), columns(qkvBias, p * n, n));
            }
            out.put(TensorNames.layer(i, TensorNames.OUT_W), found.get(h + "attn.c_proj.weight"));
            out.put(TensorNames.layer(i, TensorNames.OUT_B), found.get(h + "attn.c_proj.bias"));
            out.put(TensorNames.layer(i, TensorNames.FFN_LN_GAMMA), found.get(h + "ln_2.weight"));
            out.put(TensorNames.layer(i, TensorNames.FFN_LN_BETA), found.get(h + "ln_2.bias"));
            out.put(TensorNames.layer(i, TensorNames.FFN_IN_W), found.get(h + "mlp.c_fc.weight"));
            out.put(TensorNames.layer(i, TensorNames.FFN_IN_B), found.get(h + "mlp.c_fc.bias"));
            out.put(TensorNames.layer(i, TensorNames.FFN_OUT_W), found.get(h + "mlp.c_proj.weight"));
            out.put(TensorNames.layer(i, TensorNames.FFN_OUT_B), found.get(h + "mlp.c_proj.bias"));
        }
        out.put(TensorNames.FINAL_LN_GAMMA, found.get("ln_f.weight"));
        out.put(TensorNames.FINAL_LN_BETA, found.get("ln_f.bias"));
        return out;
    }

    /**
     * Columns from..from+width−1 of a float matrix [rows, cols] as [rows, width], or elements
     * from..from+width−1 of a vector.
     */
    static TensorData columns(TensorData t, int from, int width) {
        long[] d = t.dims();
        if (t.type() != DType.FLOAT || d.length < 1 || d.length > 2) {
            throw new IllegalArgumentException("expected a float vector or matrix, got " + t.type() + Arrays.toString(d));
        }
        int rows = d.length == 2 ? (int) d[0] : 1;
        int cols = (int) d[d.length - 1];
        float[] in = t.toFloats();
        ByteBuffer out = ByteBuffer.allocate(rows * width * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int k = 0; k < width; k++) {
                out.putFloat(in[r * cols + from + k]);
            }
        }
        long[] shape = d.length == 2 ? new long[] {rows, width} : new long[] {width};
        return TensorData.adoptRaw(DType.FLOAT, shape, out.array());
    }

    /** Reads and maps the weight files of a GPT-2 directory. */
    static BackboneWeights read(Path dir, BackboneConfig config, List<Path> files) throws IOException {
        Map<String, TensorData> found = new LinkedHashMap<>();
        List<String> unknown = new ArrayList<>();
        for (Path f : files) {
            try (Safetensors.Reader r = Safetensors.open(f)) {
                for (Safetensors.Entry e : r.entries().values()) {
                    String name = stripPrefix(e.name());
                    if (ignored(name)) {
                        continue;
                    }
                    if (!known(name)) {
                        unknown.add(f.getFileName() + ":" + e.name());
                        continue;
                    }
                    if (found.put(name, r.readFloat(e.name())) != null) {
                        throw new IOException(f + ": tensor '" + name + "' appears twice (with and without the"
                                + " 'transformer.' prefix, or in two shards)");
                    }
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException(dir + ": tensors that are not part of a GPT-2 backbone: " + unknown
                    + " (read: wte, wpe, h.N.{ln_1, attn.c_attn, attn.c_proj, ln_2, mlp.c_fc, mlp.c_proj}, ln_f,"
                    + " optionally under 'transformer.'; ignored: lm_head, score and the attention-mask buffers)");
        }
        String where = files.size() == 1 ? files.get(0).toString()
                : dir + " (" + files.stream().map(p -> p.getFileName().toString()).toList() + ")";
        return new BackboneWeights(config, canonical(config, found, where), dir.toString());
    }
}
