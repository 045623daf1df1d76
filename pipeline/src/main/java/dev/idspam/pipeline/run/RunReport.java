package dev.idspam.pipeline.run;

import com.google.gson.FieldNamingPolicy;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonSerializer;
import dev.idspam.graphs.io.JsonRecords;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code report.json}: what one training run did and scored. Written by {@link TrainJob}, read by
 * the CLI's summary, {@link RunReportMarkdown} and the experiment runner. Field names on disk are
 * the snake_case forms of the component names ({@code bestEpoch} → {@code best_epoch}), in
 * component order; absent values (a method without an injection layer) are left out.
 *
 * @param layer             injection layer, or null for methods without one
 * @param bestEpoch         1-based epoch whose checkpoint was kept and scored
 * @param devMetrics        metric id → value on the dev split, from the best checkpoint
 * @param primaryMetric     the key of {@code devMetrics} the best epoch was chosen by
 * @param trainSeconds      training time, all epochs, without evaluation
 * @param wallSeconds       the whole job, reading data to the last evaluation
 * @param trainSamples      training examples per epoch (a seeded subset when smaller than the split)
 * @param trainSplitSize    examples of the whole training split
 * @param weightDecay       AdamW weight decay baked into the optimizer model
 * @param finishedAt        ISO-8601 instant the report was written
 * @param headPooling       what the task head read ({@code model.head_pooling} of the manifest: first, mean or
 *                          last), or null for artifacts that predate the field
 * @param patience          early stopping's patience: the run stops after this many epochs in a row without
 *                          a better dev metric; null when early stopping was off
 * @param minEpochs         epochs early stopping waited for, or null when it did not wait
 */
public record RunReport(String task, String method, JsonObject methodConfig, String backbone, Integer layer, long seed,
                        int epochs, int bestEpoch, Map<String, Double> devMetrics, String primaryMetric,
                        long trainableParams, long frozenParams, boolean frozenWeightsUnchanged, double trainSeconds,
                        double trainSamplesPerSecond, double secondsToBestEpoch, double evalMsPerSample,
                        double wallSeconds, int trainSamples, int trainSplitSize, int trainSkippedRows, int devSamples,
                        int devSkippedRows, int batchSize, int gradientAccumulation, double learningRate,
                        double warmupRatio, float weightDecay, int maxLength, String device, int threads,
                        String onnxruntime, List<EpochRecord> history, String finishedAt, String headPooling,
                        Integer patience, Integer minEpochs) {

    /**
     * One epoch of {@code history}. On disk the dev metric's key names the metric:
     * {@code {"epoch":1,"train_loss":0.69,"dev_loss":0.68,"dev_accuracy":0.55,"best":true,...}}.
     *
     * @param epoch          1-based
     * @param devLoss        null when the epoch was not evaluated (then so are the two below)
     * @param devMetricName  the metric the epoch was scored by ({@code accuracy})
     */
    public record EpochRecord(int epoch, double trainLoss, Double devLoss, String devMetricName, Double devMetric,
                              boolean best, double seconds, double trainSeconds) {
    }

    private static final String DEV = "dev_";
    private static final Gson GSON = new GsonBuilder()
            .setFieldNamingPolicy(FieldNamingPolicy.LOWER_CASE_WITH_UNDERSCORES).disableHtmlEscaping().setPrettyPrinting()
            .registerTypeAdapter(EpochRecord.class, (JsonSerializer<EpochRecord>) (e, type, ctx) -> epochJson(e))
            .registerTypeAdapter(EpochRecord.class, (JsonDeserializer<EpochRecord>) (json, type, ctx) -> epoch(json))
            .create();

    public RunReport {
        methodConfig = methodConfig == null ? null : methodConfig.deepCopy();
        devMetrics = devMetrics == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(devMetrics));
        history = history == null ? null : Collections.unmodifiableList(new ArrayList<>(history));
    }

    @Override
    public JsonObject methodConfig() {
        return methodConfig == null ? null : methodConfig.deepCopy();
    }

    /** The value of the primary metric. */
    public double primaryValue() {
        return devMetrics.get(primaryMetric);
    }

    /** The report as the text of {@code report.json} (pretty-printed, ending with a line break). */
    public String toJson() {
        return GSON.toJson(this) + "\n";
    }

    /** The report as a JSON tree (for tests and tools that compare files). */
    public JsonObject toJsonTree() {
        return GSON.toJsonTree(this).getAsJsonObject();
    }

    /** Reads and checks {@code file}; errors are one line naming the file and the field. */
    public static RunReport read(Path file) throws IOException {
        JsonFields f = JsonFields.parse(Files.readString(file, StandardCharsets.UTF_8), file);
        RunReport r;
        try {
            r = JsonRecords.bind(GSON, f.json(), RunReport.class);
        } catch (JsonRecords.BindException e) {
            throw f.error(e.field(), e.getMessage());
        }
        // the fields every reader relies on
        f.string("task");
        f.string("method");
        f.object("method_config");
        f.string("backbone");
        f.integer("best_epoch", 1, Integer.MAX_VALUE);
        f.object("dev_metrics");
        f.oneOf("primary_metric", List.copyOf(r.devMetrics().keySet()));
        f.bool("frozen_weights_unchanged");
        if (r.history() == null) {
            throw f.error("history", "is missing");
        }
        return r;
    }

    private static JsonObject epochJson(EpochRecord e) {
        JsonObject h = new JsonObject();
        h.addProperty("epoch", e.epoch());
        h.addProperty("train_loss", e.trainLoss());
        if (e.devLoss() != null) {
            h.addProperty("dev_loss", e.devLoss());
            h.addProperty(DEV + e.devMetricName(), e.devMetric());
        }
        h.addProperty("best", e.best());
        h.addProperty("seconds", e.seconds());
        h.addProperty("train_seconds", e.trainSeconds());
        return h;
    }

    private static EpochRecord epoch(JsonElement json) {
        if (!json.isJsonObject()) {
            throw new JsonParseException("an epoch of history is not an object: " + json);
        }
        JsonObject h = json.getAsJsonObject();
        String metric = null;
        Double value = null;
        for (Map.Entry<String, JsonElement> m : h.entrySet()) {
            if (m.getKey().startsWith(DEV) && !m.getKey().equals("dev_loss")) {
                metric = m.getKey().substring(DEV.length());
                value = number(h, m.getKey()).doubleValue();
            }
        }
        Double devLoss = metric == null ? null : number(h, "dev_loss").doubleValue();
        JsonElement best = h.get("best");
        if (best == null || !best.isJsonPrimitive() || !best.getAsJsonPrimitive().isBoolean()) {
            throw new JsonParseException("history: field 'best' must be true or false, found " + best);
        }
        return new EpochRecord(number(h, "epoch").intValue(), number(h, "train_loss").doubleValue(), devLoss, metric,
                value, best.getAsBoolean(), number(h, "seconds").doubleValue(), number(h, "train_seconds").doubleValue());
    }

    private static Number number(JsonObject h, String name) {
        JsonElement e = h.get(name);
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new JsonParseException("history: field '" + name + "' must be a number, found " + e);
        }
        return e.getAsNumber();
    }
}
