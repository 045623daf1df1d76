package dev.idspam.tools.badinput;

import dev.idspam.serving.Predictor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The predictor on small bundles: closing it while other threads predict (100 rounds, 8 threads),
 * and the inputs it refuses. A close that freed the native session under a running call would
 * crash the JVM here, not fail an assertion.
 */
class PredictorTest {
    private static final int THREADS = 8;
    private static final int ROUNDS = 100;

    @TempDir
    static Path tmp;
    private static Path sst2;
    private static Path cb;

    @BeforeAll
    static void buildBundles() throws Exception {
        sst2 = TinyBundles.build(tmp, "sst2");
        cb = TinyBundles.build(tmp, "cb");
    }

    @Test
    void closeWhileOtherThreadsPredictWaitsForThemAndLaterCallsFailClearly() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        String closed = "predictor for " + sst2 + " is closed";
        long predictions = 0;
        try {
            for (int round = 0; round < ROUNDS; round++) {
                Predictor p = Predictor.open(sst2);
                CountDownLatch running = new CountDownLatch(THREADS);
                List<Future<Integer>> workers = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    String text = t % 2 == 0 ? "a fun film ." : "the plot is dull and the man sleeps in the park .";
                    workers.add(pool.submit(() -> {
                        int done = 0;
                        while (true) {
                            try {
                                Predictor.Prediction pr = p.predict(text, null);
                                assertThat(pr.probabilities()).hasSize(2);
                            } catch (IllegalStateException e) {
                                assertThat(e).hasMessage(closed);
                                return done;
                            }
                            if (done++ == 0) {
                                running.countDown();
                            }
                        }
                    }));
                }
                assertThat(running.await(30, TimeUnit.SECONDS)).as("every thread predicted once").isTrue();
                p.close();
                for (Future<Integer> w : workers) {
                    int done = w.get(30, TimeUnit.SECONDS);
                    assertThat(done).isPositive();
                    predictions += done;
                }
                assertThatThrownBy(() -> p.predict("a fun film .", null)).isInstanceOf(IllegalStateException.class)
                        .hasMessage(closed);
                p.close(); // idempotent
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(predictions).isGreaterThanOrEqualTo((long) THREADS * ROUNDS);
    }

    @Test
    void anEmptyBatchGivesNoPredictions() throws Exception {
        try (Predictor p = Predictor.open(sst2)) {
            assertThat(p.predictAll(List.of(), null)).isEmpty();
        }
        try (Predictor p = Predictor.open(cb)) {
            assertThat(p.predictAll(List.of(), List.of())).isEmpty();
        }
    }

    @Test
    void textsMustMatchWhatTheTaskTakes() throws Exception {
        try (Predictor p = Predictor.open(sst2)) {
            assertThatThrownBy(() -> p.predict("a fun film .", "a second text")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("task sst2 takes a single text, not a pair; give one text per example");
            assertThatThrownBy(() -> p.predict("  ", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("text 1 is empty");
            assertThat(p.predict("--a fun film .", null).probabilities()).hasSize(2);
        }
        try (Predictor p = Predictor.open(cb)) {
            assertThatThrownBy(() -> p.predict("a fun film .", null)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("task cb takes a pair of texts; give the second text too");
            assertThatThrownBy(() -> p.predictAll(List.of("a", "b"), List.of("c")))
                    .hasMessage("task cb takes pairs: 2 first texts but 1 second texts");
            assertThat(p.predict("a man runs .", "the dog sleeps .").probabilities().keySet())
                    .containsExactly("entailment", "contradiction", "neutral");
        }
    }

    @Test
    void nonFiniteOutputsAreRefusedNamingTheBundle() throws Exception {
        Path spoiled = tmp.resolve("spoiled");
        Files.createDirectories(spoiled);
        try (var files = Files.list(sst2)) {
            for (Path f : files.toList()) {
                Files.copy(f, spoiled.resolve(f.getFileName()));
            }
        }
        TinyBundles.spoilWeights(spoiled);
        assertThatThrownBy(() -> Predictor.open(spoiled)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(spoiled.resolve("model.onnx") + ": the model gives non-finite outputs [NaN, NaN]");
    }
}
