package dev.idspam.graphs.backbone;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Imports a Hugging Face model directory: {@code config.json} plus {@code model.safetensors} (or
 * shards listed in {@code model.safetensors.index.json}). BERT and RoBERTa naming, with or without
 * the {@code bert.}/{@code roberta.} prefix; PyTorch Linear weights are [out, in] and are transposed
 * to the canonical [in, out]. GPT-2 (model_type {@code gpt2}, with or without the
 * {@code transformer.} prefix) is read by {@link HuggingFaceGpt2}.
 */
public final class HuggingFaceImporter {
    private static final Pattern LAYER = Pattern.compile(
            "encoder\\.layer\\.(\\d+)\\.(attention\\.self\\.(query|key|value)|attention\\.output\\.dense"
                    + "|attention\\.output\\.LayerNorm|intermediate\\.dense|output\\.dense|output\\.LayerNorm)"
                    + "\\.(weight|bias|gamma|beta)");
    /** Tensors a sequence model may carry that the backbone does not use. */
    private static final Pattern IGNORED = Pattern.compile(
            "embeddings\\.position_ids|cls\\.seq_relationship\\..*|classifier\\..*|qa_outputs\\..*"
                    + "|lm_head\\.decoder\\.bias|cls\\.predictions\\.decoder\\.bias");

    private HuggingFaceImporter() {
    }

    /** Reads {@code dir/config.json} and the safetensors weights. */
    public static BackboneWeights read(Path dir) throws IOException {
        Path configFile = dir.resolve("config.json");
        if (!Files.isRegularFile(configFile)) {
            throw new IOException(dir + " is not a Hugging Face model directory: config.json is missing");
        }
        BackboneConfig config = parseConfig(Files.readString(configFile, StandardCharsets.UTF_8), configFile.toString());
        List<Path> files = weightFiles(dir);
        if (config.family() == BackboneConfig.Family.GPT2) {
            return HuggingFaceGpt2.read(dir, config, files);
        }
        Map<String, TensorData> canonical = new LinkedHashMap<>();
        TensorData decoder = null;
        List<String> unknown = new ArrayList<>();
        for (Path f : files) {
            try (Safetensors.Reader r = Safetensors.open(f)) {
                for (Safetensors.Entry e : r.entries().values()) {
                    String name = stripPrefix(e.name());
                    if (IGNORED.matcher(name).matches()) {
                        continue;
                    }
                    if (name.equals("cls.predictions.decoder.weight") || name.equals("lm_head.decoder.weight")) {
                        decoder = r.readFloat(e.name());
                        continue;
                    }
                    Target t = target(name);
                    if (t == null) {
                        unknown.add(e.name());
                        continue;
                    }
                    TensorData data = r.readFloat(e.name());
                    canonical.put(t.name(), t.transpose() ? transpose2d(data, f + ":" + e.name()) : data);
                }
            }
        }
        if (!unknown.isEmpty()) {
            throw new IOException(dir + ": tensors with no canonical backbone name: " + unknown
                    + " (supported: BERT/RoBERTa encoder, pooler and masked-LM head tensors)");
        }
        if (decoder != null && !decoder.equals(canonical.get(TensorNames.WORD))) {
            canonical.put(TensorNames.MLM_DECODER_W, transpose2d(decoder, dir + ": MLM decoder"));
        }
        return new BackboneWeights(config, canonical, dir.toString());
    }

