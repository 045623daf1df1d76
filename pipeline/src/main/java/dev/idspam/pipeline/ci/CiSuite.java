package dev.idspam.pipeline.ci;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.runtime.Device;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An evaluation suite for CI ({@code idspam ci-eval SUITE.json}): a list of checks, each scoring one
 * model on one task's split and comparing the metrics with minimum values, with a baseline that an
 * earlier run wrote, and with a time budget. Paths are relative to the suite file. Metric values are
 * fractions, named as in {@code report.json} and {@code eval --json} ({@code accuracy: 0.80}).
 *
 * <pre>
 * {"name": "sentiment",                       optional; default: the file name
 *  "baseline": "ci-baseline.json",            optional; --baseline overrides it
 *  "data": "data",                            optional; default data folder of every check
 *  "checks": [
 *    {"name": "sst2-dev",                     unique within the suite
 *     "model": "runs/sst2-bundle",            a bundle or a trained artifacts folder
 *     "task": "sst2",                         optional; default: the model's own task
 *     "split": "dev",                         optional; dev, dev-mismatched or train
 *     "data": "data",                         optional; the folder the task's files are found in
 *     "max_samples": 500, "seed": 42,         optional; a seeded sample (0 = all)
 *     "device": "cpu",                        optional; cpu or cuda
 *     "batch_size": 32,                       optional
 *     "min": {"accuracy": 0.80},              minimum value per metric
 *     "max_regression": 0.01,                 optional; most a metric may fall below the baseline
 *     "max_ms_per_sample": 25.0}]}            optional
 * </pre>
 *
 * Every key is checked and unknown keys are refused, naming the file and the field. ONNX Runtime's
 * device is fixed per process, so one suite's checks share one device.
 */
public record CiSuite(Path file, String name, Path baseline, List<Check> checks) {
    private static final Set<String> KEYS = Set.of("name", "baseline", "data", "checks");
    private static final Set<String> CHECK_KEYS = Set.of("name", "model", "task", "split", "data", "max_samples", "seed",
            "device", "batch_size", "min", "max_regression", "max_ms_per_sample");
    /** The defaults of a check's optional fields, written once. */
    public static final int DEFAULT_BATCH_SIZE = 32;
    public static final long DEFAULT_SEED = 42;

    /** One check; {@code task} null means the model's own task, {@code data} null the default folders. */
    public record Check(String name, Path model, Task task, Split split, Path data, int maxSamples, long seed, Device device,
                        int batchSize, Map<String, Double> min, Double maxRegression, Double maxMsPerSample) {
    }

    public CiSuite {
        checks = List.copyOf(checks);
    }

    /** The device every check runs on. */
    public Device device() {
        return checks.get(0).device();
    }

