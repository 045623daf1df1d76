package dev.idspam.serving;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * An exported inference bundle: {@code model.onnx} (the lean inference graph with the trained
 * weights), the tokenizer file, and {@code bundle.json} (task, labels, max length, inputs, where it
 * came from, checksums). Opening one validates {@code bundle.json} ({@link BundleManifest}) and
 * checks the model against its recorded SHA-256, streamed from disk.
 */
public record Bundle(Path directory, BundleManifest manifest) {
    public static final String MODEL = "model.onnx";
    public static final String MANIFEST = "bundle.json";
    public static final String FORMAT = "idspam-inference-bundle";
    public static final int FORMAT_VERSION = 1;
    /** The model's inputs, int64 {@code [rows, len]}; the training graphs use the same names. */
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    /** The model's one output, float {@code [rows, outputs]}: class logits, or the score of a regression. */
    public static final String OUTPUT = "logits";
    /** bundle.json is a few kilobytes; anything far larger is not one, and is not read into memory. */
    static final long MAX_MANIFEST_BYTES = 1 << 20;
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public static Bundle open(Path dir) throws IOException {
        Path file = dir.resolve(MANIFEST);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": not an inference bundle (no " + MANIFEST + "); create one with `idspam export`");
        }
        TokenizerFiles.confined(dir, MANIFEST, "the bundle manifest");
        long size = Files.size(file);
        if (size > MAX_MANIFEST_BYTES) {
            throw new IOException(file + ": " + size + " bytes is too large for a bundle manifest (at most "
                    + MAX_MANIFEST_BYTES + ")");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": not valid UTF-8 text");
        }
        BundleManifest m = BundleManifest.parse(text, file);
        Path model = TokenizerFiles.confined(dir, MODEL, "the bundle's model file");
        String actual = TokenizerFiles.sha256(model);
        if (!m.modelSha256().equals(actual)) {
            throw new IOException(model + ": SHA-256 mismatch (" + MANIFEST + " says " + m.modelSha256() + ", file has "
                    + actual + "); re-export the bundle");
        }
        AdapterTensors tensors = AdapterTensors.of(JsonFields.of(m.json(), file));
        if (tensors != null) {
            tensors.check(dir); // model.onnx reads its trained tensors from that file
        }
        return new Bundle(dir, m);
    }

    public Path model() {
        return directory.resolve(MODEL);
    }

    public Path manifestFile() {
        return directory.resolve(MANIFEST);
    }
}
