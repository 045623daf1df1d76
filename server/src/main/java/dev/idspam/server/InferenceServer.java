package dev.idspam.server;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.serving.BundleManifest;
import dev.idspam.serving.MultiTaskPredictor;
import dev.idspam.serving.Predictor;
import dev.idspam.serving.Predictor.Prediction;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.eclipse.jetty.server.handler.GracefulHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTP server: one {@link ModelHost} per served bundle behind these endpoints (JSON in and out).
 * <pre>
 * POST /v1/models/{name}/predict  {"inputs": [{"text": .., "text_pair": ..}]} → {"model", "predictions": [..]}
 * POST /v1/predict                {"models": [..] (optional: all), "inputs": [..]} → {"results": {name: [..]}}
 * GET  /v1/models                 the served models: task, labels, whether they take pairs
 * POST /v1/models/{name}/reload   loads the bundle folder again and swaps it in atomically
 * GET  /health/live, /health/ready, /metrics (Prometheus text format)
 * </pre>
 * A prediction is {@code {"label", "label_index", "probabilities": {label: p}}}, or {@code {"score"}}
 * for a regression model.
 *
 * <p>Statuses: 400 names the field at fault, 404 an unknown model, 413 a body, input count or
 * text over its limit, 429 a full queue, 503 a request past its timeout or a server shutting
 * down (both with Retry-After). 500 is kept for faults of the server itself: every refusal of
 * user input is decided before the model runs.
 *
 * <p>Shutdown ({@link #close}): readiness turns 503 and new predictions are refused with 503, the
 * requests already in flight finish (up to {@code shutdownMs}), then Jetty stops and the models close.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().serializeSpecialFloatingPointValues().create();
    private static final String JSON = "application/json";
    private static final String PREDICT = "/v1/models/{name}/predict";
    private static final String PREDICT_MANY = "/v1/predict";
    private static final String RELOAD = "/v1/models/{name}/reload";

    private final ServerConfig config;
    private final Map<String, ModelHost> models;
    private final PrometheusMeterRegistry registry;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile boolean draining;
    private final Javalin app;

    private InferenceServer(ServerConfig config, Map<String, ModelHost> models, PrometheusMeterRegistry registry) {
        this.config = config;
        this.models = models;
        this.registry = registry;
        Gauge.builder("idspam.requests.in.flight", inFlight, AtomicInteger::get)
                .description("prediction requests being handled").register(registry);
        this.app = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.startup.showOldJavalinVersionWarning = false;
            c.http.maxRequestSize = config.maxBodyBytes();
            c.jetty.host = config.host();
            c.jetty.port = config.port();
            // Graceful stop: the in-flight count above ends when a handler returns, but Javalin writes the
            // response after that. Jetty's GracefulHandler counts a request until its response is complete,
            // and a stop timeout makes Server.stop wait for that count (up to the same limit) before it
            // closes connections, so no answer is cut off mid-write.
            c.jetty.modifyServer(server -> server.setStopTimeout(Math.max(1, config.shutdownMs())));
            c.jetty.modifyServletContextHandler(h -> h.insertHandler(new GracefulHandler()));
            c.routes.post(PREDICT, ctx -> handle(ctx, PREDICT, true, this::predictOne));
            c.routes.post(PREDICT_MANY, ctx -> handle(ctx, PREDICT_MANY, true, this::predictMany));
            c.routes.get("/v1/models", ctx -> handle(ctx, "/v1/models", false, this::listModels));
            c.routes.post(RELOAD, ctx -> handle(ctx, RELOAD, false, this::reload));
            c.routes.get("/health/live", ctx -> json(ctx, 200, Map.of("status", "live")));
            c.routes.get("/health/ready", ctx -> {
                if (draining) {
                    ctx.header("Retry-After", Integer.toString(config.retryAfterSecs()));
                    json(ctx, 503, Map.of("status", "shutting down"));
                } else {
                    json(ctx, 200, Map.of("status", "ready", "models", models.keySet()));
                }
            });
            c.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(registry.scrape()));
        });
    }

    /**
     * Loads every bundle (name → folder; a bundle that fails to load stops the start, naming it),
     * then listens on {@code config}'s host and port.
     */
    public static InferenceServer start(Map<String, Path> bundles, ServerConfig config) throws IOException {
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("--model: give at least one bundle folder");
        }
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        Map<String, ModelHost> hosts = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Path> e : bundles.entrySet()) {
                String name = e.getKey();
                if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]*")) {
                    throw new IllegalArgumentException("--model: name '" + name + "' must be letters, digits, '.', '_' or '-'");
                }
                DistributionSummary sizes = DistributionSummary.builder("idspam.batch.size").tag("model", name)
                        .description("examples per model run").serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128, 256)
                        .register(registry);
                ModelHost h = new ModelHost(name, e.getValue(), config, sizes::record);
                hosts.put(name, h);
                Gauge.builder("idspam.queue.depth", h, ModelHost::pending).tag("model", name)
                        .description("examples waiting or running").register(registry);
            }
            InferenceServer server = new InferenceServer(config, hosts, registry);
            server.app.start();
            return server;
        } catch (IOException | RuntimeException e) {
            hosts.values().forEach(ModelHost::close);
            registry.close();
            throw e;
        }
    }

    /** The port it listens on (the one picked, when the config asked for 0). */
    public int port() {
        return app.port();
    }

    public ServerConfig config() {
        return config;
    }

    /** The Micrometer registry behind /metrics, for a service that adds its own meters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    private interface Body {
        Object respond(Context ctx);
    }

    /** Runs one API call: counts it, times it, and turns its refusals into their status and one-line message. */
    private void handle(Context ctx, String endpoint, boolean prediction, Body body) {
        long t0 = System.nanoTime();
        String model = ctx.pathParamMap().containsKey("name") && models.containsKey(ctx.pathParam("name"))
                ? ctx.pathParam("name") : "-";
        int status;
        if (prediction) {
            inFlight.incrementAndGet();
        }
        try {
            if (prediction && draining) {
                throw new ApiError(503, "the server is shutting down; retry on another instance");
            }
            Object out = body.respond(ctx);
            status = 200;
            json(ctx, 200, out);
        } catch (ApiError e) {
            status = e.status;
            error(ctx, e.status, e.getMessage(), e.retryAfter);
        } catch (RuntimeException e) {
            status = 500;
            error(ctx, 500, "internal error: " + oneLine(e), false);
        } finally {
            if (prediction) {
                inFlight.decrementAndGet();
            }
        }
        String code = Integer.toString(status);
        Counter.builder("idspam.requests").tags("endpoint", endpoint, "model", model, "status", code)
                .description("API requests by endpoint, model and status").register(registry).increment();
        if (status >= 400) {
            Counter.builder("idspam.errors").tags("status", code).description("refused or failed requests by status")
                    .register(registry).increment();
        }
        Timer.builder("idspam.request.latency").tags("endpoint", endpoint, "model", model)
                .description("time from request to response").publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofNanos(System.nanoTime() - t0));
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl >= 0 ? m.substring(0, nl) : m;
    }

    private void json(Context ctx, int status, Object body) {
        ctx.status(status).contentType(JSON).result(GSON.toJson(body));
    }

    private void error(Context ctx, int status, String message, boolean retryAfter) {
        if (retryAfter) {
            ctx.header("Retry-After", Integer.toString(config.retryAfterSecs()));
        }
        JsonObject o = new JsonObject();
        o.addProperty("error", message);
        o.addProperty("status", status);
        json(ctx, status, o);
    }

    private ModelHost model(String name) {
        ModelHost h = models.get(name);
        if (h == null) {
            throw new ApiError(404, "no model named '" + name + "' (served: " + String.join(", ", models.keySet()) + ")");
        }
        return h;
    }

    /** The body as UTF-8 text, refused past {@code maxBodyBytes} without reading further. */
    private String body(Context ctx) {
        long declared = ctx.req().getContentLengthLong();
        long max = config.maxBodyBytes();
        if (declared > max) {
            throw new ApiError(413, "the request body has " + declared + " bytes; at most " + max);
        }
        byte[] bytes;
        try (InputStream in = ctx.req().getInputStream()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                b.write(buf, 0, n);
                if (b.size() > max) {
                    throw new ApiError(413, "the request body has more than " + max + " bytes");
                }
            }
            bytes = b.toByteArray();
        } catch (IOException e) {
            throw new ApiError(400, "the request body could not be read: " + oneLine(e));
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ApiError(400, "the request body is not valid UTF-8");
        }
    }

    private long deadline() {
        return System.nanoTime() + config.timeoutMs() * 1_000_000L;
    }

    private Object predictOne(Context ctx) {
        ModelHost h = model(ctx.pathParam("name"));
        PredictRequest r = PredictRequest.parse(body(ctx), false, config);
        JsonObject out = new JsonObject();
        out.addProperty("model", h.name);
        out.add("predictions", predict(h, r, deadline()));
        return out;
    }

    private Object predictMany(Context ctx) {
        PredictRequest r = PredictRequest.parse(body(ctx), true, config);
        List<ModelHost> hosts = new ArrayList<>();
        for (String name : r.models() == null ? List.copyOf(models.keySet()) : r.models()) {
            ModelHost h = model(name);
            if (!hosts.contains(h)) {
                hosts.add(h);
            }
        }
        for (ModelHost h : hosts) {
            checkPairs(h, r);
        }
        long deadline = deadline();
        Map<ModelHost, JsonArray> answers = new java.util.HashMap<>();
        // Models whose bundles share a prefix (same backbone, injection layer and tokenizer) run it
        // once for the request and one suffix each (MultiTaskPredictor); the others run on their own.
        Map<Predictor, ModelHost> byPredictor = new java.util.IdentityHashMap<>();
        hosts.forEach(h -> byPredictor.put(h.predictor(), h));
        for (List<Predictor> group : MultiTaskPredictor.of(List.copyOf(byPredictor.keySet())).groups()) {
            if (group.size() < 2) {
                continue;
            }
            List<ModelHost> members = group.stream().map(byPredictor::get).toList();
            List<List<Prediction>> ps = ModelHost.predictShared(members, group, r.textsA(),
                    members.get(0).manifest().pair() ? r.textsB() : null);
            if (ps != null) { // null: a member was reloaded meanwhile; each runs on its own below
                Counter.builder("idspam.shared.prefix.runs").description("prefix runs shared by several models in /v1/predict")
                        .register(registry).increment();
                for (int k = 0; k < members.size(); k++) {
                    answers.put(members.get(k), json(ps.get(k)));
                }
            }
        }
        JsonObject results = new JsonObject();
        for (ModelHost h : hosts) {
            JsonArray a = answers.get(h);
            results.add(h.name, a != null ? a : predict(h, r, deadline));
        }
        JsonObject out = new JsonObject();
        out.add("results", results);
        return out;
    }

    /** Refuses inputs the model's task does not take, naming the first such field. */
    private static void checkPairs(ModelHost h, PredictRequest r) {
        BundleManifest m = h.manifest();
        for (int i = 0; i < r.textsA().size(); i++) {
            boolean has = r.textsB().get(i) != null;
            if (m.pair() && !has) {
                throw new ApiError(400, "field 'inputs[" + i + "].text_pair' is missing: model " + h.name + " (task "
                        + m.task().shortName() + ") takes a pair of texts");
            }
            if (!m.pair() && has) {
                throw new ApiError(400, "field 'inputs[" + i + "].text_pair' is not taken: model " + h.name + " (task "
                        + m.task().shortName() + ") takes a single text");
            }
        }
    }

    private JsonArray predict(ModelHost h, PredictRequest r, long deadline) {
        checkPairs(h, r);
        return json(h.predict(r.textsA(), h.manifest().pair() ? r.textsB() : null, deadline));
    }

    private static JsonArray json(List<Prediction> ps) {
        JsonArray a = new JsonArray();
        for (Prediction p : ps) {
            JsonObject o = new JsonObject();
            if (p.regression()) {
                o.addProperty("score", p.score());
            } else {
                o.addProperty("label", p.label());
                o.addProperty("label_index", p.labelIndex());
                JsonObject probs = new JsonObject();
                p.probabilities().forEach(probs::addProperty);
                o.add("probabilities", probs);
            }
            a.add(o);
        }
        return a;
    }

    private Object listModels(Context ctx) {
        JsonArray a = new JsonArray();
        for (ModelHost h : models.values()) {
            BundleManifest m = h.manifest();
            JsonObject o = new JsonObject();
            o.addProperty("name", h.name);
            o.addProperty("task", m.task().shortName());
            JsonArray labels = new JsonArray();
            m.labels().forEach(labels::add);
            o.add("labels", labels);
            o.addProperty("regression", m.regression());
            o.addProperty("pair", m.pair());
            o.addProperty("max_length", m.maxLength());
            o.addProperty("method", m.method());
            o.addProperty("model_sha256", m.modelSha256());
            a.add(o);
        }
        JsonObject out = new JsonObject();
        out.add("models", a);
        return out;
    }

    private Object reload(Context ctx) {
        ModelHost h = model(ctx.pathParam("name"));
        try {
            h.reload();
        } catch (IOException | RuntimeException e) {
            throw new ApiError(409, "model " + h.name + " kept its current bundle; loading " + h.dir + " failed: " + oneLine(e));
        }
        JsonObject out = new JsonObject();
        out.addProperty("model", h.name);
        out.addProperty("reloaded", true);
        out.addProperty("model_sha256", h.manifest().modelSha256());
        return out;
    }

    /** Stops taking predictions, lets those in flight finish (up to {@code shutdownMs}), stops Jetty, closes the models. */
    @Override
    public void close() {
        draining = true;
        long end = System.nanoTime() + config.shutdownMs() * 1_000_000L;
        while (inFlight.get() > 0 && System.nanoTime() < end) {
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        app.stop();
        models.values().forEach(ModelHost::close);
        registry.close();
    }
}
