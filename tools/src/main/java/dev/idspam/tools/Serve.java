package dev.idspam.tools;

import dev.idspam.server.InferenceServer;
import dev.idspam.server.ServerConfig;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * {@code idspam serve}: runs the HTTP server on bundle folders until the process is stopped
 * (SIGINT/SIGTERM), then shuts it down gracefully. {@code --model} repeats: {@code DIR} serves the
 * bundle under its folder's name, {@code NAME=DIR} under NAME. The other options map one to one on
 * {@link ServerConfig}, which holds their defaults and ranges.
 */
final class Serve {
    private Serve() {
    }

    static int run(Args a) throws Exception {
        Map<String, Path> models = new LinkedHashMap<>();
        String given = a.has("model") ? a.get("model", "") : "";
        for (String value : given.isEmpty() ? List.<String>of() : List.of(given.split("\n"))) {
            int eq = value.indexOf('=');
            Path dir = Path.of(eq >= 0 ? value.substring(eq + 1) : value);
            String name = eq >= 0 ? value.substring(0, eq) : dir.toAbsolutePath().normalize().getFileName().toString();
            if (!Files.isDirectory(dir)) {
                throw new Args.UsageException("serve: --model " + value + ": " + dir + " is not a folder");
            }
            if (models.put(name, dir) != null) {
                throw new Args.UsageException("serve: --model: two bundles are named '" + name + "'; name them with NAME=DIR");
            }
        }
        if (models.isEmpty()) {
            throw new Args.UsageException("serve: give at least one --model DIR (or NAME=DIR)");
        }
        ServerConfig config;
        try {
            ServerConfig d = ServerConfig.defaults();
            config = d.withHost(a.get("host", d.host())).withPort(a.getInt("port", d.port()))
                    .withBatching(!a.flag("no-batching")).withMaxBatch(a.getInt("max-batch", d.maxBatch()))
                    .withMaxWaitMs(a.getInt("max-wait-ms", d.maxWaitMs())).withMaxBodyBytes(a.getLong("max-body-bytes", d.maxBodyBytes()))
                    .withMaxInputs(a.getInt("max-inputs", d.maxInputs())).withMaxChars(a.getInt("max-chars", d.maxChars()))
                    .withMaxQueue(a.getInt("max-queue", d.maxQueue())).withTimeoutMs(a.getInt("timeout-ms", d.timeoutMs()))
                    .withThreads(a.getInt("threads", d.threads())).withShutdownMs(a.getInt("shutdown-ms", d.shutdownMs()))
                    .withRetryAfterSecs(a.getInt("retry-after", d.retryAfterSecs()));
        } catch (IllegalArgumentException e) {
            throw new Args.UsageException("serve: " + e.getMessage());
        }
        if (!config.batching() && (a.has("max-batch") || a.has("max-wait-ms"))) {
            throw new Args.UsageException("serve: --max-batch and --max-wait-ms set micro-batching, which --no-batching switches off");
        }
        a.finish();
        InferenceServer server = InferenceServer.start(models, config);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("idspam serve: shutting down (requests in flight finish first)");
            server.close();
            stopped.countDown();
        }, "serve-shutdown"));
        for (Map.Entry<String, Path> m : models.entrySet()) {
            System.out.println("serving " + m.getKey() + " from " + m.getValue());
        }
        System.out.printf("listening on http://%s:%d (micro-batching %s); POST /v1/models/{name}/predict, GET /metrics%n",
                config.host(), server.port(), config.batching()
                        ? "on: up to " + config.maxBatch() + " examples, " + config.maxWaitMs() + " ms" : "off");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
