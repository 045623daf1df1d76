package dev.idspam.server;

import dev.idspam.serving.BundleManifest;
import dev.idspam.serving.MultiTaskPredictor;
import dev.idspam.serving.Predictor;
import dev.idspam.serving.Predictor.Prediction;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntConsumer;

/**
 * One served model under its name: the bundle folder, the predictor loaded from it and, with
 * batching on, its {@link Batcher}. {@link #reload} swaps in a fresh load atomically: the new
 * predictor is opened and checked first (a bundle that fails to load leaves the old one serving),
 * then requests go to it, and the old one is closed after the examples it took have run.
 */
final class ModelHost implements AutoCloseable {
    /** A loaded bundle and its batcher (null without batching). */
    private record Loaded(Predictor predictor, Batcher batcher) { }

    final String name;
    final Path dir;
    private final ServerConfig config;
    private final IntConsumer batchSizes;
    private final AtomicReference<Loaded> current = new AtomicReference<>();
    /** Examples running without batching, for the queue limit and gauge. */
    private final AtomicInteger direct = new AtomicInteger();

    ModelHost(String name, Path dir, ServerConfig config, IntConsumer batchSizes) throws IOException {
        this.name = name;
        this.dir = dir;
        this.config = config;
        this.batchSizes = batchSizes;
        current.set(load());
    }

    private Loaded load() throws IOException {
        Predictor.Builder b = Predictor.builder().model(dir);
        if (config.threads() > 0) {
            b.threads(config.threads());
        }
        Predictor p = b.build();
        Batcher batcher = config.batching()
                ? new Batcher(name, p, config.maxBatch(), config.maxWaitMs(), config.maxQueue(), batchSizes) : null;
        return new Loaded(p, batcher);
    }

    /** The predictor serving now (a reload may replace it at any time). */
    Predictor predictor() {
        return current.get().predictor();
    }

    /**
     * Runs {@code predictors} (the current ones of {@code hosts}, one shared-prefix group) on the
     * examples together, outside the batchers, counted against each host's queue limit; null when
     * a reload closed one of them meanwhile (the caller then runs each on its own).
     */
    static List<List<Prediction>> predictShared(List<ModelHost> hosts, List<Predictor> predictors, List<String> textsA,
                                                List<String> textsB) {
        int n = textsA.size();
        int taken = 0;
        try {
            for (ModelHost h : hosts) {
                taken++;
                if (h.direct.addAndGet(n) > h.config.maxQueue()) {
                    throw new ApiError(429, "model " + h.name + " is running " + h.config.maxQueue()
                            + " examples already; retry later");
                }
            }
            return MultiTaskPredictor.of(predictors).predictAll(textsA, textsB);
        } catch (IllegalStateException closed) {
            return null;
        } finally {
            for (int k = 0; k < taken; k++) {
                hosts.get(k).direct.addAndGet(-n);
            }
        }
    }

    BundleManifest manifest() {
        return current.get().predictor().bundle().manifest();
    }

    /** Examples waiting or running. */
    int pending() {
        Loaded l = current.get();
        return direct.get() + (l.batcher() == null ? 0 : l.batcher().pending());
    }

    /**
     * Predicts the examples of one request ({@code textsB} null for single texts), within
     * {@code deadlineNanos} (a {@link System#nanoTime} value).
     */
    List<Prediction> predict(List<String> textsA, List<String> textsB, long deadlineNanos) {
        for (int attempt = 0; ; attempt++) {
            Loaded l = current.get();
            try {
                List<Predictor.Encoded> enc = new ArrayList<>(textsA.size());
                for (int i = 0; i < textsA.size(); i++) {
                    enc.add(l.predictor().encode(textsA.get(i), textsB == null ? null : textsB.get(i)));
                }
                return l.batcher() == null ? runDirect(l.predictor(), enc) : runBatched(l.batcher(), enc, deadlineNanos);
            } catch (IllegalStateException closed) {
                // a reload closed this predictor between our read of it and the run: use the new one
                if (attempt >= 3) {
                    throw new ApiError(503, "model " + name + " is being reloaded; retry");
                }
            } catch (Retry r) {
                if (attempt >= 3) {
                    throw new ApiError(503, "model " + name + " is being reloaded; retry");
                }
            }
        }
    }

    /** A batcher that stopped taking requests (its model is being replaced). */
    private static final class Retry extends RuntimeException {
        Retry() {
            super(null, null, false, false);
        }
    }

    private List<Prediction> runDirect(Predictor p, List<Predictor.Encoded> enc) {
        int n = enc.size();
        if (direct.addAndGet(n) > config.maxQueue()) {
            direct.addAndGet(-n);
            throw new ApiError(429, "model " + name + " is running " + config.maxQueue() + " examples already; retry later");
        }
        try {
            return p.predictEncoded(enc);
        } finally {
            direct.addAndGet(-n);
        }
    }

    private List<Prediction> runBatched(Batcher batcher, List<Predictor.Encoded> enc, long deadlineNanos) {
        Batcher.Job job = batcher.submit(enc);
        if (job == null) {
            throw new Retry();
        }
        try {
            return job.future.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            job.future.cancel(false);
            throw new ApiError(503, "no prediction within " + config.timeoutMs() + " ms (--timeout-ms); the server is busy, retry later");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.future.cancel(false);
            throw new ApiError(503, "the server is shutting down; retry");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Loads the bundle folder again and swaps it in; the old predictor finishes what it took, then closes. */
    synchronized void reload() throws IOException {
        Loaded fresh = load();
        Loaded old = current.getAndSet(fresh);
        closeLoaded(old);
    }

    private static void closeLoaded(Loaded l) {
        if (l.batcher() != null) {
            l.batcher().close();
        }
        l.predictor().close();
    }

    @Override
    public synchronized void close() {
        closeLoaded(current.get());
    }
}
