package dev.idspam.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bundles exported before built-in tasks had label names stored the files' raw values ({@code "0"},
 * {@code "1"} for SST-2). They still load, and the predictor and the server show the stored labels.
 */
class OlderBundleLabelsTest {
    @TempDir
    Path tmp;

    @Test
    void aBundleWithRawLabelsShowsThemAsStored() throws Exception {
        Path bundle = TinyBundle.write(tmp.resolve("old"), Task.SST2, 1f);
        Path manifest = bundle.resolve(Bundle.MANIFEST);
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        assertThat(m.get("labels").toString()).isEqualTo("[\"negative\",\"positive\"]");
        JsonArray raw = new JsonArray();
        raw.add("0");
        raw.add("1");
        m.add("labels", raw);
        Files.writeString(manifest, m.toString(), StandardCharsets.UTF_8);

        try (Predictor p = Predictor.builder().threads(1).interOpThreads(1).model(bundle).build()) {
            Predictor.Prediction r = p.predict("the film is good", null);
            assertThat(r.label()).isIn("0", "1");
            assertThat(r.label()).isEqualTo(String.valueOf(r.labelIndex()));
            assertThat(r.probabilities().keySet()).containsExactly("0", "1");
        }
        try (InferenceServer server = InferenceServer.start(Map.of("old", bundle), ServerConfig.defaults().withPort(0))) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                            + server.port() + "/v1/models/old/predict"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\":[{\"text\":\"a dull plot\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonObject pred = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions").get(0)
                    .getAsJsonObject();
            assertThat(pred.get("label").getAsString()).isIn("0", "1");
            assertThat(pred.getAsJsonObject("probabilities").keySet()).containsExactly("0", "1");
        }
    }
}
