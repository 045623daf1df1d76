package dev.idspam.eval.store;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;

/**
 * One-line JSON form of a {@link RunRecord}. Field names are snake_case; absent values (null,
 * NaN) are left out, and read back as absent.
 *
 * <pre>
 * {"schema":1,"experiment":"glue-base","cell":{"method":"idspam","task":"rte","backbone":"roberta-base",
 *  "layer":11,"seed":1,"hyperparameters":{"lr":"1e-3"}},"metrics":{"accuracy":0.79},
 *  "primary_metric":"accuracy","trainable_params":2,"frozen_params":124,"best_epoch":7,...,
 *  "timestamp":"2025-01-01T00:00:00Z"}
 * </pre>
 */
final class RecordJson {

    /** Version of the line format, written to every line. */
    static final int SCHEMA = 1;

    private static final TypeAdapter<JsonElement> TREE = new Gson().getAdapter(JsonElement.class);

    private RecordJson() {
    }

    /** The record as one line of JSON, without the line break. */
    static String write(RunRecord r) {
        StringWriter out = new StringWriter();
        try (JsonWriter w = new JsonWriter(out)) {
            w.setSerializeNulls(false);
            w.beginObject();
            w.name("schema").value(SCHEMA);
            w.name("experiment").value(r.experiment());
            writeCell(w, r.cell());
            w.name("metrics").beginObject();
            for (Map.Entry<String, Double> m : r.metrics().entrySet()) {
                w.name(m.getKey());
                number(w, m.getValue());
            }
            w.endObject();
            w.name("primary_metric").value(r.primaryMetric());
            w.name("trainable_params").value(r.trainableParams());
            w.name("frozen_params").value(r.frozenParams());
            w.name("train_seconds");
            number(w, r.trainSeconds());
            w.name("train_samples_per_second");
            number(w, r.trainSamplesPerSecond());
            w.name("inference_ms_per_sample");
            number(w, r.inferenceMsPerSample());
            w.name("best_epoch").value(r.bestEpoch());
            w.name("seconds_to_best_epoch");
            number(w, r.secondsToBestEpoch());
            w.name("train_subset").value(r.trainSubset());
            if (r.device() != null) {
                w.name("device").value(r.device());
            }
            w.name("timestamp").value(r.timestamp().toString());
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException("writing JSON to a string cannot fail", e);
        }
        return out.toString();
    }

    private static void writeCell(JsonWriter w, CellKey c) throws IOException {
        w.name("cell").beginObject();
        w.name("method").value(c.method());
        w.name("task").value(c.task());
        w.name("backbone").value(c.backbone());
        w.name("layer").value(c.layer());
        w.name("seed").value(c.seed());
        w.name("hyperparameters").beginObject();
        for (Map.Entry<String, String> h : c.hyperparameters().entrySet()) {
            w.name(h.getKey()).value(h.getValue());
        }
        w.endObject();
        if (c.transfer() != null) {
            w.name("transfer_source").value(c.transfer().source());
            w.name("transfer_target").value(c.transfer().target());
            w.name("transfer_shots").value(c.transfer().shots());
        }
        w.endObject();
    }

    private static void number(JsonWriter w, Double value) throws IOException {
        if (value == null || !Double.isFinite(value)) {
            w.nullValue();
        } else {
            w.value(value.doubleValue());
        }
    }

    /**
     * Parses one line as a single strict JSON value.
     *
     * @throws IOException (a {@code MalformedJsonException} or {@code EOFException}) when the
     *                     text is not exactly one JSON value
     */
    static JsonElement parse(String line) throws IOException {
        JsonReader reader = new JsonReader(new StringReader(line));
        reader.setStrictness(Strictness.STRICT);
        JsonElement value = TREE.read(reader);
        if (reader.peek() != JsonToken.END_DOCUMENT) {
            throw new IOException("unexpected text after the JSON value");
        }
        return value;
    }

