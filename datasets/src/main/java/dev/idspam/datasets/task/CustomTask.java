package dev.idspam.datasets.task;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * A task defined by a user's own files: a train file and a dev file (or one file split by
 * {@code devSplit}), each CSV (RFC 4180 quoting) or TSV with a header row, or JSON lines, chosen by
 * the file's extension ({@code .csv}, {@code .tsv}, {@code .jsonl}). One column holds the text, an
 * optional second the text pair, one the label (a string for classification, a number for
 * regression).
 *
 * <p>Label order: the labels' index is their position in {@link #labels()}. Unless the definition
 * lists them, they are the distinct values of the label column of the training rows in sorted
 * (Unicode code point) order, fixed when the artifacts are generated and recorded in the manifest
 * with this whole definition; every later read maps values through that list, and a value outside
 * it (a label only the dev file has) is refused naming it. The label strings are also the names
 * users see.
 *
 * <p>With {@code devSplit} in (0, 1), the rows of the one file are shuffled by a
 * {@link java.util.SplittableRandom} seeded with {@code seed}, the first {@code round(devSplit · n)}
 * form the dev split and the rest the train split, each kept in file order: the same file, ratio and
 * seed give the same split everywhere.
 *
 * @param name           the task's name in reports and bundles (letters, digits, '-', '_'; not a built-in name)
 * @param train          the training file (absolute)
 * @param dev            the dev file, or null when {@code devSplit} cuts it from {@code train}
 * @param devSplit       the share of {@code train}'s rows held out as dev (0 when {@code dev} is given)
 * @param seed           the seed of that split
 * @param textColumn     the column (JSON: field) of the text
 * @param textPairColumn the column of the second text, or null for single-text tasks
 * @param labelColumn    the column of the label or target
 * @param labels         the labels in index order; empty for regression
 * @param regression     whether the label column holds numbers to regress (mean squared error)
 */
