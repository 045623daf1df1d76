package dev.idspam.server;

/**
 * Settings of an {@link InferenceServer}; {@link #defaults()} is the one place their default
 * values are written. Every check names the {@code idspam serve} option that sets the field.
 *
 * @param host           interface to listen on ({@code --host}); loopback unless exposed on purpose
 * @param port           TCP port ({@code --port}); 0 picks a free one
 * @param batching       whether requests of one model are micro-batched ({@code --no-batching} switches it off)
 * @param maxBatch       most examples in one model run ({@code --max-batch})
 * @param maxWaitMs      how long the first queued example waits for others to join its batch ({@code --max-wait-ms})
 * @param maxBodyBytes   largest request body; larger gets 413 ({@code --max-body-bytes})
 * @param maxInputs      most examples in one request; more gets 413 ({@code --max-inputs})
 * @param maxChars       most characters in one text; longer gets 413 ({@code --max-chars})
 * @param maxQueue       most examples waiting or running per model; more gets 429 ({@code --max-queue})
 * @param timeoutMs      how long a request may wait for its predictions; then 503 ({@code --timeout-ms})
 * @param threads        ONNX Runtime intra-op threads per model, 0 for its default ({@code --threads})
 * @param shutdownMs     how long a shutdown waits for in-flight requests ({@code --shutdown-ms})
 * @param retryAfterSecs the Retry-After sent with 429 and 503 ({@code --retry-after})
 */
public record ServerConfig(String host, int port, boolean batching, int maxBatch, int maxWaitMs, long maxBodyBytes,
                           int maxInputs, int maxChars, int maxQueue, int timeoutMs, int threads, int shutdownMs,
                           int retryAfterSecs) {
    public ServerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("--host must name an interface, e.g. 127.0.0.1 or 0.0.0.0");
        }
        range("--port", port, 0, 65535);
        range("--max-batch", maxBatch, 1, 4096);
        range("--max-wait-ms", maxWaitMs, 0, 10_000);
        if (maxBodyBytes < 64 || maxBodyBytes > (1L << 30)) {
            throw new IllegalArgumentException("--max-body-bytes must be between 64 and " + (1L << 30) + ", got " + maxBodyBytes);
        }
        range("--max-inputs", maxInputs, 1, 1_000_000);
        range("--max-chars", maxChars, 1, 100_000_000);
        range("--max-queue", maxQueue, 1, 10_000_000);
        range("--timeout-ms", timeoutMs, 1, 3_600_000);
        range("--threads", threads, 0, 1024);
        range("--shutdown-ms", shutdownMs, 0, 3_600_000);
        range("--retry-after", retryAfterSecs, 1, 3600);
    }

    /** Loopback:8080, batches of up to 32 gathered for up to 5 ms, 1 MiB bodies, 64 inputs of 10,000 characters, 1,024 queued, 10 s. */
    public static ServerConfig defaults() {
        return new ServerConfig("127.0.0.1", 8080, true, 32, 5, 1 << 20, 64, 10_000, 1024, 10_000, 0, 30_000, 1);
    }

    private static void range(String option, long v, long min, long max) {
        if (v < min || v > max) {
            throw new IllegalArgumentException(option + " must be between " + min + " and " + max + ", got " + v);
        }
    }

    public ServerConfig withHost(String v) {
        return new ServerConfig(v, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withPort(int v) {
        return new ServerConfig(host, v, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withBatching(boolean v) {
        return new ServerConfig(host, port, v, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxBatch(int v) {
        return new ServerConfig(host, port, batching, v, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxWaitMs(int v) {
        return new ServerConfig(host, port, batching, maxBatch, v, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxBodyBytes(long v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, v, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxInputs(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, v, maxChars, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxChars(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, v, maxQueue, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withMaxQueue(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, v, timeoutMs, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withTimeoutMs(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, v, threads, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withThreads(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, v, shutdownMs, retryAfterSecs);
    }

    public ServerConfig withShutdownMs(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, v, retryAfterSecs);
    }

    public ServerConfig withRetryAfterSecs(int v) {
        return new ServerConfig(host, port, batching, maxBatch, maxWaitMs, maxBodyBytes, maxInputs, maxChars, maxQueue, timeoutMs, threads, shutdownMs, v);
    }
}