    public static CiSuite read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": suite file not found");
        }
        JsonObject o = JsonFields.parse(Files.readString(file, StandardCharsets.UTF_8), file).json();
        keys(file, o, KEYS, "");
        Path dir = file.toAbsolutePath().getParent();
        String name = o.has("name") ? string(file, o, "name", "name") : file.getFileName().toString().replaceFirst("\\.json$", "");
        Path baseline = o.has("baseline") ? dir.resolve(string(file, o, "baseline", "baseline")) : null;
        Path data = o.has("data") ? dir.resolve(string(file, o, "data", "data")) : null;
        JsonElement cs = o.get("checks");
        if (cs == null || !cs.isJsonArray() || cs.getAsJsonArray().isEmpty()) {
            throw error(file, "checks", "must be a non-empty array of checks");
        }
        List<Check> checks = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < cs.getAsJsonArray().size(); i++) {
            String f = "checks[" + i + "]";
            JsonElement e = cs.getAsJsonArray().get(i);
            if (!e.isJsonObject()) {
                throw error(file, f, "must be an object");
            }
            JsonObject c = e.getAsJsonObject();
            keys(file, c, CHECK_KEYS, f + ".");
            String checkName = string(file, c, "name", f + ".name");
            if (!checkName.matches("[A-Za-z0-9._-]+")) {
                throw error(file, f + ".name", "must be letters, digits, '.', '_' or '-', found '" + checkName + "'");
            }
            if (!names.add(checkName)) {
                throw error(file, f + ".name", "'" + checkName + "' names two checks");
            }
            Path model = dir.resolve(string(file, c, "model", f + ".model"));
            Task task = null;
            if (c.has("task")) {
                try {
                    task = Task.parse(string(file, c, "task", f + ".task"));
                } catch (IllegalArgumentException x) {
                    throw error(file, f + ".task", x.getMessage());
                }
            }
            Split split = Split.DEV;
            if (c.has("split")) {
                String s = string(file, c, "split", f + ".split");
                split = Split.fromOption(s).orElseThrow(() -> error(file, f + ".split",
                        "must be dev, dev-mismatched or train, found '" + s + "'"));
            }
            Path checkData = c.has("data") ? dir.resolve(string(file, c, "data", f + ".data")) : data;
            int maxSamples = (int) whole(file, c, "max_samples", f, 0, 0, Integer.MAX_VALUE);
            long seed = whole(file, c, "seed", f, DEFAULT_SEED, Long.MIN_VALUE, Long.MAX_VALUE);
            int batch = (int) whole(file, c, "batch_size", f, DEFAULT_BATCH_SIZE, 1, 1 << 16);
            Device device = Device.CPU;
            if (c.has("device")) {
                String d = string(file, c, "device", f + ".device");
                device = switch (d) {
                    case "cpu" -> Device.CPU;
                    case "cuda" -> Device.CUDA;
                    default -> throw error(file, f + ".device", "must be cpu or cuda, found '" + d + "'");
                };
            }
            Map<String, Double> min = new LinkedHashMap<>();
            if (c.has("min")) {
                JsonElement m = c.get("min");
                if (!m.isJsonObject()) {
                    throw error(file, f + ".min", "must be an object of metric name to minimum value");
                }
                for (Map.Entry<String, JsonElement> t : m.getAsJsonObject().entrySet()) {
                    min.put(t.getKey(), number(file, t.getValue(), f + ".min." + t.getKey()));
                }
            }
            Double maxRegression = c.has("max_regression") ? number(file, c.get("max_regression"), f + ".max_regression") : null;
            if (maxRegression != null && maxRegression < 0) {
                throw error(file, f + ".max_regression", "must be >= 0, found " + maxRegression);
            }
            Double maxMs = c.has("max_ms_per_sample") ? number(file, c.get("max_ms_per_sample"), f + ".max_ms_per_sample") : null;
            if (maxMs != null && maxMs <= 0) {
                throw error(file, f + ".max_ms_per_sample", "must be > 0, found " + maxMs);
            }
            if (min.isEmpty() && maxRegression == null && maxMs == null) {
                throw error(file, f, "has nothing to check: give \"min\", \"max_regression\" or \"max_ms_per_sample\"");
            }
            if (!checks.isEmpty() && checks.get(0).device() != device) {
                throw error(file, f + ".device", "is " + device.name().toLowerCase(java.util.Locale.ROOT) + ", but "
                        + checks.get(0).name() + " runs on " + checks.get(0).device().name().toLowerCase(java.util.Locale.ROOT)
                        + "; ONNX Runtime's device is fixed per process, so put the checks of each device in a suite of"
                        + " their own");
            }
            checks.add(new Check(checkName, model, task, split, checkData, maxSamples, seed, device, batch, min,
                    maxRegression, maxMs));
        }
        return new CiSuite(file, name, baseline, checks);
    }

    private static IOException error(Path file, String field, String what) {
        return new IOException(file + ": field '" + field + "' " + what);
    }

    private static void keys(Path file, JsonObject o, Set<String> allowed, String prefix) throws IOException {
        for (String k : o.keySet()) {
            if (!allowed.contains(k)) {
                throw error(file, prefix + k, "is not a known key; expected one of " + new TreeSet<>(allowed));
            }
        }
    }

    private static String string(Path file, JsonObject o, String key, String field) throws IOException {
        JsonElement e = o.get(key);
        if (e == null) {
            throw error(file, field, "is missing");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
            throw error(file, field, "must be a non-empty string, found " + e);
        }
        return e.getAsString();
    }

    private static double number(Path file, JsonElement e, String field) throws IOException {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber() || !Double.isFinite(e.getAsDouble())) {
            throw error(file, field, "must be a number, found " + e);
        }
        return e.getAsDouble();
    }

    private static long whole(Path file, JsonObject o, String key, String prefix, long def, long lo, long hi) throws IOException {
        if (!o.has(key)) {
            return def;
        }
        String field = prefix + "." + key;
        double d = number(file, o.get(key), field);
        if (d != Math.rint(d) || d < lo || d > hi) {
            throw error(file, field, "must be a whole number in [" + lo + ", " + hi + "], found " + o.get(key));
        }
        return o.get(key).getAsLong();
    }
}
