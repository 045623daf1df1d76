package dev.idspam.tools.badinput;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Artifacts generated before built-in tasks had label names recorded the files' raw values
 * ({@code "0"}, {@code "1"} for SST-2) in {@code model.labels}. They still train, evaluate and
 * export, and the bundle and {@code predict} show the stored values.
 */
class OlderArtifactsLabelsTest {
    @TempDir
    Path tmp;

    private static CliRun ok(String... args) {
        CliRun r = CliRun.of(args);
        assertThat(r.exit()).as("idspam %s\n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    @Test
    void rawLabelsInAnOlderManifestAreKeptThroughTrainExportAndPredict() throws Exception {
        TinyRun.writeBackbone(tmp.resolve("backbone"), 11);
        Path data = TinyRun.writeData(tmp.resolve("data"), 12);
        Path run = tmp.resolve("run");
        ok("generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--out", run.toString());
        Path manifest = run.resolve("manifest.json");
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        assertThat(m.getAsJsonObject("model").get("labels").toString()).isEqualTo("[\"negative\",\"positive\"]");
        JsonArray raw = new JsonArray();
        raw.add("0");
        raw.add("1");
        m.getAsJsonObject("model").add("labels", raw);
        m.addProperty(Manifest.CONTENT_DIGEST, Manifest.contentDigest(m));
        Files.writeString(manifest, new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create()
                .toJson(m), StandardCharsets.UTF_8);

        ok("train", "--artifacts", run.toString(), "--data", data.toString(), "--epochs", "1", "--batch-size", "8",
                "--threads", "1");
        JsonObject e = JsonParser.parseString(ok("eval", "--artifacts", run.toString(), "--data", data.toString(), "--json",
                "--threads", "1").out().strip()).getAsJsonObject();
        assertThat(e.getAsJsonObject("metrics").has("accuracy")).isTrue();

        Path bundle = tmp.resolve("bundle");
        ok("export", "--artifacts", run.toString(), "--out", bundle.toString(), "--threads", "1");
        JsonObject b = JsonParser.parseString(Files.readString(bundle.resolve("bundle.json"))).getAsJsonObject();
        assertThat(b.get("labels").toString()).isEqualTo("[\"0\",\"1\"]");
        JsonObject p = JsonParser.parseString(ok("predict", "--model", bundle.toString(), "--json", "a fun film .").out()
                .strip()).getAsJsonObject();
        assertThat(p.get("label").getAsString()).isIn("0", "1");
        assertThat(p.getAsJsonObject("probabilities").keySet()).containsExactly("0", "1");
    }
}
