package dev.idspam.tools.badinput;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.server.InferenceServer;
import dev.idspam.server.ServerConfig;
import dev.idspam.serving.MultiTaskPredictor;
import dev.idspam.serving.Predictor;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/**
 * Shared-prefix serving on the tiny backbone: export cuts adapter graphs at their injection layer
 * into one prefix file per backbone and layer and a suffix per bundle; a {@link MultiTaskPredictor}
 * over adapters of one prefix gives each the full graph's logits (within 1e-5) and labels on SST-2
 * dev sentences, batched and one by one; adapters of another layer, another backbone, another max
 * length or a pair task form groups of their own; a changed prefix file is refused.
 */
class SharedPrefixTest {
    @TempDir
    static Path tmp;
    private static Path full;
    private static Path models;
    private static List<String> sentences;

    @BeforeAll
    static void build() throws IOException {
        full = TinyBundles.build(tmp, "sst2");
        TinyBundles.build(tmp, "cb");
        models = tmp.resolve("models");
        generate("layer0-run", tmp.resolve("backbone"), "0", "32");
        generate("len16-run", tmp.resolve("backbone"), "1", "16");
        TinyRun.writeBackbone(tmp.resolve("backbone2"), 12);
        generate("other-backbone-run", tmp.resolve("backbone2"), "1", "32");
        for (String[] e : List.of(new String[] {"a", "sst2-run"}, new String[] {"b", "sst2-run"}, new String[] {"cb", "cb-run"},
                new String[] {"layer0", "layer0-run"}, new String[] {"len16", "len16-run"},
                new String[] {"other", "other-backbone-run"})) {
            CliRun r = CliRun.of("export", "--artifacts", tmp.resolve(e[1]).toString(), "--out",
                    models.resolve(e[0]).toString(), "--threads", "1", "--adapter");
            assertThat(r.exit()).as(r.err()).isZero();
        }
        sentences = sst2Dev(40);
    }

    private static void generate(String name, Path backbone, String layer, String maxLength) {
        CliRun g = CliRun.of("generate", "--backbone", backbone.toString(), "--method", "idspam", "--layer", layer,
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length",
                maxLength, "--seed", "3", "--out", tmp.resolve(name).toString());
        assertThat(g.exit()).as(g.err()).isZero();
    }

