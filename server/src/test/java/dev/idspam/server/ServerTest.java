package dev.idspam.server;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The server on an ephemeral loopback port, with tiny bundles: answers, batching, reload, metrics, shutdown. */
class ServerTest {
    @TempDir
    static Path dir;
    static InferenceServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        Map<String, Path> models = new LinkedHashMap<>();
        models.put("sst2", TinyBundle.write(dir.resolve("sst2"), Task.SST2, 1));
        models.put("cb", TinyBundle.write(dir.resolve("cb"), Task.CB, 1));
        models.put("stsb", TinyBundle.write(dir.resolve("stsb"), Task.STSB, 1));
        models.put("reloadable", TinyBundle.write(dir.resolve("reloadable"), Task.SST2, 1));
        server = InferenceServer.start(models, ServerConfig.defaults().withPort(0).withMaxWaitMs(20));
        port = server.port();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    /** The model runs counted by the batch-size metric of {@code model}. */
    static double batchRuns(String metrics, String model) {
        return metrics.lines().filter(l -> l.startsWith("idspam_batch_size_count{model=\"" + model + "\"}")).findFirst()
                .map(l -> Double.parseDouble(l.split(" ")[1])).orElse(0.0);
    }

    static JsonObject json(HttpResponse<String> r) {
        return JsonParser.parseString(r.body()).getAsJsonObject();
    }

    @Test
    void predictsLabelsWithProbabilitiesMatchingTheLibrary() throws Exception {
        HttpResponse<String> r = Http.post(port, "/v1/models/sst2/predict",
                "{\"inputs\":[{\"text\":\"the film is good\"},{\"text\":\"a dull plot , not fun\"}]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonObject first = json(r).getAsJsonArray("predictions").get(0).getAsJsonObject();
        try (Predictor p = Predictor.open(dir.resolve("sst2"))) {
            Predictor.Prediction want = p.predict("the film is good", null);
            assertThat(first.get("label").getAsString()).isEqualTo(want.label());
            assertThat(first.get("label_index").getAsInt()).isEqualTo(want.labelIndex());
            assertThat(first.getAsJsonObject("probabilities").get("positive").getAsDouble())
                    .isCloseTo(want.probabilities().get("positive"), within(1e-9));
        }
        assertThat(json(r).getAsJsonArray("predictions")).hasSize(2);
    }

    @Test
    void pairsRegressionAndSeveralModels() throws Exception {
        HttpResponse<String> cb = Http.post(port, "/v1/models/cb/predict",
                "{\"inputs\":[{\"text\":\"the man runs\",\"text_pair\":\"the man sleeps\"}]}");
        assertThat(cb.statusCode()).as(cb.body()).isEqualTo(200);
        assertThat(json(cb).getAsJsonArray("predictions").get(0).getAsJsonObject().getAsJsonObject("probabilities").keySet())
                .containsExactly("entailment", "contradiction", "neutral");
        HttpResponse<String> many = Http.post(port, "/v1/predict",
                "{\"models\":[\"cb\",\"stsb\"],\"inputs\":[{\"text\":\"a dog\",\"text_pair\":\"a dog runs\"}]}");
        assertThat(many.statusCode()).as(many.body()).isEqualTo(200);
        JsonObject res = json(many).getAsJsonObject("results");
        assertThat(res.keySet()).containsExactly("cb", "stsb");
        assertThat(res.getAsJsonArray("stsb").get(0).getAsJsonObject().has("score")).isTrue();
        HttpResponse<String> empty = Http.post(port, "/v1/models/sst2/predict", "{\"inputs\":[]}");
        assertThat(empty.statusCode()).isEqualTo(200);
        assertThat(json(empty).getAsJsonArray("predictions")).isEmpty();
    }

    @Test
    void concurrentBatchedRequestsGetTheirOwnAnswers() throws Exception {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            StringBuilder sb = new StringBuilder("the");
            for (int k = 0; k < i % 13; k++) {
                sb.append(' ').append(TinyBundle.WORDS.get((i + k) % TinyBundle.WORDS.size()));
            }
            texts.add(sb.toString());
        }
        double runsBefore = batchRuns(Http.get(port, "/metrics").body(), "sst2");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (Predictor p = Predictor.open(dir.resolve("sst2"))) {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (String t : texts) {
                futures.add(pool.submit(() -> Http.post(port, "/v1/models/sst2/predict", "{\"inputs\":[{\"text\":\"" + t + "\"}]}")));
            }
            for (int i = 0; i < texts.size(); i++) {
                HttpResponse<String> r = futures.get(i).get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                double got = json(r).getAsJsonArray("predictions").get(0).getAsJsonObject().getAsJsonObject("probabilities")
                        .get("positive").getAsDouble();
                assertThat(got).as(texts.get(i)).isCloseTo(p.predict(texts.get(i), null).probabilities().get("positive"), within(1e-6));
            }
        } finally {
            pool.shutdownNow();
        }
        String metrics = Http.get(port, "/metrics").body();
        assertThat(metrics).contains("idspam_batch_size_count{model=\"sst2\"}");
        // every request ran in exactly one model run, alone or batched: never more runs than requests (how many
        // were batched together depends on timing; BatchingTest checks that a full batch is one run)
        assertThat(batchRuns(metrics, "sst2") - runsBefore).isBetween(1.0, 64.0);
        assertThat(metrics).contains("idspam_requests_total{endpoint=\"/v1/models/{name}/predict\",model=\"sst2\",status=\"200\"}");
        assertThat(metrics).contains("idspam_request_latency_seconds_bucket");
        assertThat(metrics).contains("idspam_queue_depth{model=\"sst2\"}");
    }

