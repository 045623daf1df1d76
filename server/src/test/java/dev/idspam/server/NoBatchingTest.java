package dev.idspam.server;

import com.google.gson.JsonParser;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** With micro-batching off, each request runs on its own thread: same answers, no batcher runs, the queue limit still holds. */
class NoBatchingTest {
    @Test
    void answersMatchTheLibraryAndTheLimitHolds(@TempDir Path dir) throws Exception {
        Path bundle = TinyBundle.write(dir.resolve("sst2"), Task.SST2, 1);
        try (InferenceServer s = InferenceServer.start(Map.of("sst2", bundle),
                ServerConfig.defaults().withPort(0).withBatching(false).withMaxQueue(4));
             Predictor p = Predictor.open(bundle)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<String> texts = List.of("the film", "the film is good", "a dull plot", "not fun , not good", "the man runs in the park");
                List<Future<HttpResponse<String>>> f = new ArrayList<>();
                for (String t : texts) {
                    f.add(pool.submit(() -> Http.post(s.port(), "/v1/models/sst2/predict", "{\"inputs\":[{\"text\":\"" + t + "\"}]}")));
                }
                for (int i = 0; i < texts.size(); i++) {
                    HttpResponse<String> r = f.get(i).get();
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    double got = JsonParser.parseString(r.body()).getAsJsonObject().getAsJsonArray("predictions").get(0)
                            .getAsJsonObject().getAsJsonObject("probabilities").get("positive").getAsDouble();
                    assertThat(got).isCloseTo(p.predict(texts.get(i), null).probabilities().get("positive"), within(1e-6));
                }
            } finally {
                pool.shutdownNow();
            }
            HttpResponse<String> full = Http.post(s.port(), "/v1/models/sst2/predict",
                    "{\"inputs\":[{\"text\":\"a\"},{\"text\":\"a\"},{\"text\":\"a\"},{\"text\":\"a\"},{\"text\":\"a\"}]}");
            assertThat(full.statusCode()).isEqualTo(429);
            assertThat(full.headers().firstValue("Retry-After")).isPresent();
            assertThat(Http.get(s.port(), "/metrics").body()).contains("idspam_batch_size_count{model=\"sst2\"} 0");
        }
    }
}