    /**
     * Turns a parsed line into a record.
     *
     * @param where "file line N", prefixed to every error message
     * @throws StoreFormatException when a field is missing, mistyped or invalid
     */
    static RunRecord read(JsonElement json, String where) {
        if (!json.isJsonObject()) {
            throw new StoreFormatException(where + ": expected a JSON object, found " + json);
        }
        JsonObject o = json.getAsJsonObject();
        Fields f = new Fields(o, where);
        int schema = f.integer("schema");
        if (schema != SCHEMA) {
            throw new StoreFormatException(where + ": schema " + schema
                    + " is not supported by this reader (it reads schema " + SCHEMA + ")");
        }
        JsonObject cellJson = f.object("cell");
        Fields cf = new Fields(cellJson, where + ", cell");
        Map<String, String> hyper = new TreeMap<>();
        JsonObject hyperJson = cf.optionalObject("hyperparameters");
        if (hyperJson != null) {
            Fields hf = new Fields(hyperJson, where + ", hyperparameters");
            for (String k : hyperJson.keySet()) {
                hyper.put(k, hf.text(k));
            }
        }
        String source = cf.optionalText("transfer_source");
        Transfer transfer = null;
        if (source != null) {
            Integer shots = cf.optionalInteger("transfer_shots");
            transfer = new Transfer(source, cf.text("transfer_target"), shots == null ? 0 : shots);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        JsonObject metricsJson = f.object("metrics");
        Fields mf = new Fields(metricsJson, where + ", metrics");
        for (String k : metricsJson.keySet()) {
            metrics.put(k, mf.number(k));
        }
        try {
            CellKey cell = new CellKey(cf.text("method"), cf.text("task"), cf.text("backbone"),
                    cf.optionalInteger("layer"), cf.longInteger("seed"), new TreeMap<>(hyper), transfer);
            return new RunRecord(f.text("experiment"), cell, metrics, f.text("primary_metric"),
                    f.longInteger("trainable_params"), f.longInteger("frozen_params"),
                    f.number("train_seconds"), f.number("train_samples_per_second"),
                    f.number("inference_ms_per_sample"), f.optionalInteger("best_epoch"),
                    f.number("seconds_to_best_epoch"), f.instant("timestamp"),
                    f.optionalText("train_subset"), f.optionalText("device"));
        } catch (IllegalArgumentException e) {
            throw new StoreFormatException(where + ": " + e.getMessage(), e);
        }
    }

    /** Typed access to an object's fields with messages that name the place and the field. */
    private record Fields(JsonObject o, String where) {

        JsonElement get(String name) {
            JsonElement e = o.get(name);
            return e == null || e.isJsonNull() ? null : e;
        }

        JsonElement require(String name) {
            JsonElement e = get(name);
            if (e == null) {
                throw new StoreFormatException(where + ": field '" + name + "' is missing");
            }
            return e;
        }

        String text(String name) {
            JsonElement e = require(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
                throw wrongType(name, "a string", e);
            }
            return e.getAsString();
        }

        String optionalText(String name) {
            return get(name) == null ? null : text(name);
        }

        /** A number; a missing or null field reads as NaN. */
        double number(String name) {
            JsonElement e = get(name);
            if (e == null) {
                return Double.NaN;
            }
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrongType(name, "a number", e);
            }
            return e.getAsDouble();
        }

        long longInteger(String name) {
            JsonElement e = require(name);
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw wrongType(name, "an integer", e);
            }
            try {
                return e.getAsBigDecimal().longValueExact();
            } catch (ArithmeticException notWhole) {
                throw wrongType(name, "an integer", e);
            }
        }

        int integer(String name) {
            long v = longInteger(name);
            if (v != (int) v) {
                throw wrongType(name, "a 32-bit integer", require(name));
            }
            return (int) v;
        }

        Integer optionalInteger(String name) {
            return get(name) == null ? null : integer(name);
        }

        JsonObject object(String name) {
            JsonElement e = require(name);
            if (!e.isJsonObject()) {
                throw wrongType(name, "an object", e);
            }
            return e.getAsJsonObject();
        }

        JsonObject optionalObject(String name) {
            return get(name) == null ? null : object(name);
        }

        Instant instant(String name) {
            String text = text(name);
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new StoreFormatException(where + ": field '" + name + "' is '" + text
                        + "', not an ISO-8601 instant like 2025-01-31T12:00:00Z", e);
            }
        }

        private StoreFormatException wrongType(String name, String expected, JsonElement found) {
            return new StoreFormatException(where + ": field '" + name + "' should be " + expected
                    + ", found " + found);
        }
    }
}
