package dev.idspam.pipeline.experiment;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A grid of runs read from JSON: methods (each with its layers) × tasks (each with epochs and an
 * optional training subset) × learning rates × batch sizes × weight decays × seeds, plus transfer
 * pairs evaluated from the in-task runs. Every field is checked, unknown keys are refused, and errors
 * name the file and field.
 *
 * <p>A method entry is a registered method id, or an object with {@code "id"} (or {@code "method"}),
 * the layers to try ({@code "layers"}, or one {@code "layer"}) for methods with a {@code --layer}
 * option, and any other option of the method under its spec key ({@code --prompt-tokens} is
 * {@code "prompt_tokens"}). The top-level {@code "prompt_tokens"} applies to every method that reads
 * it and sets none of its own.
 * <pre>
 * {
 *   "id": "minilm-glue", "backbone": "minilm-l6",
 *   "methods": [{"id": "idspam", "layers": [3], "prompt_tokens": 20, "bottleneck": 64},
 *               {"id": "lora", "learning_rates": [0.0005, 0.0001]}],
 *   "tasks": [{"task": "rte", "epochs": 10}, {"task": "sst2", "epochs": 1, "max_train_samples": 8000}],
 *   "seeds": [1, 2, 3],
 *   "learning_rates": [0.001], "batch_sizes": [32], "weight_decays": [0.0],
 *   "prompt_tokens": 10, "max_length": 128, "head_pooling": "first",
 *   "transfers": [{"source": "sst2", "target": "imdb", "shots": 0}, {"source": "sst2", "target": "imdb", "shots": 100}]
 * }
 * </pre>
 */
