package dev.idspam.eval.pipeline;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * An exported inference bundle: {@code model.onnx} (the lean inference graph with the trained
 * weights), the tokenizer file, and {@code bundle.json} (task, labels, max length, inputs, where it
 * came from, checksums).
 */
public record Bundle(Path directory, JsonObject manifest) {
    public static final String MODEL = "model.onnx";
    public static final String MANIFEST = "bundle.json";
    public static final String FORMAT = "idspam-inference-bundle";
    public static final int FORMAT_VERSION = 1;
    static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public static Bundle open(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IOException(file + ": not an inference bundle (no " + MANIFEST + "); create one with `idspam export`");
        }
        JsonObject m;
        try {
            m = JsonParser.parseString(text).getAsJsonObject();
        } catch (JsonParseException | IllegalStateException e) {
            throw new IOException(file + ": malformed JSON: " + e.getMessage());
        }
        if (!m.has("format") || !FORMAT.equals(m.get("format").getAsString())) {
            throw new IOException(file + ": field 'format' must be '" + FORMAT + "'");
        }
        int version = m.has("format_version") ? m.get("format_version").getAsInt() : -1;
        if (version != FORMAT_VERSION) {
            throw new IOException(file + ": field 'format_version' is " + version + ", this build reads " + FORMAT_VERSION);
        }
        byte[] model;
        try {
            model = Files.readAllBytes(dir.resolve(MODEL));
        } catch (NoSuchFileException e) {
            throw new IOException(dir.resolve(MODEL) + ": the bundle's model file is missing");
        }
        String expected = m.get("model_sha256").getAsString();
        String actual = TokenizerFiles.sha256(model);
        if (!expected.equals(actual)) {
            throw new IOException(dir.resolve(MODEL) + ": SHA-256 mismatch (" + MANIFEST + " says " + expected + ", file has "
                    + actual + "); re-export the bundle");
        }
        return new Bundle(dir, m);
    }

    public Path model() {
        return directory.resolve(MODEL);
    }

    public JsonObject tokenizer() {
        return manifest.getAsJsonObject("tokenizer");
    }
}
