package dev.idspam.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed access to the fields of a JSON object read from a file. Every error is an
 * {@link IOException} whose one-line message names the file and the field path, says what was
 * expected and what was found: {@code bundle.json: field 'labels' is missing}.
 */
public final class JsonFields {
    private static final Pattern POSITION = Pattern.compile("line (\\d+) column (\\d+)");
    private static final int SHOWN = 40;

    private final JsonObject object;
    private final Path file;
    private final String prefix;

    private JsonFields(JsonObject object, Path file, String prefix) {
        this.object = object;
        this.file = file;
        this.prefix = prefix;
    }

    /** Parses {@code text} (strict JSON, one object) read from {@code file}. */
    public static JsonFields parse(String text, Path file) throws IOException {
        if (text.isBlank()) {
            throw new IOException(file + ": the file is empty; expected a JSON object");
        }
        JsonElement parsed;
        try {
            JsonReader reader = new JsonReader(new StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            parsed = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new IOException(file + ": malformed JSON: more content after the object");
            }
        } catch (JsonParseException | IllegalStateException | IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(file + ":")) {
                throw (IOException) e;
            }
            throw new IOException(file + ": malformed JSON" + position(e.getMessage()));
        }
        if (!parsed.isJsonObject()) {
            throw new IOException(file + ": expected a JSON object, found " + shown(parsed));
        }
        return new JsonFields(parsed.getAsJsonObject(), file, "");
    }

    /** Fields of an object already parsed from {@code file}. */
    public static JsonFields of(JsonObject object, Path file) {
        return of(object, file, "");
    }

    /** Fields of an object found at {@code prefix} (say {@code "model."}) in {@code file}. */
    public static JsonFields of(JsonObject object, Path file, String prefix) {
        return new JsonFields(object, file, prefix);
    }

    /** Where a parser stopped, from its message (" near line 3 column 7"), without the parser's own wording. */
    private static String position(String parserMessage) {
        if (parserMessage == null) {
            return "";
        }
        Matcher m = POSITION.matcher(parserMessage);
        String where = m.find() ? " near line " + m.group(1) + " column " + m.group(2) : "";
        String lower = parserMessage.toLowerCase(Locale.ROOT);
        return (lower.contains("end of input") ? ": the text ends early" : "") + where;
    }

    public JsonObject json() {
        return object;
    }

    public Path file() {
        return file;
    }

    public boolean has(String name) {
        JsonElement e = object.get(name);
        return e != null && !e.isJsonNull();
    }

    public IOException error(String name, String detail) {
        return new IOException(file + ": field '" + prefix + name + "' " + detail);
    }

    private JsonElement required(String name) throws IOException {
        if (!has(name)) {
            throw error(name, "is missing");
        }
        return object.get(name);
    }

    public String string(String name) throws IOException {
        JsonElement e = required(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
            throw error(name, "must be a string, found " + shown(e));
        }
        return e.getAsString();
    }

    /** A string that must be one of {@code accepted}. */
    public String oneOf(String name, List<String> accepted) throws IOException {
        String v = string(name);
        if (!accepted.contains(v)) {
            throw error(name, "is '" + shorten(v) + "'; accepted values: " + accepted);
        }
        return v;
    }

    /** An enum constant written by its name. */
    public <E extends Enum<E>> E enumValue(String name, Class<E> type) throws IOException {
        List<String> accepted = Arrays.stream(type.getEnumConstants()).map(Enum::name).toList();
        return Enum.valueOf(type, oneOf(name, accepted));
    }

    public boolean bool(String name) throws IOException {
        JsonElement e = required(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
            throw error(name, "must be true or false, found " + shown(e));
        }
        return e.getAsBoolean();
    }

    /** A whole number in [min, max]. */
    public int integer(String name, int min, int max) throws IOException {
        JsonElement e = required(name);
        if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
            throw error(name, "must be a whole number, found " + shown(e));
        }
        BigDecimal v = e.getAsBigDecimal();
        if (v.stripTrailingZeros().scale() > 0) {
            throw error(name, "must be a whole number, found " + shown(e));
        }
        if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw error(name, "must be in [" + min + ", " + max + "], found " + shown(e));
        }
        return v.intValueExact();
    }

    /** An array of distinct strings. */
    public List<String> strings(String name) throws IOException {
        JsonElement e = required(name);
        if (!e.isJsonArray()) {
            throw error(name, "must be an array of strings, found " + shown(e));
        }
        JsonArray a = e.getAsJsonArray();
        List<String> out = new ArrayList<>(a.size());
        for (int i = 0; i < a.size(); i++) {
            JsonElement x = a.get(i);
            if (!x.isJsonPrimitive() || !x.getAsJsonPrimitive().isString()) {
                throw error(name, "must be an array of strings, element " + i + " is " + shown(x));
            }
            out.add(x.getAsString());
        }
        if (new HashSet<>(out).size() != out.size()) {
            throw error(name, "repeats a value: " + shorten(out.toString()));
        }
        return out;
    }

    /** A nested object; its errors name the field path ({@code tokenizer.file}). */
    public JsonFields object(String name) throws IOException {
        JsonElement e = required(name);
        if (!e.isJsonObject()) {
            throw error(name, "must be an object, found " + shown(e));
        }
        return new JsonFields(e.getAsJsonObject(), file, prefix + name + ".");
    }

    /** The value as written, cut to a few dozen characters. */
    static String shown(JsonElement e) {
        if (e.isJsonPrimitive()) {
            JsonPrimitive p = e.getAsJsonPrimitive();
            return p.isString() ? "the string '" + shorten(p.getAsString()) + "'" : p.toString();
        }
        return e.isJsonArray() ? "an array" : e.isJsonObject() ? "an object" : "nothing (JSON null)";
    }

    private static String shorten(String s) {
        String one = s.replaceAll("\\s+", " ");
        return one.length() > SHOWN ? one.substring(0, SHOWN - 3) + "..." : one;
    }
}
