package dev.idspam.serving.examples;

import com.sun.net.httpserver.HttpServer;
import dev.idspam.serving.Predictor;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Executors;

/**
 * The smallest service that embeds the serving library without the project's HTTP server: one
 * shared predictor behind the JDK's built-in HTTP server. {@code POST /classify} with plain text,
 * one sentence per line, answers one "label probability" line per sentence. Compiled with the
 * tests so it keeps up with the API.
 *
 * <pre>java -cp ... dev.idspam.serving.examples.SentimentService runs/demo/bundle 8081</pre>
 */
public final class SentimentService {
    private SentimentService() {
    }

    public static void main(String[] args) throws IOException {
        Predictor predictor = Predictor.builder()
                .threads(2)                              // intra-op threads of one model run
                .model(Path.of(args[0]))                 // or .modelFromClasspath("models/sst2"), or .model(zipStream)
                .build();
        HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 0);
        http.setExecutor(Executors.newFixedThreadPool(8)); // a Predictor is shared by all threads
        http.createContext("/classify", exchange -> {
            List<String> lines = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().filter(l -> !l.isBlank()).toList();
            StringBuilder out = new StringBuilder();
            int status = 200;
            try {
                for (Predictor.Prediction p : predictor.predictAll(lines, null)) {   // one batched model run
                    out.append(p.label()).append(' ').append(p.probabilities().get(p.label())).append('\n');
                }
            } catch (IllegalArgumentException e) {       // input the task does not take
                status = 400;
                out.setLength(0);
                out.append(e.getMessage()).append('\n');
            }
            byte[] body = out.toString().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            http.stop(5);          // let running requests finish
            predictor.close();     // waits for running predictions, then frees the native session
        }));
        http.start();
    }
}
