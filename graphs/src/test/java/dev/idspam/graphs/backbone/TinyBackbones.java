package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded tiny backbones (2 layers, hidden 16) and their Hugging Face directories, made by code. */
final class TinyBackbones {
    private TinyBackbones() {
    }

    static BackboneConfig bertConfig() {
        return BackboneConfig.bert(2, 16, 4, 24, 40, 32, 2, 1e-12);
    }

    static BackboneConfig robertaConfig() {
        return new BackboneConfig(BackboneConfig.Family.ROBERTA, 2, 16, 2, 20, 40, 34, 1, 1e-5,
                BackboneConfig.Activation.GELU, 2, 1);
    }

    /** Random weights with the scales of a trained model (LN gamma near 1, small biases), MLM head included. */
    static BackboneWeights random(BackboneConfig c, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, TensorData> t = new LinkedHashMap<>();
        Map<String, long[]> shapes = new LinkedHashMap<>(TensorNames.encoderShapes(c));
        shapes.putAll(TensorNames.mlmShapes(c));
        shapes.putAll(TensorNames.poolerShapes(c));
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] d = e.getValue();
            float[] v = new float[(int) TensorData.count(d)];
            boolean gamma = e.getKey().endsWith("gamma");
            double std = d.length == 2 ? (e.getKey().startsWith("embeddings") ? 0.5 : 1 / Math.sqrt(d[0])) : 0.1;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((gamma ? 1 : 0) + std * gaussian(r));
            }
            t.put(e.getKey(), TensorData.ofFloats(d, v));
        }
        return new BackboneWeights(c, t, "tiny random seed " + seed);
    }

    private static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    /** Writes config.json and model.safetensors with Hugging Face names (PyTorch [out, in] matrices). */
    static void writeHfDirectory(Path dir, BackboneWeights w, boolean withModelPrefix, Safetensors.StorageType storage)
            throws IOException {
        BackboneConfig c = w.config();
        boolean roberta = c.family() == BackboneConfig.Family.ROBERTA;
        String prefix = withModelPrefix ? (roberta ? "roberta." : "bert.") : "";
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), "{\n"
                + "  \"model_type\": \"" + (roberta ? "roberta" : "bert") + "\",\n"
                + "  \"num_hidden_layers\": " + c.layers() + ",\n"
                + "  \"hidden_size\": " + c.hidden() + ",\n"
                + "  \"num_attention_heads\": " + c.heads() + ",\n"
                + "  \"intermediate_size\": " + c.intermediate() + ",\n"
                + "  \"vocab_size\": " + c.vocabSize() + ",\n"
                + "  \"max_position_embeddings\": " + c.maxPositions() + ",\n"
                + "  \"type_vocab_size\": " + c.typeVocabSize() + ",\n"
                + "  \"layer_norm_eps\": " + c.layerNormEps() + ",\n"
                + "  \"hidden_act\": \"gelu\",\n"
                + "  \"pad_token_id\": " + c.padTokenId() + "\n}\n", StandardCharsets.UTF_8);
        Map<String, TensorData> hf = new LinkedHashMap<>();
        hf.put(prefix + "embeddings.word_embeddings.weight", w.get(TensorNames.WORD));
        hf.put(prefix + "embeddings.position_embeddings.weight", w.get(TensorNames.POSITION));
        hf.put(prefix + "embeddings.token_type_embeddings.weight", w.get(TensorNames.TOKEN_TYPE));
        hf.put(prefix + "embeddings.LayerNorm.weight", w.get(TensorNames.EMB_LN_GAMMA));
        hf.put(prefix + "embeddings.LayerNorm.bias", w.get(TensorNames.EMB_LN_BETA));
        for (int i = 0; i < c.layers(); i++) {
            String l = prefix + "encoder.layer." + i + ".";
            linear(hf, l + "attention.self.query", w, i, TensorNames.Q_W, TensorNames.Q_B);
            linear(hf, l + "attention.self.key", w, i, TensorNames.K_W, TensorNames.K_B);
            linear(hf, l + "attention.self.value", w, i, TensorNames.V_W, TensorNames.V_B);
            linear(hf, l + "attention.output.dense", w, i, TensorNames.OUT_W, TensorNames.OUT_B);
            hf.put(l + "attention.output.LayerNorm.weight", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA)));
            hf.put(l + "attention.output.LayerNorm.bias", w.get(TensorNames.layer(i, TensorNames.ATTN_LN_BETA)));
            linear(hf, l + "intermediate.dense", w, i, TensorNames.FFN_IN_W, TensorNames.FFN_IN_B);
            linear(hf, l + "output.dense", w, i, TensorNames.FFN_OUT_W, TensorNames.FFN_OUT_B);
            hf.put(l + "output.LayerNorm.weight", w.get(TensorNames.layer(i, TensorNames.FFN_LN_GAMMA)));
            hf.put(l + "output.LayerNorm.bias", w.get(TensorNames.layer(i, TensorNames.FFN_LN_BETA)));
        }
        hf.put(prefix + "pooler.dense.weight", HuggingFaceImporter.transpose2d(w.get(TensorNames.POOLER_W), "pooler"));
        hf.put(prefix + "pooler.dense.bias", w.get(TensorNames.POOLER_B));
        String head = roberta ? "lm_head." : "cls.predictions.";
        String transform = roberta ? "lm_head." : "cls.predictions.transform.";
        hf.put(transform + "dense.weight", HuggingFaceImporter.transpose2d(w.get(TensorNames.MLM_DENSE_W), "mlm"));
        hf.put(transform + "dense.bias", w.get(TensorNames.MLM_DENSE_B));
        hf.put(transform + (roberta ? "layer_norm" : "LayerNorm") + ".weight", w.get(TensorNames.MLM_LN_GAMMA));
        hf.put(transform + (roberta ? "layer_norm" : "LayerNorm") + ".bias", w.get(TensorNames.MLM_LN_BETA));
        hf.put(head + "bias", w.get(TensorNames.MLM_BIAS));
        hf.put(head + "decoder.weight", w.get(TensorNames.WORD));
        Safetensors.write(dir.resolve("model.safetensors"), hf, storage);
    }

    private static void linear(Map<String, TensorData> hf, String name, BackboneWeights w, int i, String wn, String bn) {
        hf.put(name + ".weight", HuggingFaceImporter.transpose2d(w.get(TensorNames.layer(i, wn)), name));
        hf.put(name + ".bias", w.get(TensorNames.layer(i, bn)));
    }
}