    /** Parses a {@code config.json} of model_type bert, roberta (or xlm-roberta, camembert) or gpt2. */
    public static BackboneConfig parseConfig(String json, String origin) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(origin + " is not a JSON object: " + e.getMessage(), e);
        }
        String type = string(o, "model_type", "bert");
        BackboneConfig.Family family = switch (type) {
            case "bert" -> BackboneConfig.Family.BERT;
            case "roberta", "xlm-roberta", "camembert" -> BackboneConfig.Family.ROBERTA;
            case "gpt2" -> BackboneConfig.Family.GPT2;
            default -> throw new IllegalArgumentException(origin + ": model_type '" + type
                    + "' is not supported (supported: bert, roberta, xlm-roberta, camembert, gpt2)");
        };
        if (family == BackboneConfig.Family.GPT2) {
            return HuggingFaceGpt2.parseConfig(o, origin);
        }
        String act = string(o, "hidden_act", "gelu");
        if (!act.equals("gelu")) {
            throw new IllegalArgumentException(origin + ": hidden_act '" + act + "' is not supported; only exact"
                    + " GELU ('gelu') is built");
        }
        String pos = string(o, "position_embedding_type", "absolute");
        if (!pos.equals("absolute")) {
            throw new IllegalArgumentException(origin + ": position_embedding_type '" + pos
                    + "' is not supported; only 'absolute' position embeddings are built");
        }
        int pad = integer(o, "pad_token_id", family == BackboneConfig.Family.ROBERTA ? 1 : 0, origin);
        return new BackboneConfig(family, integer(o, "num_hidden_layers", null, origin),
                integer(o, "hidden_size", null, origin), integer(o, "num_attention_heads", null, origin),
                integer(o, "intermediate_size", null, origin), integer(o, "vocab_size", null, origin),
                integer(o, "max_position_embeddings", null, origin), integer(o, "type_vocab_size", 2, origin),
                o.has("layer_norm_eps") ? o.get("layer_norm_eps").getAsDouble() : 1e-12,
                BackboneConfig.Activation.GELU, family == BackboneConfig.Family.ROBERTA ? pad + 1 : 0, pad);
    }

    private static String string(JsonObject o, String key, String dflt) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? dflt : e.getAsString();
    }

    private static int integer(JsonObject o, String key, Integer dflt, String origin) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            if (dflt == null) {
                throw new IllegalArgumentException(origin + ": required key '" + key + "' is missing");
            }
            return dflt;
        }
        return e.getAsInt();
    }

    private static List<Path> weightFiles(Path dir) throws IOException {
        Path single = dir.resolve("model.safetensors");
        if (Files.isRegularFile(single)) {
            return List.of(single);
        }
        Path index = dir.resolve("model.safetensors.index.json");
        if (Files.isRegularFile(index)) {
            JsonObject map = JsonParser.parseString(Files.readString(index)).getAsJsonObject().getAsJsonObject("weight_map");
            Set<String> shards = new LinkedHashSet<>();
            map.entrySet().forEach(e -> shards.add(e.getValue().getAsString()));
            return shards.stream().map(dir::resolve).toList();
        }
        String hint = Files.isRegularFile(dir.resolve("pytorch_model.bin"))
                ? " (pytorch_model.bin is not read: convert it to safetensors, e.g. with transformers' save_pretrained)" : "";
        throw new IOException(dir + " has neither model.safetensors nor model.safetensors.index.json" + hint);
    }

    private static String stripPrefix(String name) {
        for (String p : new String[] {"bert.", "roberta.", "model."}) {
            if (name.startsWith(p)) {
                return name.substring(p.length());
            }
        }
        return name;
    }

    private record Target(String name, boolean transpose) { }

    private static Target target(String name) {
        Matcher m = LAYER.matcher(name);
        if (m.matches()) {
            int i = Integer.parseInt(m.group(1));
            String part = m.group(2);
            String kind = m.group(4);
            boolean weight = kind.equals("weight") || kind.equals("gamma");
            String suffix = switch (part) {
                case "attention.self.query" -> weight ? TensorNames.Q_W : TensorNames.Q_B;
                case "attention.self.key" -> weight ? TensorNames.K_W : TensorNames.K_B;
                case "attention.self.value" -> weight ? TensorNames.V_W : TensorNames.V_B;
                case "attention.output.dense" -> weight ? TensorNames.OUT_W : TensorNames.OUT_B;
                case "attention.output.LayerNorm" -> weight ? TensorNames.ATTN_LN_GAMMA : TensorNames.ATTN_LN_BETA;
                case "intermediate.dense" -> weight ? TensorNames.FFN_IN_W : TensorNames.FFN_IN_B;
                case "output.dense" -> weight ? TensorNames.FFN_OUT_W : TensorNames.FFN_OUT_B;
                default -> weight ? TensorNames.FFN_LN_GAMMA : TensorNames.FFN_LN_BETA;
            };
            boolean transpose = kind.equals("weight") && !part.endsWith("LayerNorm");
            return new Target(TensorNames.layer(i, suffix), transpose);
        }
        return switch (name) {
            case "embeddings.word_embeddings.weight" -> new Target(TensorNames.WORD, false);
            case "embeddings.position_embeddings.weight" -> new Target(TensorNames.POSITION, false);
            case "embeddings.token_type_embeddings.weight" -> new Target(TensorNames.TOKEN_TYPE, false);
            case "embeddings.LayerNorm.weight", "embeddings.LayerNorm.gamma" -> new Target(TensorNames.EMB_LN_GAMMA, false);
            case "embeddings.LayerNorm.bias", "embeddings.LayerNorm.beta" -> new Target(TensorNames.EMB_LN_BETA, false);
            case "pooler.dense.weight" -> new Target(TensorNames.POOLER_W, true);
            case "pooler.dense.bias" -> new Target(TensorNames.POOLER_B, false);
            case "cls.predictions.transform.dense.weight", "lm_head.dense.weight" -> new Target(TensorNames.MLM_DENSE_W, true);
            case "cls.predictions.transform.dense.bias", "lm_head.dense.bias" -> new Target(TensorNames.MLM_DENSE_B, false);
            case "cls.predictions.transform.LayerNorm.weight", "cls.predictions.transform.LayerNorm.gamma",
                 "lm_head.layer_norm.weight" -> new Target(TensorNames.MLM_LN_GAMMA, false);
            case "cls.predictions.transform.LayerNorm.bias", "cls.predictions.transform.LayerNorm.beta",
                 "lm_head.layer_norm.bias" -> new Target(TensorNames.MLM_LN_BETA, false);
            case "cls.predictions.bias", "lm_head.bias" -> new Target(TensorNames.MLM_BIAS, false);
            default -> null;
        };
    }

    /** [rows, cols] → [cols, rows]. */
    static TensorData transpose2d(TensorData t, String what) {
        long[] d = t.dims();
        if (d.length != 2 || t.type() != DType.FLOAT) {
            throw new IllegalArgumentException(what + ": expected a 2-D float matrix, got " + t.type() + Arrays.toString(d));
        }
        int rows = (int) d[0];
        int cols = (int) d[1];
        float[] in = t.toFloats();
        ByteBuffer out = ByteBuffer.allocate(in.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int c = 0; c < cols; c++) {
            for (int r = 0; r < rows; r++) {
                out.putFloat(in[r * cols + c]);
            }
        }
        return TensorData.adoptRaw(DType.FLOAT, new long[] {cols, rows}, out.array());
    }
}
