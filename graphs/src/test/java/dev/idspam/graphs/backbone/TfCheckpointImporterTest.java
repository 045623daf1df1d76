package dev.idspam.graphs.backbone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TensorFlow importer on a tiny bundle written by test code, in every layout it accepts. */
class TfCheckpointImporterTest {
    @TempDir
    Path tmp;

    private static void assertSameWeights(BackboneWeights imported, BackboneWeights original) {
        assertThat(imported.config()).isEqualTo(original.config());
        assertThat(imported.tensors().keySet()).containsExactlyElementsOf(original.tensors().keySet());
        for (String name : original.tensors().keySet()) {
            assertThat(imported.get(name)).as(name).isEqualTo(original.get(name));
        }
    }

    @Test
    void readsPrefixDirectoryAndZipsInEitherOrder() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 41);
        Path dir = Files.createDirectories(tmp.resolve("tiny_L-2_H-16_A-4"));
        Path prefix = dir.resolve("bert_model.ckpt");
        TinyTfCheckpoint.write(prefix, w);

        assertSameWeights(TfCheckpointImporter.read(ResourceLocation.of(prefix)), w);
        assertSameWeights(TfCheckpointImporter.read(ResourceLocation.of(dir)), w);
        for (boolean indexFirst : new boolean[] {true, false}) {
            Path zip = tmp.resolve("saved_model_" + indexFirst + ".zip");
            TinyTfCheckpoint.zip(zip, prefix, indexFirst);
            BackboneWeights fromZip = TfCheckpointImporter.read(ResourceLocation.of(zip));
            // no bert_config.json and no A-<heads> in the zip's name: heads fall back to hidden/64 (at least 1)
            assertThat(fromZip.config().heads()).isEqualTo(1);
            assertThat(fromZip.tensors()).isEqualTo(w.tensors());
        }
        assertThat(BackboneCatalog.resolve(dir.toString()).format()).isEqualTo(BackboneSource.Format.TF_CHECKPOINT);
    }

    @Test
    void headsComeFromBertConfigWhenPresent() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 42);
        Path dir = Files.createDirectories(tmp.resolve("ckpt"));
        TinyTfCheckpoint.write(dir.resolve("model.ckpt"), w);
        Files.writeString(dir.resolve("bert_config.json"), "{\"num_attention_heads\": 8, \"hidden_act\": \"gelu\"}");
        assertThat(TfCheckpointImporter.read(ResourceLocation.of(dir)).config().heads()).isEqualTo(8);
        Files.writeString(dir.resolve("bert_config.json"), "{\"num_attention_heads\": 8, \"hidden_act\": \"relu\"}");
        assertThatThrownBy(() -> TfCheckpointImporter.read(ResourceLocation.of(dir)))
                .hasMessageContaining("hidden_act 'relu' is not supported");
    }

    @Test
    void detectsCorruptDataAndMissingShards() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 43);
        Path prefix = Files.createDirectories(tmp.resolve("c")).resolve("bert_model.ckpt");
        TinyTfCheckpoint.write(prefix, w);
        Path data = Path.of(prefix + ".data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(data);
        bytes[5] ^= 0x10;
        Files.write(data, bytes);
        assertThatThrownBy(() -> TfCheckpointImporter.read(ResourceLocation.of(prefix)))
                .hasMessageContaining("tensor bert/embeddings/LayerNorm/beta fails its CRC32C check");
        Files.delete(data);
        assertThatThrownBy(() -> TfCheckpointImporter.read(ResourceLocation.of(prefix)))
                .hasMessageContaining("bert_model.ckpt.data-00000-of-00001");
    }
}