    /** The first {@code n} sentences of the repository's SST-2 dev set. */
    private static List<String> sst2Dev(int n) throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isRegularFile(dir.resolve("data/SST-2/dev.tsv"))) {
            dir = dir.getParent();
        }
        assertThat(dir).as("data/SST-2/dev.tsv above the working folder").isNotNull();
        try (Stream<String> lines = Files.lines(dir.resolve("data/SST-2/dev.tsv"))) {
            return lines.skip(1).filter(l -> !l.isBlank()).map(l -> l.substring(0, l.indexOf('\t')).strip()).limit(n).toList();
        }
    }

    private static JsonObject sharedPrefix(String bundle) throws IOException {
        return JsonParser.parseString(Files.readString(models.resolve(bundle).resolve("bundle.json"))).getAsJsonObject()
                .getAsJsonObject("shared_prefix");
    }

    @Test
    void exportWritesOnePrefixPerBackboneAndLayerAndASuffixPerBundle() throws IOException {
        JsonObject a = sharedPrefix("a");
        assertThat(a.get("layer").getAsInt()).isEqualTo(1);
        assertThat(a.getAsJsonArray("boundary")).isNotEmpty();
        assertThat(models.resolve("a/suffix.onnx")).isRegularFile();
        assertThat(models.resolve("backbones").resolve(a.get("file").getAsString())).isRegularFile();
        // another task on the same backbone and layer: the same prefix file
        assertThat(sharedPrefix("cb").get("sha256")).isEqualTo(a.get("sha256"));
        assertThat(sharedPrefix("layer0").get("sha256")).isNotEqualTo(a.get("sha256"));
        assertThat(sharedPrefix("other").get("sha256")).isNotEqualTo(a.get("sha256"));
        // the suffix holds the layers from m up only: smaller than the adapter's whole graph
        assertThat(Files.size(models.resolve("a/suffix.onnx"))).isLessThan(Files.size(models.resolve("a/model.onnx")));
        // the trained tensors are kept once, in adapter.safetensors, for both graphs (not a copy in each)
        JsonObject tensors = JsonParser.parseString(Files.readString(models.resolve("a/bundle.json"))).getAsJsonObject()
                .getAsJsonObject("adapter_tensors");
        assertThat(tensors.get("file").getAsString()).isEqualTo("adapter.safetensors");
        assertThat(tensors.getAsJsonArray("tensors")).isNotEmpty();
        java.util.Set<String> names = new java.util.HashSet<>();
        tensors.getAsJsonArray("tensors").forEach(e -> names.add(e.getAsString()));
        for (String graph : List.of("a/model.onnx", "a/suffix.onnx")) {
            ai.onnx.proto.OnnxMl.GraphProto g = ai.onnx.proto.OnnxMl.ModelProto.parseFrom(
                    Files.readAllBytes(models.resolve(graph))).getGraph();
            java.util.Set<String> external = new java.util.HashSet<>();
            for (ai.onnx.proto.OnnxMl.TensorProto t : g.getInitializerList()) {
                if (names.contains(t.getName())) {
                    assertThat(t.getRawData().isEmpty() && t.getFloatDataCount() == 0).as(graph + " " + t.getName()).isTrue();
                    assertThat(t.getExternalDataList()).as(graph + " " + t.getName())
                            .anyMatch(e -> e.getKey().equals("location") && e.getValue().equals("adapter.safetensors"));
                    external.add(t.getName());
                }
            }
            assertThat(external).as(graph + " refers to every shared tensor").isEqualTo(names);
        }
    }

    @Test
    void groupGivesEachTaskTheFullGraphsLogitsAndLabels() throws IOException {
        try (Predictor f = Predictor.open(full); Predictor a = Predictor.open(models.resolve("a"));
             Predictor b = Predictor.open(models.resolve("b"))) {
            MultiTaskPredictor mt = MultiTaskPredictor.of(List.of(a, f, b));
            assertThat(mt.groups()).hasSize(2);
            assertThat(mt.groups().get(0)).containsExactly(a, b);
            assertThat(mt.groups().get(1)).containsExactly(f);
            List<Predictor.Prediction> expected = f.predictAll(sentences, null);
            // one batch of all sentences (padded), then one sentence per call
            List<List<List<Predictor.Prediction>>> runs = new ArrayList<>();
            runs.add(mt.predictAll(sentences, null));
            List<List<Predictor.Prediction>> single = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
            for (String s : sentences) {
                List<List<Predictor.Prediction>> r = mt.predictAll(List.of(s), null);
                for (int t = 0; t < 3; t++) {
                    single.get(t).add(r.get(t).get(0));
                }
            }
            runs.add(single);
            for (List<List<Predictor.Prediction>> run : runs) {
                for (int t = 0; t < 3; t++) {
                    for (int i = 0; i < sentences.size(); i++) {
                        float[] x = expected.get(i).logits();
                        float[] y = run.get(t).get(i).logits();
                        assertThat(y).hasSameSizeAs(x);
                        for (int k = 0; k < x.length; k++) {
                            assertThat(y[k]).as("task %d sentence %d logit %d", t, i, k).isCloseTo(x[k], within(1e-5f));
                        }
                        assertThat(run.get(t).get(i).label()).isEqualTo(expected.get(i).label());
                    }
                }
            }
        }
    }

    @Test
    void differentLayerBackboneMaxLengthOrPairNessAreNotGrouped() throws IOException {
        try (Predictor a = Predictor.open(models.resolve("a")); Predictor b = Predictor.open(models.resolve("b"));
             Predictor layer0 = Predictor.open(models.resolve("layer0")); Predictor other = Predictor.open(models.resolve("other"));
             Predictor len16 = Predictor.open(models.resolve("len16")); Predictor cb = Predictor.open(models.resolve("cb"))) {
            MultiTaskPredictor mt = MultiTaskPredictor.of(List.of(a, layer0, other, len16, cb, b));
            assertThat(mt.groups()).containsExactly(List.of(a, b), List.of(layer0), List.of(other), List.of(len16), List.of(cb));
            // those alone still answer as they do on their own
            MultiTaskPredictor singles = MultiTaskPredictor.of(List.of(layer0, other, a, b));
            List<List<Predictor.Prediction>> r = singles.predictAll(sentences.subList(0, 5), null);
            assertThat(r.get(0).get(3).logits()).containsExactly(layer0.predictAll(sentences.subList(0, 5), null).get(3).logits());
            assertThat(r.get(1).get(3).logits()).containsExactly(other.predictAll(sentences.subList(0, 5), null).get(3).logits());
        }
    }

    @Test
    void serverPredictRunsTheGroupOnceAndAnswersAsEachModelAlone() throws Exception {
        Map<String, Path> bundles = new LinkedHashMap<>();
        bundles.put("a", models.resolve("a"));
        bundles.put("full", full);
        bundles.put("b", models.resolve("b"));
        bundles.put("layer0", models.resolve("layer0"));
        try (InferenceServer server = InferenceServer.start(bundles, ServerConfig.defaults().withPort(0))) {
            HttpClient http = HttpClient.newHttpClient();
            StringBuilder inputs = new StringBuilder();
            for (String s : sentences.subList(0, 6)) {
                inputs.append(inputs.length() == 0 ? "" : ",").append("{\"text\":").append(new Gson().toJson(s)).append('}');
            }
            JsonObject many = post(http, server.port(), "/v1/predict", "{\"inputs\":[" + inputs + "]}");
            for (String name : bundles.keySet()) {
                JsonObject alone = post(http, server.port(), "/v1/models/" + name + "/predict", "{\"inputs\":[" + inputs + "]}");
                JsonArray x = alone.getAsJsonArray("predictions");
                JsonArray y = many.getAsJsonObject("results").getAsJsonArray(name);
                assertThat(y).as(name).hasSize(6);
                for (int i = 0; i < 6; i++) {
                    JsonObject px = x.get(i).getAsJsonObject();
                    JsonObject py = y.get(i).getAsJsonObject();
                    assertThat(py.get("label")).as(name).isEqualTo(px.get("label"));
                    for (String label : px.getAsJsonObject("probabilities").keySet()) {
                        assertThat(py.getAsJsonObject("probabilities").get(label).getAsDouble())
                                .isCloseTo(px.getAsJsonObject("probabilities").get(label).getAsDouble(), within(1e-5));
                    }
                }
            }
            String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(metrics).containsPattern("idspam_shared_prefix_runs_total(\\{[^}]*})? 1\\.0");
        }
    }

    private static JsonObject post(HttpClient http, int port, String path, String body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void textsATaskDoesNotTakeAreRefusedBeforeAnythingRuns() throws IOException {
        try (Predictor a = Predictor.open(models.resolve("a")); Predictor cb = Predictor.open(models.resolve("cb"))) {
            MultiTaskPredictor mt = MultiTaskPredictor.of(List.of(a, cb));
            assertThatThrownBy(() -> mt.predictAll(List.of("a fun film ."), null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task cb takes a pair of texts");
        }
    }

    @Test
    void changedPrefixFileIsRefusedNamingBothDigests() throws IOException {
        Path dir = tmp.resolve("changed");
        for (String sub : List.of("a", "backbones")) {
            Files.createDirectories(dir.resolve(sub));
            try (Stream<Path> s = Files.list(models.resolve(sub))) {
                for (Path f : s.toList()) {
                    Files.copy(f, dir.resolve(sub).resolve(f.getFileName()));
                }
            }
        }
        String expected = sharedPrefix("a").get("sha256").getAsString();
        Path prefix = dir.resolve("backbones").resolve(sharedPrefix("a").get("file").getAsString());
        byte[] bytes = Files.readAllBytes(prefix);
        bytes[bytes.length - 2] ^= 0x01;
        Files.write(prefix, bytes);
        assertThatThrownBy(() -> Predictor.open(dir.resolve("a"))).isInstanceOf(IOException.class)
                .hasMessageContaining("SHA-256 mismatch").hasMessageContaining(expected)
                .hasMessageContaining("shared_prefix.sha256");
    }
}
