package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded tiny GPT-2 checkpoints made by code, written as Hugging Face writes them: {@code config.json}
 * (GPT2Config's keys, sorted, {@code n_inner} null for 4n) and {@code model.safetensors} with Conv1D
 * weights stored [in, out] and the fused {@code c_attn} [n, 3n] = [Q | K | V]. Public: the pipeline
 * tests train on it.
 */
public final class TinyGpt2 {
    /** Which model class saved the checkpoint. */
    public enum Layout {
        /** GPT2Model: names without a prefix, no language-model head. */
        BASE_MODEL,
        /**
         * GPT2LMHeadModel: names under {@code transformer.}, {@code lm_head.weight} equal to wte (tied),
         * and the {@code attn.bias} causal-mask buffers older versions saved (as in the hub's gpt2 file).
         */
        LM_HEAD_MODEL
    }

    private TinyGpt2() {
    }

    /** 2 blocks, n = 16, 4 heads, n_inner null (64), the tiny byte-level vocabulary, 40 positions. */
    public static BackboneConfig config() {
        return BackboneConfig.gpt2(2, 16, 4, 64, TinyByteBpe.VOCAB_SIZE, 40, 1e-5, BackboneConfig.Activation.GELU_TANH,
                TinyByteBpe.EOS);
    }

    /** 3 blocks, n = 12, 2 heads, n_inner 20 (set explicitly), 24 positions. */
    public static BackboneConfig narrowConfig() {
        return BackboneConfig.gpt2(3, 12, 2, 20, TinyByteBpe.VOCAB_SIZE, 24, 1e-5, BackboneConfig.Activation.GELU_TANH,
                TinyByteBpe.EOS);
    }

    /** Random weights with a trained model's scales: LN gammas near 1, small biases, 1/√in matrices. */
    public static BackboneWeights random(BackboneConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, TensorData> t = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : TensorNames.encoderShapes(c).entrySet()) {
            long[] d = e.getValue();
            float[] v = new float[Math.toIntExact(TensorData.count(d))];
            boolean gamma = e.getKey().endsWith("gamma");
            double std = d.length == 2 ? (e.getKey().startsWith("embeddings") ? 0.5 : 1 / Math.sqrt(d[0])) : 0.1;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((gamma ? 1 : 0) + std * gaussian(r));
            }
            t.put(e.getKey(), TensorData.ofFloats(d, v));
        }
        return new BackboneWeights(c, t, "tiny random GPT-2, seed " + seed);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Writes config.json and model.safetensors into {@code dir}. */
    public static void write(Path dir, BackboneWeights w, Layout layout) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), configJson(w.config(), layout), StandardCharsets.UTF_8);
        Safetensors.write(dir.resolve("model.safetensors"), hfTensors(w, layout), Safetensors.StorageType.F32,
                Map.of("format", "pt"));
    }

    /** As {@link #write}, plus the tiny byte-level BPE tokenizer.json: a folder {@code --backbone} accepts. */
    public static void writeWithTokenizer(Path dir, BackboneWeights w, Layout layout) throws IOException {
        write(dir, w, layout);
        TinyByteBpe.write(dir.resolve("tokenizer.json"));
    }

    /** GPT2Config.to_json_string: sorted keys, two-space indent. */
    static String configJson(BackboneConfig c, Layout layout) {
        String inner = c.intermediate() == 4 * c.hidden() ? "null" : String.valueOf(c.intermediate());
        String arch = layout == Layout.LM_HEAD_MODEL ? "GPT2LMHeadModel" : "GPT2Model";
        return "{\n"
                + "  \"activation_function\": \"gelu_new\",\n"
                + "  \"architectures\": [\n    \"" + arch + "\"\n  ],\n"
                + "  \"attn_pdrop\": 0.1,\n"
                + "  \"bos_token_id\": " + c.padTokenId() + ",\n"
                + "  \"embd_pdrop\": 0.1,\n"
                + "  \"eos_token_id\": " + c.padTokenId() + ",\n"
                + "  \"initializer_range\": 0.02,\n"
                + "  \"layer_norm_epsilon\": 1e-05,\n"
                + "  \"model_type\": \"gpt2\",\n"
                + "  \"n_embd\": " + c.hidden() + ",\n"
                + "  \"n_head\": " + c.heads() + ",\n"
                + "  \"n_inner\": " + inner + ",\n"
                + "  \"n_layer\": " + c.layers() + ",\n"
                + "  \"n_positions\": " + c.maxPositions() + ",\n"
                + "  \"reorder_and_upcast_attn\": false,\n"
                + "  \"resid_pdrop\": 0.1,\n"
                + "  \"scale_attn_by_inverse_layer_idx\": false,\n"
                + "  \"scale_attn_weights\": true,\n"
                + "  \"summary_activation\": null,\n"
                + "  \"summary_first_dropout\": 0.1,\n"
                + "  \"summary_proj_to_labels\": true,\n"
                + "  \"summary_type\": \"cls_index\",\n"
                + "  \"summary_use_proj\": true,\n"
                + "  \"torch_dtype\": \"float32\",\n"
                + "  \"transformers_version\": \"4.46.3\",\n"
                + "  \"use_cache\": true,\n"
                + "  \"vocab_size\": " + c.vocabSize() + "\n"
                + "}\n";
    }

    /** Canonical tensors under GPT-2's names, with Q, K and V fused back into c_attn. */
    static Map<String, TensorData> hfTensors(BackboneWeights w, Layout layout) {
        BackboneConfig c = w.config();
        String p = layout == Layout.LM_HEAD_MODEL ? "transformer." : "";
        Map<String, TensorData> hf = new LinkedHashMap<>();
        hf.put(p + "wte.weight", w.get(TensorNames.WORD));
        hf.put(p + "wpe.weight", w.get(TensorNames.POSITION));
        for (int i = 0; i < c.layers(); i++) {
            String h = p + "h." + i + ".";
            hf.put(h + "ln_1.weight", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA)));
            hf.put(h + "ln_1.bias", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_BETA)));
            if (layout == Layout.LM_HEAD_MODEL) {
                hf.put(h + "attn.bias", causalBuffer(c.maxPositions()));
            }
            hf.put(h + "attn.c_attn.weight", sideBySide(w.get(TensorNames.layer(i, TensorNames.Q_W)),
                    w.get(TensorNames.layer(i, TensorNames.K_W)), w.get(TensorNames.layer(i, TensorNames.V_W))));
            hf.put(h + "attn.c_attn.bias", sideBySide(w.get(TensorNames.layer(i, TensorNames.Q_B)),
                    w.get(TensorNames.layer(i, TensorNames.K_B)), w.get(TensorNames.layer(i, TensorNames.V_B))));
            hf.put(h + "attn.c_proj.weight", w.get(TensorNames.layer(i, TensorNames.OUT_W)));
            hf.put(h + "attn.c_proj.bias", w.get(TensorNames.layer(i, TensorNames.OUT_B)));
            hf.put(h + "ln_2.weight", w.get(TensorNames.layer(i, TensorNames.FFN_LN_GAMMA)));
            hf.put(h + "ln_2.bias", w.get(TensorNames.layer(i, TensorNames.FFN_LN_BETA)));
            hf.put(h + "mlp.c_fc.weight", w.get(TensorNames.layer(i, TensorNames.FFN_IN_W)));
            hf.put(h + "mlp.c_fc.bias", w.get(TensorNames.layer(i, TensorNames.FFN_IN_B)));
            hf.put(h + "mlp.c_proj.weight", w.get(TensorNames.layer(i, TensorNames.FFN_OUT_W)));
            hf.put(h + "mlp.c_proj.bias", w.get(TensorNames.layer(i, TensorNames.FFN_OUT_B)));
        }
        hf.put(p + "ln_f.weight", w.get(TensorNames.FINAL_LN_GAMMA));
        hf.put(p + "ln_f.bias", w.get(TensorNames.FINAL_LN_BETA));
        if (layout == Layout.LM_HEAD_MODEL) {
            hf.put("lm_head.weight", w.get(TensorNames.WORD));
        }
        return hf;
    }

    /** Matrices [r, c1], [r, c2], … (or vectors) joined along their last axis. */
    static TensorData sideBySide(TensorData... parts) {
        long[] d = parts[0].dims();
        int rows = d.length == 2 ? (int) d[0] : 1;
        int total = 0;
        for (TensorData t : parts) {
            total += (int) t.dims()[t.dims().length - 1];
        }
        ByteBuffer out = ByteBuffer.allocate(rows * total * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (TensorData t : parts) {
                int cols = (int) t.dims()[t.dims().length - 1];
                float[] v = t.toFloats();
                for (int k = 0; k < cols; k++) {
                    out.putFloat(v[r * cols + k]);
                }
            }
        }
        return TensorData.adoptRaw(DType.FLOAT, d.length == 2 ? new long[] {rows, total} : new long[] {total},
                out.array());
    }

    /** The lower-triangular ones [1, 1, P, P] older GPT-2 checkpoints carry per block. */
    private static TensorData causalBuffer(int positions) {
        float[] v = new float[positions * positions];
        for (int i = 0; i < positions; i++) {
            for (int j = 0; j <= i; j++) {
                v[i * positions + j] = 1;
            }
        }
        return TensorData.ofFloats(new long[] {1, 1, positions, positions}, v);
    }
}
