package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.serving.BackboneWeightsStore;
import dev.idspam.serving.Predictor;
import dev.idspam.serving.SharedTokenizers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Adapter bundles on the tiny backbone: the same logits and labels as the full bundle of the same
 * weights, one weights file and one held copy for several adapters (two tasks), and the refusals of
 * a changed weights file, of a tensor the file lacks and of a method that freezes nothing.
 */
class AdapterBundleTest {
    private static final List<String> TEXTS = List.of("a fun film .", "dull and long", "the plot is thin .", "great", "no");

    @TempDir
    static Path tmp;
    private static Path full;
    private static Path models;

    @BeforeAll
    static void build() throws IOException {
        full = TinyBundles.build(tmp, "sst2");
        models = tmp.resolve("models");
        TinyBundles.build(tmp, "cb");
        // two adapters of one run, and one of another task (a pair task with three labels) on the same backbone
        for (String[] e : List.of(new String[] {"a", "sst2-run"}, new String[] {"b", "sst2-run"}, new String[] {"cb", "cb-run"})) {
            CliRun r = CliRun.of("export", "--artifacts", tmp.resolve(e[1]).toString(), "--out",
                    models.resolve(e[0]).toString(), "--threads", "1", "--adapter");
            assertThat(r.exit()).as(r.err()).isZero();
        }
    }

    private static Path weightsFile() throws IOException {
        try (Stream<Path> s = Files.list(models.resolve("backbones"))) {
            List<Path> files = s.filter(f -> f.toString().endsWith(".safetensors")).toList();
            assertThat(files).hasSize(1);
            return files.get(0);
        }
    }

    /** A copy of adapter {@code a} and the shared weights folder under {@code dir}, to spoil. */
    private static Path copy(Path dir) throws IOException {
        for (String sub : List.of("a", "backbones")) {
            Files.createDirectories(dir.resolve(sub));
            try (Stream<Path> s = Files.list(models.resolve(sub))) {
                for (Path f : s.toList()) {
                    Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        return dir.resolve("a");
    }

    @Test
    void adapterGivesTheFullBundlesLogits() throws IOException {
        try (Predictor f = Predictor.open(full); Predictor a = Predictor.open(models.resolve("a"))) {
            List<Predictor.Prediction> pf = f.predictAll(TEXTS, null);
            List<Predictor.Prediction> pa = a.predictAll(TEXTS, null);
            for (int i = 0; i < TEXTS.size(); i++) {
                float[] x = pf.get(i).logits();
                float[] y = pa.get(i).logits();
                assertThat(y).hasSameSizeAs(x);
                for (int k = 0; k < x.length; k++) {
                    assertThat(y[k]).isCloseTo(x[k], within(1e-5f));
                }
                assertThat(pa.get(i).label()).isEqualTo(pf.get(i).label());
            }
        }
        // the frozen weights left the graph for the weights file (on the tiny backbone the method's own tensors dominate)
        long adapter = Files.size(models.resolve("a/model.onnx"));
        long weights = Files.size(weightsFile());
        assertThat(adapter).isLessThan(Files.size(full.resolve("model.onnx")) - weights / 2);
    }

    @Test
    void adaptersOfOneBackboneShareOneWeightsFileAndOneLoadedCopy() throws IOException {
        Path w = weightsFile();
        assertThat(w.getFileName().toString()).isEqualTo(Workspace.sha256(w) + ".safetensors");
        BackboneWeightsStore store = BackboneWeightsStore.shared();
        int before = store.heldFiles();
        int tokenizers = SharedTokenizers.held();
        try (Predictor a = Predictor.open(models.resolve("a")); Predictor b = Predictor.open(models.resolve("b"))) {
            assertThat(store.heldFiles()).isEqualTo(before + 1);
            assertThat(SharedTokenizers.held()).as("one tokenizer for both bundles").isEqualTo(tokenizers + 1);
            assertThat(a.predictAll(TEXTS, null).get(0).logits()).containsExactly(b.predictAll(TEXTS, null).get(0).logits());
            try (Predictor cb = Predictor.open(models.resolve("cb"))) {
                assertThat(store.heldFiles()).isEqualTo(before + 1);
                assertThat(cb.predict("a man runs .", "a person moves .").probabilities()).hasSize(3);
                assertThat(SharedTokenizers.held()).isEqualTo(tokenizers + 1);
            }
            a.close();
            assertThat(b.predict("still served after the other bundle closed", null).label()).isNotNull();
        }
        assertThat(store.heldFiles()).isEqualTo(before);
        assertThat(SharedTokenizers.held()).as("freed with the last bundle").isEqualTo(tokenizers);
    }

    @Test
    void changedWeightsFileIsRefusedNamingBothDigests() throws IOException {
        Path a = copy(tmp.resolve("changed"));
        Path w;
        try (Stream<Path> s = Files.list(a.resolveSibling("backbones"))) {
            w = s.filter(f -> f.toString().endsWith(".safetensors")).findFirst().orElseThrow();
        }
        String expected = w.getFileName().toString().replace(".safetensors", "");
        byte[] bytes = Files.readAllBytes(w);
        bytes[bytes.length - 3] ^= 0x40;
        Files.write(w, bytes);
        String actual = Workspace.sha256(w);
        assertThatThrownBy(() -> Predictor.open(a)).isInstanceOf(IOException.class)
                .hasMessageContaining("SHA-256 mismatch").hasMessageContaining(expected).hasMessageContaining(actual);
    }

    @Test
    void adapterOfAMethodThatFreezesNothingIsRefused() {
        Path run = tmp.resolve("full-run");
        CliRun g = CliRun.of("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "full", "--task", "sst2",
                "--max-length", "32", "--seed", "3", "--out", run.toString());
        assertThat(g.exit()).as(g.err()).isZero();
        CliRun r = CliRun.of("export", "--artifacts", run.toString(), "--out", tmp.resolve("full-adapter").toString(),
                "--threads", "1", "--adapter");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("full-adapter/model.onnx: no frozen backbone weights")
                .contains("--adapter needs a method that freezes the backbone");
        assertThat(tmp.resolve("full-adapter/model.onnx")).doesNotExist();
    }

    @Test
    void tensorMissingFromTheWeightsFileIsRefused() throws IOException {
        Path a = copy(tmp.resolve("missing"));
        Path manifest = a.resolve("bundle.json");
        JsonObject o = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        JsonArray names = o.getAsJsonObject("backbone_weights").getAsJsonArray("initializers");
        names.add("encoder.layer.9.no_such_tensor");
        Files.writeString(manifest, o.toString());
        int before = BackboneWeightsStore.shared().heldFiles();
        assertThatThrownBy(() -> Predictor.open(a)).isInstanceOf(IOException.class)
                .hasMessageContaining("has no tensor 'encoder.layer.9.no_such_tensor'");
        assertThat(BackboneWeightsStore.shared().heldFiles()).isEqualTo(before); // the lease was returned
    }
}
