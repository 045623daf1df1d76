package dev.idspam.server;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.stream.JsonReader;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A parsed prediction request: {@code {"inputs": [{"text": ..., "text_pair": ...}, ...]}}, and for
 * {@code /v1/predict} an optional {@code "models": [names]}. Every refusal is a 400 (413 for the
 * size limits) naming the field: {@code field 'inputs[2].text' must be a string}.
 *
 * @param models names asked for, or null when the request names none
 * @param textsA the first text of each input
 * @param textsB the second text of each input, null where an input has none
 */
record PredictRequest(List<String> models, List<String> textsA, List<String> textsB) {
    private static final Set<String> INPUT_FIELDS = Set.of("text", "text_pair");

    static PredictRequest parse(String body, boolean modelsAllowed, ServerConfig limits) {
        JsonElement root;
        try {
            JsonReader r = new JsonReader(new StringReader(body));
            r.setStrictness(com.google.gson.Strictness.STRICT);
            root = JsonParser.parseReader(r);
            if (r.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new JsonParseException("text after the JSON value");
            }
        } catch (JsonParseException | java.io.IOException | IllegalStateException e) {
            throw new ApiError(400, "the request body is not valid JSON: " + shortReason(e));
        }
        if (!root.isJsonObject()) {
            throw new ApiError(400, "the request body must be a JSON object with field 'inputs'");
        }
        JsonObject o = root.getAsJsonObject();
        Set<String> known = modelsAllowed ? Set.of("inputs", "models") : Set.of("inputs");
        for (String k : o.keySet()) {
            if (!known.contains(k)) {
                throw new ApiError(400, "field '" + k + "' is not known (known: " + String.join(", ", known.stream().sorted().toList()) + ")");
            }
        }
        List<String> models = null;
        if (o.has("models")) {
            models = new ArrayList<>();
            JsonElement m = o.get("models");
            if (!m.isJsonArray()) {
                throw new ApiError(400, "field 'models' must be an array of model names");
            }
            JsonArray a = m.getAsJsonArray();
            for (int i = 0; i < a.size(); i++) {
                models.add(string(a.get(i), "models[" + i + "]"));
            }
            if (models.isEmpty()) {
                throw new ApiError(400, "field 'models' is empty; leave it out to ask every model");
            }
        }
        JsonElement in = o.get("inputs");
        if (in == null) {
            throw new ApiError(400, "field 'inputs' is missing");
        }
        if (!in.isJsonArray()) {
            throw new ApiError(400, "field 'inputs' must be an array of {\"text\": ...} objects");
        }
        JsonArray inputs = in.getAsJsonArray();
        if (inputs.size() > limits.maxInputs()) {
            throw new ApiError(413, "field 'inputs' has " + inputs.size() + " entries; at most " + limits.maxInputs()
                    + " per request");
        }
        List<String> a = new ArrayList<>(inputs.size());
        List<String> b = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            String at = "inputs[" + i + "]";
            JsonElement e = inputs.get(i);
            if (!e.isJsonObject()) {
                throw new ApiError(400, "field '" + at + "' must be an object {\"text\": ...}");
            }
            JsonObject x = e.getAsJsonObject();
            for (String k : x.keySet()) {
                if (!INPUT_FIELDS.contains(k)) {
                    throw new ApiError(400, "field '" + at + "." + k + "' is not known (known: text, text_pair)");
                }
            }
            if (!x.has("text")) {
                throw new ApiError(400, "field '" + at + ".text' is missing");
            }
            a.add(text(x.get("text"), at + ".text", limits));
            JsonElement p = x.get("text_pair");
            b.add(p == null || p.isJsonNull() ? null : text(p, at + ".text_pair", limits));
        }
        return new PredictRequest(models, a, b);
    }

    private static String text(JsonElement e, String field, ServerConfig limits) {
        String s = string(e, field);
        if (s.isBlank()) {
            throw new ApiError(400, "field '" + field + "' is empty");
        }
        if (s.length() > limits.maxChars()) {
            throw new ApiError(413, "field '" + field + "' has " + s.length() + " characters; at most " + limits.maxChars());
        }
        return s;
    }

    private static String string(JsonElement e, String field) {
        if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw new ApiError(400, "field '" + field + "' must be a string");
        }
        return e.getAsString();
    }

    /** The parser's reason without its documentation link. */
    private static String shortReason(Exception e) {
        Throwable t = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause() : e;
        String m = String.valueOf(t.getMessage());
        int see = m.indexOf("\nSee ");
        m = see >= 0 ? m.substring(0, see) : m;
        return m.replace('\n', ' ');
    }
}
