package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HuggingFaceImporterTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"BERT, true", "BERT, false", "ROBERTA, true", "ROBERTA, false"})
    void importsTinyDirectoryBitExactAndMatchesReference(String family, boolean prefix) throws Exception {
        BackboneWeights original = TinyBackbones.random(family.equals("BERT") ? TinyBackbones.bertConfig()
                : TinyBackbones.robertaConfig(), 21);
        Path dir = tmp.resolve(family + prefix);
        TinyBackbones.writeHfDirectory(dir, original, prefix, Safetensors.StorageType.F32);

        BackboneWeights imported = HuggingFaceImporter.read(dir);

        assertThat(imported.config()).isEqualTo(original.config());
        assertThat(imported.tensors().keySet()).containsExactlyElementsOf(original.tensors().keySet());
        for (Map.Entry<String, TensorData> e : original.tensors().entrySet()) {
            assertThat(imported.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        EncoderParity.Batch batch = EncoderParity.randomBatch(imported.config(), new int[] {9, 4, 6}, 4);
        try (GraphRunner run = new GraphRunner(EncoderParity.graph(imported, EncoderBuilder.WeightBinding.FROZEN, true, null, null))) {
            assertThat(EncoderParity.maxDiffAllLayers(run, imported, batch, true, new ReferenceEncoder(imported), -1, null))
                    .isLessThan(1e-5);
        }
    }

    @Test
    void halfPrecisionWeightsAreWidenedToFloat() throws Exception {
        BackboneWeights original = TinyBackbones.random(TinyBackbones.bertConfig(), 22);
        for (Safetensors.StorageType storage : new Safetensors.StorageType[] {Safetensors.StorageType.F16, Safetensors.StorageType.BF16}) {
            Path dir = tmp.resolve(storage.name());
            TinyBackbones.writeHfDirectory(dir, original, true, storage);
            BackboneWeights imported = HuggingFaceImporter.read(dir);
            float[] a = original.get(TensorNames.layer(1, TensorNames.FFN_IN_W)).toFloats();
            float[] b = imported.get(TensorNames.layer(1, TensorNames.FFN_IN_W)).toFloats();
            double rel = storage == Safetensors.StorageType.F16 ? 0x1p-11 : 0x1p-8;
            for (int i = 0; i < a.length; i++) {
                assertThat((double) b[i]).isCloseTo(a[i], org.assertj.core.data.Offset.offset(Math.abs(a[i]) * rel + 1e-7));
            }
        }
    }

    @Test
    void untiedDecoderIsKeptTransposed() throws Exception {
        BackboneWeights original = TinyBackbones.random(TinyBackbones.bertConfig(), 23);
        Path dir = tmp.resolve("untied");
        TinyBackbones.writeHfDirectory(dir, original, true, Safetensors.StorageType.F32);
        // replace the tied decoder by a different [V, n] matrix
        Map<String, TensorData> hf = new java.util.LinkedHashMap<>();
        try (Safetensors.Reader r = Safetensors.open(dir.resolve("model.safetensors"))) {
            for (String name : r.entries().keySet()) {
                hf.put(name, r.readFloat(name));
            }
        }
        BackboneConfig c = original.config();
        float[] v = new float[c.vocabSize() * c.hidden()];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 1e-3f;
        }
        hf.put("cls.predictions.decoder.weight", TensorData.ofFloats(new long[] {c.vocabSize(), c.hidden()}, v));
        Safetensors.write(dir.resolve("model.safetensors"), hf, Safetensors.StorageType.F32);
        BackboneWeights imported = HuggingFaceImporter.read(dir);
        assertThat(imported.get(TensorNames.MLM_DECODER_W).dims()).containsExactly(c.hidden(), c.vocabSize());
        assertThat(imported.get(TensorNames.MLM_DECODER_W).toFloats()[1]).isEqualTo(c.hidden() * 1e-3f);
    }

    @Test
    void rejectsWhatItCannotBuild() throws Exception {
        BackboneWeights original = TinyBackbones.random(TinyBackbones.bertConfig(), 24);
        Path dir = tmp.resolve("tanh");
        TinyBackbones.writeHfDirectory(dir, original, true, Safetensors.StorageType.F32);
        Files.writeString(dir.resolve("config.json"), Files.readString(dir.resolve("config.json"))
                .replace("\"hidden_act\": \"gelu\"", "\"hidden_act\": \"gelu_new\""));
        assertThatThrownBy(() -> HuggingFaceImporter.read(dir)).hasMessageContaining("hidden_act 'gelu_new' is not supported");
        assertThatThrownBy(() -> HuggingFaceImporter.read(tmp.resolve("nothing")))
                .hasMessageContaining("config.json is missing");
        assertThatThrownBy(() -> HuggingFaceImporter.parseConfig("{\"model_type\": \"llama\"}", "cfg"))
                .hasMessageContaining("model_type 'llama' is not supported (supported: bert, roberta, xlm-roberta,"
                        + " camembert, gpt2)");
    }

    @Test
    void gpt2ConfigFieldsAreCheckedNamingTheFileAndTheField() throws Exception {
        Path dir = tmp.resolve("gpt2-config");
        TinyGpt2.write(dir, TinyGpt2.random(TinyGpt2.config(), 25), TinyGpt2.Layout.BASE_MODEL);
        Path config = dir.resolve("config.json");
        String good = Files.readString(config);
        Map<String, String> broken = new java.util.LinkedHashMap<>();
        broken.put(good.replace("  \"n_embd\": 16,\n", ""), "config.json: required key 'n_embd' is missing");
        broken.put(good.replace("\"n_head\": 4", "\"n_head\": \"four\""), "config.json: 'n_head' must be a whole number, got \"four\"");
        broken.put(good.replace("\"n_layer\": 2", "\"n_layer\": 0"), "config.json: 'n_layer' must be a whole number >= 1, got 0");
        broken.put(good.replace("\"n_head\": 4", "\"n_head\": 3"), "config.json: n_embd 16 is not a multiple of n_head 3");
        broken.put(good.replace("\"gelu_new\"", "\"relu\""), "config.json: activation_function 'relu' is not supported");
        broken.put(good.replace("\"layer_norm_epsilon\": 1e-05", "\"layer_norm_epsilon\": -1"),
                "config.json: 'layer_norm_epsilon' must be a number in (0, 1), got -1");
        broken.put(good.replace("\"scale_attn_by_inverse_layer_idx\": false", "\"scale_attn_by_inverse_layer_idx\": true"),
                "config.json: 'scale_attn_by_inverse_layer_idx' = true is not supported");
        broken.put(good.replace("  \"eos_token_id\": 266,\n", ""), "config.json: neither 'pad_token_id' nor 'eos_token_id' is set");
        broken.put(good.replace("\"eos_token_id\": 266", "\"eos_token_id\": 267"),
                "config.json: 'eos_token_id' 267 is not a token id in [0, vocab_size = 267)");
        for (Map.Entry<String, String> e : broken.entrySet()) {
            assertThat(e.getKey()).isNotEqualTo(good);
            Files.writeString(config, e.getKey());
            assertThatThrownBy(() -> HuggingFaceImporter.read(dir)).hasMessageContaining(e.getValue());
        }
    }

    @Test
    void gpt2TensorsAreCheckedNamingTheFileAndTheTensor() throws Exception {
        BackboneWeights w = TinyGpt2.random(TinyGpt2.config(), 26);
        Path dir = tmp.resolve("gpt2-tensors");
        TinyGpt2.write(dir, w, TinyGpt2.Layout.LM_HEAD_MODEL);
        Path file = dir.resolve("model.safetensors");
        Map<String, TensorData> hf = new java.util.LinkedHashMap<>(TinyGpt2.hfTensors(w, TinyGpt2.Layout.LM_HEAD_MODEL));

        Map<String, TensorData> missing = new java.util.LinkedHashMap<>(hf);
        missing.remove("transformer.h.1.mlp.c_fc.weight");
        Safetensors.write(file, missing, Safetensors.StorageType.F32);
        assertThatThrownBy(() -> HuggingFaceImporter.read(dir)).hasMessageContaining(file.toString())
                .hasMessageContaining("tensor 'h.1.mlp.c_fc.weight' is missing, expected shape [16, 64]");

        Map<String, TensorData> linear = new java.util.LinkedHashMap<>(hf);
        linear.put("transformer.h.0.attn.c_attn.weight",
                HuggingFaceImporter.transpose2d(hf.get("transformer.h.0.attn.c_attn.weight"), "c_attn"));
        Safetensors.write(file, linear, Safetensors.StorageType.F32);
        assertThatThrownBy(() -> HuggingFaceImporter.read(dir))
                .hasMessageContaining("tensor 'h.0.attn.c_attn.weight' has shape [48, 16], expected [16, 48]"
                        + " (GPT-2 stores Conv1D weights [in, out]; this one is [out, in] like nn.Linear)");

        Map<String, TensorData> extra = new java.util.LinkedHashMap<>(hf);
        extra.put("transformer.h.0.attn.q_proj.weight", hf.get("transformer.h.0.attn.c_proj.weight"));
        extra.put("transformer.h.2.ln_1.weight", hf.get("transformer.h.0.ln_1.weight"));
        Safetensors.write(file, extra, Safetensors.StorageType.F32);
        assertThatThrownBy(() -> HuggingFaceImporter.read(dir))
                .hasMessageContaining("not part of a GPT-2 backbone: [model.safetensors:transformer.h.0.attn.q_proj.weight]");
        extra.remove("transformer.h.0.attn.q_proj.weight");
        Safetensors.write(file, extra, Safetensors.StorageType.F32);
        assertThatThrownBy(() -> HuggingFaceImporter.read(dir))
                .hasMessageContaining("tensor 'h.2.ln_1.weight' belongs to block 2, but n_layer is 2");
    }
}