public record CustomTask(String name, Path train, Path dev, double devSplit, long seed, String textColumn,
                         String textPairColumn, String labelColumn, List<String> labels, boolean regression) {
    /** What {@code --task} takes for a custom task. */
    public static final String ID = "custom";

    /** The file formats, by extension. */
    public enum Format { CSV, TSV, JSONL }

    public CustomTask {
        Objects.requireNonNull(train, "train");
        labels = List.copyOf(labels);
        if (name == null || !name.matches("[A-Za-z0-9_-]{1,64}")) {
            throw new IllegalArgumentException("a custom task's name must be 1 to 64 letters, digits, '-' or '_', found '"
                    + name + "'");
        }
        for (Task t : Task.values()) {
            if (t.shortName().equals(name.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("a custom task may not be named '" + name + "': that is a built-in task");
            }
        }
        if ((dev == null) == (devSplit == 0)) {
            throw new IllegalArgumentException("a custom task needs a dev file or a dev split (--dev or --dev-split),"
                    + " exactly one of them");
        }
        if (dev == null && !(devSplit > 0 && devSplit < 1)) {
            throw new IllegalArgumentException("the dev split (--dev-split) must be in (0, 1), found " + devSplit);
        }
        for (String[] c : new String[][] {{"text column (--text-col)", textColumn}, {"label column (--label-col)", labelColumn}}) {
            if (c[1] == null || c[1].isBlank()) {
                throw new IllegalArgumentException("a custom task needs its " + c[0]);
            }
        }
        if (textPairColumn != null && (textPairColumn.isBlank() || textPairColumn.equals(textColumn))) {
            throw new IllegalArgumentException("the text pair column (--text-pair-col) must name a second column, found '"
                    + textPairColumn + "'");
        }
        if (regression && !labels.isEmpty()) {
            throw new IllegalArgumentException("a regression task has no labels, found " + labels);
        }
        if (new TreeSet<>(labels).size() != labels.size() || labels.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException("a custom task's labels must be distinct and non-empty, found " + labels);
        }
        format(train);
        if (dev != null) {
            format(dev);
        }
    }

    /** The file the dev split is read from: the dev file, or the train file when the split is cut from it. */
    public Path devFile() {
        return dev != null ? dev : train;
    }

    /** The train file's format. */
    public Format format() {
        return format(train);
    }

    /** A file's format by its extension; other extensions are refused, naming the file. */
    public static Format format(Path file) {
        String n = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv")) {
            return Format.CSV;
        }
        if (n.endsWith(".tsv") || n.endsWith(".tab")) {
            return Format.TSV;
        }
        if (n.endsWith(".jsonl") || n.endsWith(".ndjson")) {
            return Format.JSONL;
        }
        throw new IllegalArgumentException(file + ": a custom task's files must end in .csv, .tsv or .jsonl");
    }

    /** The same definition with its labels fixed (classification tasks, once the training values are known). */
    public CustomTask withLabels(List<String> fixed) {
        return new CustomTask(name, train, dev, devSplit, seed, textColumn, textPairColumn, labelColumn, fixed, regression);
    }

    /** The labels of a classification task from the values its training rows hold: distinct, sorted. */
    public static List<String> labelsFrom(java.util.Collection<String> values) {
        return List.copyOf(new TreeSet<>(values));
    }

    // ---- the definition as JSON: the manifest's and bundle's "custom_task", and --task-spec files ----

    private static final Set<String> KEYS = Set.of("name", "train", "dev", "dev_split", "seed", "text_col", "text_pair_col",
            "label_col", "labels", "regression");

    public JsonObject toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("train", train.toString());
        if (dev != null) {
            o.addProperty("dev", dev.toString());
        } else {
            o.addProperty("dev_split", devSplit);
            o.addProperty("seed", seed);
        }
        o.addProperty("text_col", textColumn);
        if (textPairColumn != null) {
            o.addProperty("text_pair_col", textPairColumn);
        }
        o.addProperty("label_col", labelColumn);
        JsonArray l = new JsonArray();
        labels.forEach(l::add);
        o.add("labels", l);
        o.addProperty("regression", regression);
        return o;
    }

    /**
     * Reads a definition; {@code where} names the file and field prefix for errors
     * ({@code task.json}, {@code manifest.json: field 'model.custom_task'}); relative paths are
     * resolved against {@code base}. A missing {@code labels} (spec files) leaves them to be fixed
     * from the training rows.
     */
    public static CustomTask fromJson(JsonObject o, Path base, String where) throws IOException {
        for (String k : o.keySet()) {
            if (!KEYS.contains(k)) {
                throw new IOException(where + ": field '" + k + "' is not a known key; expected one of " + new TreeSet<>(KEYS));
            }
        }
        String name = o.has("name") ? string(o, "name", where) : ID;
        Path train = base.resolve(string(o, "train", where)).toAbsolutePath().normalize();
        Path dev = o.has("dev") ? base.resolve(string(o, "dev", where)).toAbsolutePath().normalize() : null;
        double split = o.has("dev_split") ? number(o, "dev_split", where) : 0;
        double seed = o.has("seed") ? number(o, "seed", where) : 42;
        if (seed != Math.rint(seed)) {
            throw new IOException(where + ": field 'seed' must be a whole number");
        }
        boolean regression = false;
        if (o.has("regression")) {
            JsonElement e = o.get("regression");
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
                throw new IOException(where + ": field 'regression' must be true or false");
            }
            regression = e.getAsBoolean();
        }
        List<String> labels = new ArrayList<>();
        if (o.has("labels")) {
            JsonElement e = o.get("labels");
            if (!e.isJsonArray()) {
                throw new IOException(where + ": field 'labels' must be an array of strings");
            }
            for (JsonElement x : e.getAsJsonArray()) {
                if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                    throw new IOException(where + ": field 'labels' must be an array of strings");
                }
                labels.add(x.getAsString());
            }
        }
        try {
            return new CustomTask(name, train, dev, split, (long) seed, string(o, "text_col", where),
                    o.has("text_pair_col") ? string(o, "text_pair_col", where) : null, string(o, "label_col", where),
                    labels, regression);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    private static String string(JsonObject o, String key, String where) throws IOException {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IOException(where + ": field '" + key + "' is missing");
        }
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString() || e.getAsString().isBlank()) {
            throw new IOException(where + ": field '" + key + "' must be a non-empty string");
        }
        return e.getAsString();
    }

    private static double number(JsonObject o, String key, String where) throws IOException {
        JsonElement e = o.get(key);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw new IOException(where + ": field '" + key + "' must be a number");
        }
        return e.getAsDouble();
    }
}
