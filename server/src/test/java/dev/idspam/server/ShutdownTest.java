package dev.idspam.server;

import dev.idspam.datasets.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Graceful shutdown: a request in flight finishes; one that arrives while draining gets 503 with Retry-After. */
class ShutdownTest {
    @Test
    void inFlightRequestsFinishAndNewOnesAreTurnedAway(@TempDir Path dir) throws Exception {
        // batches wait 800 ms for company, so the first request is still in flight while the server drains
        InferenceServer s = InferenceServer.start(Map.of("sst2", TinyBundle.write(dir.resolve("sst2"), Task.SST2, 1)),
                ServerConfig.defaults().withPort(0).withMaxWaitMs(800));
        int port = s.port();
        String body = "{\"inputs\": [{\"text\": \"the film is good\"}]}";
        CompletableFuture<HttpResponse<String>> first = CompletableFuture.supplyAsync(() -> call(port, body));
        long end = System.nanoTime() + 5_000_000_000L;
        while (!Http.get(port, "/metrics").body().contains("idspam_requests_in_flight 1.0") && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        CompletableFuture<Void> closing = CompletableFuture.runAsync(s::close);
        Thread.sleep(100);
        HttpResponse<String> late = Http.post(port, "/v1/models/sst2/predict", body);
        HttpResponse<String> ready = Http.get(port, "/health/ready");
        assertThat(late.statusCode()).isEqualTo(503);
        assertThat(late.headers().firstValue("Retry-After")).contains("1");
        assertThat(late.body()).contains("shutting down");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(first.get().statusCode()).as(first.get().body()).isEqualTo(200);
        closing.get();
    }

    private static HttpResponse<String> call(int port, String body) {
        try {
            return Http.post(port, "/v1/models/sst2/predict", body);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