    @Test
    void listsModelsAndReportsHealth() throws Exception {
        HttpResponse<String> models = Http.get(port, "/v1/models");
        assertThat(models.statusCode()).isEqualTo(200);
        assertThat(models.body()).contains("\"name\":\"cb\"", "\"pair\":true", "\"task\":\"stsb\"");
        assertThat(Http.get(port, "/health/live").statusCode()).isEqualTo(200);
        assertThat(Http.get(port, "/health/ready").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsDuringReloadsAllSucceed() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<HttpResponse<String>>> futures = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                futures.add(pool.submit(() -> Http.post(port, "/v1/models/sst2/predict", "{\"inputs\":[{\"text\":\"a dog runs\"}]}")));
            }
            for (int i = 0; i < 5; i++) {
                HttpResponse<String> r = Http.post(port, "/v1/models/sst2/reload", "");
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            }
            for (Future<HttpResponse<String>> f : futures) {
                assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void reloadSwapsInTheNewBundleAndKeepsTheOldOneWhenTheNewOneFails() throws Exception {
        String body = "{\"inputs\":[{\"text\":\"the film is good fun\"}]}";
        double before = json(Http.post(port, "/v1/models/reloadable/predict", body)).getAsJsonArray("predictions")
                .get(0).getAsJsonObject().getAsJsonObject("probabilities").get("positive").getAsDouble();
        TinyBundle.write(dir.resolve("reloadable"), Task.SST2, -3);
        HttpResponse<String> r = Http.post(port, "/v1/models/reloadable/reload", "");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        double after = json(Http.post(port, "/v1/models/reloadable/predict", body)).getAsJsonArray("predictions")
                .get(0).getAsJsonObject().getAsJsonObject("probabilities").get("positive").getAsDouble();
        assertThat(after).isNotCloseTo(before, within(1e-3));

        java.nio.file.Files.writeString(dir.resolve("reloadable/model.onnx"), "not a model");
        HttpResponse<String> bad = Http.post(port, "/v1/models/reloadable/reload", "");
        assertThat(bad.statusCode()).isEqualTo(409);
        assertThat(json(bad).get("error").getAsString()).contains("kept its current bundle", "model.onnx");
        double still = json(Http.post(port, "/v1/models/reloadable/predict", body)).getAsJsonArray("predictions")
                .get(0).getAsJsonObject().getAsJsonObject("probabilities").get("positive").getAsDouble();
        assertThat(still).isCloseTo(after, within(1e-12));
    }
}