public record ExperimentSpec(String id, String backbone, List<MethodEntry> methods, List<TaskEntry> tasks, List<Long> seeds,
                             List<Double> learningRates, List<Integer> batchSizes, List<Double> weightDecays,
                             int promptTokens, int maxLength, List<TransferEntry> transfers, HeadConfig.Pooling headPooling) {

    /**
     * One method, the injection layers to try (a single null layer for methods without one), and the
     * values of its other options given in the file (by command-line name; the rest take defaults).
     */
    public record MethodEntry(String method, List<Integer> layers, Map<String, Number> options, List<Double> learningRates) {
        public MethodEntry {
            options = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(options));
            learningRates = learningRates == null ? null : List.copyOf(learningRates);
        }

        public MethodEntry(String method, List<Integer> layers, Map<String, Number> options) {
            this(method, layers, options, null);
        }

        /** This method's own learning-rate grid ({@code "learning_rates"} in its entry), else the spec's. */
        public List<Double> learningRates(List<Double> specGrid) {
            return learningRates != null ? learningRates : specGrid;
        }
    }

    /**
     * One task with its epoch budget; {@code maxTrainSamples} 0 = the whole training split;
     * {@code patience} > 0 stops a run after that many epochs without a better dev metric, but not before
     * {@code minEpochs} epochs are complete.
     */
    public record TaskEntry(Task task, int epochs, int maxTrainSamples, int patience, int minEpochs) { }

    /** Train on {@code source} (the in-task runs), score on {@code target}; {@code shots} > 0 continues on that many target examples first. */
    public record TransferEntry(Task source, Task target, int shots, int epochs) { }

    private static final Set<String> KEYS = Set.of("id", "backbone", "methods", "tasks", "seeds", "learning_rates",
            "batch_sizes", "weight_decays", "prompt_tokens", "max_length", "transfers", "head_pooling");
    private static final Set<String> TASK_KEYS = Set.of("task", "epochs", "max_train_samples", "patience", "min_epochs");
    private static final Set<String> TRANSFER_KEYS = Set.of("source", "target", "shots", "epochs");

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
        r.keys(o, KEYS, "");
        List<MethodEntry> methods = new ArrayList<>();
        JsonArray ms = r.array(o, "methods", true);
        for (int i = 0; i < ms.size(); i++) {
            methods.add(r.method(ms.get(i), "methods[" + i + "]"));
        }
        List<TaskEntry> tasks = new ArrayList<>();
        JsonArray ts = r.array(o, "tasks", true);
        for (int i = 0; i < ts.size(); i++) {
            JsonObject t = r.object(ts.get(i), "tasks[" + i + "]");
            r.keys(t, TASK_KEYS, "tasks[" + i + "].");
            tasks.add(new TaskEntry(r.task(t, "task", "tasks[" + i + "].task"), r.integer(t, "epochs", 3, "tasks[" + i + "].epochs"),
                    r.integer(t, "max_train_samples", 0, "tasks[" + i + "].max_train_samples"),
                    r.integer(t, "patience", 0, "tasks[" + i + "].patience"),
                    r.integer(t, "min_epochs", 0, "tasks[" + i + "].min_epochs")));
            TaskEntry e = tasks.get(i);
            if (e.patience() < 0) {
                throw r.error("tasks[" + i + "].patience", "must be >= 0 (0 = train every epoch), got " + e.patience());
            }
            if (e.minEpochs() < 0 || e.minEpochs() > e.epochs()) {
                throw r.error("tasks[" + i + "].min_epochs", "must be in [0, epochs = " + e.epochs() + "], got " + e.minEpochs());
            }
            if (e.minEpochs() > 0 && e.patience() == 0) {
                throw r.error("tasks[" + i + "].min_epochs", "holds off early stopping, but the task has none: set patience too");
            }
        }
        List<TransferEntry> transfers = new ArrayList<>();
        JsonArray xs = r.array(o, "transfers", false);
        if (xs != null) {
            for (int i = 0; i < xs.size(); i++) {
                JsonObject x = r.object(xs.get(i), "transfers[" + i + "]");
                r.keys(x, TRANSFER_KEYS, "transfers[" + i + "].");
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
                r.doubles(o, "weight_decays", List.of(0.0)),
                r.integer(o, "prompt_tokens", (int) MethodSettings.PROMPT_TOKENS.defaultValue(), "prompt_tokens"),
                r.integer(o, "max_length", 128, "max_length"), transfers, headPooling(r, o));
    }

    /** The head's pooling, or null when the file leaves it to the backbone (first on encoders, last on decoders). */
    private static HeadConfig.Pooling headPooling(Reader r, JsonObject o) throws IOException {
        if (!o.has("head_pooling")) {
            return null;
        }
        String v = r.string(o, "head_pooling", HeadConfig.Pooling.FIRST.option());
        try {
            return HeadConfig.Pooling.parse(v);
        } catch (IllegalArgumentException e) {
            throw r.error("head_pooling", "must be first, mean or last, got '" + v + "'");
        }
    }

    /** Field readers that name the file and the field in every error. */
    private record Reader(String file) {
        IOException error(String field, String what) {
            return new IOException(file + ": field '" + field + "': " + what);
        }

        /** Refuses a key of {@code o} not in {@code allowed}; {@code prefix} names the object ("tasks[0]."). */
        void keys(JsonObject o, Set<String> allowed, String prefix) throws IOException {
            for (String k : o.keySet()) {
                if (!allowed.contains(k)) {
                    throw error(prefix + k, "unknown key; expected one of " + new java.util.TreeSet<>(allowed));
                }
            }
        }

        /** A method entry: an id, or an object with the id, layers and option values. */
        MethodEntry method(JsonElement e, String field) throws IOException {
            if (e != null && e.isJsonPrimitive() && e.getAsJsonPrimitive().isString()) {
                JsonObject m = new JsonObject();
                m.add("id", e);
                e = m;
            }
            JsonObject m = object(e, field);
            if (m.has("id") && m.has("method")) {
                throw error(field + ".method", "give the method once, as \"id\"");
            }
            String idKey = m.has("method") ? "method" : "id";
            String name = string(m, idKey, null, field + "." + idKey);
            if (!MethodRegistry.contains(name)) {
                throw error(field + "." + idKey, "'" + name + "' is not one of " + MethodRegistry.ids());
            }
            MethodProvider<?> p = MethodRegistry.get(name);
            String layerKey = MethodSettings.LAYER.key();
            boolean layered = p.options().contains(MethodSettings.LAYER);
            Set<String> allowed = new java.util.TreeSet<>(Set.of(idKey, "learning_rates"));
            p.options().forEach(opt -> allowed.add(opt.key()));
            if (layered) {
                allowed.add("layers");
            }
            for (String k : m.keySet()) {
                if (!allowed.contains(k)) {
                    String what = k.equals("layers") || k.equals(layerKey) ? "method '" + name + "' has no injection layer"
                            : "method '" + name + "' has no option '" + k + "'; it takes " + allowed;
                    throw error(field + "." + k, what);
                }
            }
            List<Integer> layers = new ArrayList<>();
            if (layered) {
                if (m.has("layers") && m.has(layerKey)) {
                    throw error(field + ".layers", "give \"layers\" or \"layer\", not both");
                }
                JsonArray ls = m.has(layerKey) ? null : array(m, "layers", false);
                if (m.has(layerKey)) {
                    layers.add(integer(m.get(layerKey), field + "." + layerKey));
                } else if (ls == null) {
                    layers.add((int) MethodSettings.LAYER.defaultValue());
                } else {
                    for (int k = 0; k < ls.size(); k++) {
                        layers.add(integer(ls.get(k), field + ".layers[" + k + "]"));
                    }
                }
                for (int k = 0; k < layers.size(); k++) {
                    try {
                        MethodSettings.LAYER.check(layers.get(k));
                    } catch (IllegalArgumentException x) {
                        throw error(field + (m.has(layerKey) ? "." + layerKey : ".layers[" + k + "]"), x.getMessage());
                    }
                }
            } else {
                layers.add(null);
            }
            Map<String, Number> options = new LinkedHashMap<>();
            for (MethodOption opt : p.options()) {
                if (opt == MethodSettings.LAYER || !m.has(opt.key())) {
                    continue;
                }
                JsonElement v = m.get(opt.key());
                String f = field + "." + opt.key();
                if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber()) {
                    throw error(f, "expected a number");
                }
                double d = v.getAsDouble();
                try {
                    opt.check(d);
                } catch (IllegalArgumentException x) {
                    throw error(f, x.getMessage());
                }
                options.put(opt.name(), opt.whole() ? (Number) (int) d : (Number) d);
            }
            List<Double> lrs = null;
            if (m.has("learning_rates")) {
                JsonArray a = array(m, "learning_rates", true);
                lrs = new ArrayList<>();
                for (int i = 0; i < a.size(); i++) {
                    JsonElement v = a.get(i);
                    if (!v.isJsonPrimitive() || !v.getAsJsonPrimitive().isNumber() || !(v.getAsDouble() > 0)) {
                        throw error(field + ".learning_rates[" + i + "]", "expected a number > 0");
                    }
                    lrs.add(v.getAsDouble());
                }
                if (lrs.isEmpty()) {
                    throw error(field + ".learning_rates", "is empty; give at least one learning rate, or leave it out");
                }
            }
            return new MethodEntry(name, layers, options, lrs);
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
