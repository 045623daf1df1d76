package dev.idspam.server;

import dev.idspam.datasets.task.Task;
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

/**
 * Micro-batching: 8 concurrent requests of the same length, with a batch of 8 and a long wait,
 * (10 s) run as one model run of 8 examples (the batch runs as soon as it is full, not after the wait).
 */
class BatchingTest {
    @Test
    void aFullBatchRunsOnceAndAtOnce(@TempDir Path dir) throws Exception {
        try (InferenceServer s = InferenceServer.start(Map.of("sst2", TinyBundle.write(dir.resolve("sst2"), Task.SST2, 1)),
                ServerConfig.defaults().withPort(0).withMaxBatch(8).withMaxWaitMs(10_000))) {
            int port = s.port();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            long t0 = System.nanoTime();
            try {
                List<Future<HttpResponse<String>>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    futures.add(pool.submit(() -> Http.post(port, "/v1/models/sst2/predict",
                            "{\"inputs\":[{\"text\":\"the film is good\"}]}")));
                }
                for (Future<HttpResponse<String>> f : futures) {
                    assertThat(f.get().statusCode()).as(f.get().body()).isEqualTo(200);
                }
            } finally {
                pool.shutdownNow();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String metrics = Http.get(port, "/metrics").body();
            assertThat(ServerTest.batchRuns(metrics, "sst2")).isEqualTo(1.0);
            assertThat(metrics).contains("idspam_batch_size_sum{model=\"sst2\"} 8.0");
            assertThat(seconds).as("ran when full, well before the 10 s wait").isLessThan(8);
        }
    }
}
