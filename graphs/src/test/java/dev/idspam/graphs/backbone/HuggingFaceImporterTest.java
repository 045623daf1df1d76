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
        assertThatThrownBy(() -> HuggingFaceImporter.parseConfig("{\"model_type\": \"gpt2\"}", "cfg"))
                .hasMessageContaining("model_type 'gpt2' is not supported");
    }
}
