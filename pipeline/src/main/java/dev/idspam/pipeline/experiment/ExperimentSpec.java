package dev.idspam.pipeline.experiment;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A grid of runs read from JSON: methods (each with its layers) × tasks (each with epochs and an
 * optional training subset) × learning rates × batch sizes × weight decays × seeds, plus transfer
 * pairs evaluated from the in-task runs. Every field is checked, and errors name the file and field.
 * <pre>
 * {
 *   "id": "minilm-glue", "backbone": "minilm-l6",
 *   "methods": [{"method": "idspam", "layers": [3]}, {"method": "lora"}],
 *   "tasks": [{"task": "rte", "epochs": 10}, {"task": "sst2", "epochs": 1, "max_train_samples": 8000}],
 *   "seeds": [1, 2, 3],
 *   "learning_rates": [0.001], "batch_sizes": [32], "weight_decays": [0.0],
 *   "prompt_tokens": 10, "max_length": 128,
 *   "transfers": [{"source": "sst2", "target": "imdb", "shots": 0}, {"source": "sst2", "target": "imdb", "shots": 100}]
 * }
 * </pre>
 */
public record ExperimentSpec(String id, String backbone, List<MethodEntry> methods, List<TaskEntry> tasks, List<Long> seeds,
                             List<Double> learningRates, List<Integer> batchSizes, List<Double> weightDecays,
                             int promptTokens, int maxLength, List<TransferEntry> transfers) {

    /** One method and the injection layers to try (a single null layer for methods without one). */
    public record MethodEntry(String method, List<Integer> layers) { }

    /** One task with its epoch budget; {@code maxTrainSamples} 0 = the whole training split. */
    public record TaskEntry(Task task, int epochs, int maxTrainSamples) { }

    /** Train on {@code source} (the in-task runs), score on {@code target}; {@code shots} > 0 continues on that many target examples first. */
    public record TransferEntry(Task source, Task target, int shots, int epochs) { }

    private static final Set<String> LAYERED = Set.of("idspam", "idspam-meanpool", "lpt");

    public ExperimentSpec {
        methods = List.copyOf(methods);
        tasks = List.copyOf(tasks);
        seeds = List.copyOf(seeds);
        learningRates = List.copyOf(learningRates);
        batchSizes = List.copyOf(batchSizes);
        weightDecays = List.copyOf(weightDecays);
        transfers = List.copyOf(transfers);
    }

    public static ExperimentSpec read(Path file) throws IOException {
        JsonObject o = JsonFields.parse(Files.readString(file, StandardCharsets.UTF_8), file).json();
        Reader r = new Reader(file.toString());
        String id = r.string(o, "id", null);
        String backbone = r.string(o, "backbone", "minilm-l6");
        List<MethodEntry> methods = new ArrayList<>();
        JsonArray ms = r.array(o, "methods", true);
        for (int i = 0; i < ms.size(); i++) {
            JsonObject m = r.object(ms.get(i), "methods[" + i + "]");
            String name = r.string(m, "method", null, "methods[" + i + "].method");
            if (!MethodSpec.IDS.contains(name)) {
                throw r.error("methods[" + i + "].method", "'" + name + "' is not one of " + MethodSpec.IDS);
            }
            List<Integer> layers = new ArrayList<>();
            if (LAYERED.contains(name)) {
                JsonArray ls = r.array(m, "layers", false);
                if (ls == null) {
                    layers.add(3);
                } else {
                    for (int k = 0; k < ls.size(); k++) {
                        layers.add(r.integer(ls.get(k), "methods[" + i + "].layers[" + k + "]"));
                    }
                }
            } else {
                if (m.has("layers")) {
                    throw r.error("methods[" + i + "].layers", "method '" + name + "' has no injection layer");
                }
                layers.add(null);
            }
            methods.add(new MethodEntry(name, layers));
        }
        List<TaskEntry> tasks = new ArrayList<>();
        JsonArray ts = r.array(o, "tasks", true);
        for (int i = 0; i < ts.size(); i++) {
            JsonObject t = r.object(ts.get(i), "tasks[" + i + "]");
            tasks.add(new TaskEntry(r.task(t, "task", "tasks[" + i + "].task"), r.integer(t, "epochs", 3, "tasks[" + i + "].epochs"),
                    r.integer(t, "max_train_samples", 0, "tasks[" + i + "].max_train_samples")));
        }
        List<TransferEntry> transfers = new ArrayList<>();
        JsonArray xs = r.array(o, "transfers", false);
        if (xs != null) {
            for (int i = 0; i < xs.size(); i++) {
                JsonObject x = r.object(xs.get(i), "transfers[" + i + "]");
                Task source = r.task(x, "source", "transfers[" + i + "].source");
                if (tasks.stream().noneMatch(t -> t.task() == source)) {
                    throw r.error("transfers[" + i + "].source", "task '" + source.shortName() + "' is not in \"tasks\"");
                }
                transfers.add(new TransferEntry(source, r.task(x, "target", "transfers[" + i + "].target"),
                        r.integer(x, "shots", 0, "transfers[" + i + "].shots"), r.integer(x, "epochs", 5, "transfers[" + i + "].epochs")));
            }
        }
        return new ExperimentSpec(id == null ? file.getFileName().toString().replaceFirst("\\.json$", "") : id, backbone,
                methods, tasks, r.longs(o, "seeds", List.of(42L)), r.doubles(o, "learning_rates", List.of(1e-3)),
                r.longs(o, "batch_sizes", List.of(32L)).stream().map(Long::intValue).toList(),
                r.doubles(o, "weight_decays", List.of(0.0)), r.integer(o, "prompt_tokens", 10, "prompt_tokens"),
                r.integer(o, "max_length", 128, "max_length"), transfers);
    }

    /** Field readers that name the file and the field in every error. */
    private record Reader(String file) {
        IOException error(String field, String what) {
            return new IOException(file + ": field '" + field + "': " + what);
        }

        JsonObject object(JsonElement e, String field) throws IOException {
            if (e == null || !e.isJsonObject()) {
                throw error(field, "expected an object");
            }
            return e.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String field, boolean required) throws IOException {
            JsonElement e = o.get(field);
            if (e == null) {
                if (required) {
                    throw error(field, "is required");
                }
                return null;
            }
            if (!e.isJsonArray() || e.getAsJsonArray().isEmpty()) {
                throw error(field, "expected a non-empty array");
            }
            return e.getAsJsonArray();
        }

        String string(JsonObject o, String field, String def) throws IOException {
            return string(o, field, def, field);
        }

        String string(JsonObject o, String key, String def, String field) throws IOException {
            JsonElement e = o.get(key);
            if (e == null) {
                if (def == null && !key.equals("id")) {
                    throw error(field, "is required");
                }
                return def;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw error(field, "expected a string");
            }
            return e.getAsString();
        }

        int integer(JsonElement e, String field) throws IOException {
            if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw error(field, "expected an integer");
            }
            double d = e.getAsDouble();
            if (d != Math.rint(d)) {
                throw error(field, "expected an integer, got " + d);
            }
            return (int) d;
        }

        int integer(JsonObject o, String key, int def, String field) throws IOException {
            return o.has(key) ? integer(o.get(key), field) : def;
        }

        Task task(JsonObject o, String key, String field) throws IOException {
            String name = string(o, key, null, field);
            try {
                return Task.parse(name);
            } catch (IllegalArgumentException e) {
                throw error(field, e.getMessage());
            }
        }

        List<Long> longs(JsonObject o, String field, List<Long> def) throws IOException {
            JsonArray a = array(o, field, false);
            if (a == null) {
                return def;
            }
            List<Long> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                out.add((long) integer(a.get(i), field + "[" + i + "]"));
            }
            return out;
        }

        List<Double> doubles(JsonObject o, String field, List<Double> def) throws IOException {
            JsonArray a = array(o, field, false);
            if (a == null) {
                return def;
            }
            List<Double> out = new ArrayList<>();
            for (int i = 0; i < a.size(); i++) {
                JsonElement e = a.get(i);
                if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                    throw error(field + "[" + i + "]", "expected a number");
                }
                out.add(e.getAsDouble());
            }
            return out;
        }
    }
}
