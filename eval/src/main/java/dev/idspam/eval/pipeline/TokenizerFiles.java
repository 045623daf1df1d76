package dev.idspam.eval.pipeline;

import com.google.gson.JsonObject;
import dev.idspam.datasets.tokenize.HfTokenizer;
import dev.idspam.datasets.tokenize.SpecialTokensStyle;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.datasets.tokenize.WordPieceConfig;
import dev.idspam.datasets.tokenize.WordPieceTokenizer;
import dev.idspam.graphs.backbone.TokenizerRef;
import dev.idspam.graphs.io.AtomicFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Copies a backbone's tokenizer next to the artifacts (and into exported bundles) so that they are
 * self-contained, and rebuilds the tokenizer from such a copy. The reference is a small JSON object:
 * {@code {"kind", "file", "sha256", "lowercase", "style", "source"}}.
 */
public final class TokenizerFiles {
    private TokenizerFiles() {
    }

    /** Copies the tokenizer into {@code dir} and returns its reference. */
    public static JsonObject copyInto(TokenizerRef ref, Path dir) throws IOException {
        if (ref == null) {
            throw new IOException("the backbone has no tokenizer; put a tokenizer.json or vocab.txt next to the model");
        }
        byte[] bytes = ref.location().readAllBytes();
        String file = ref.kind() == TokenizerRef.Kind.HF_JSON ? "tokenizer.json" : "vocab.txt";
        AtomicFiles.write(dir.resolve(file), bytes);
        JsonObject o = new JsonObject();
        o.addProperty("kind", ref.kind().name());
        o.addProperty("file", file);
        o.addProperty("sha256", sha256(bytes));
        o.addProperty("lowercase", ref.lowercase());
        o.addProperty("style", ref.style().name());
        o.addProperty("source", ref.location().toString());
        return o;
    }

    /** Copies the tokenizer file a reference points to from one folder to another. */
    public static void copy(JsonObject reference, Path fromDir, Path toDir) throws IOException {
        String file = reference.get("file").getAsString();
        AtomicFiles.write(toDir.resolve(file), Files.readAllBytes(fromDir.resolve(file)));
    }

    /** Opens the tokenizer a reference in {@code dir} describes, checking its checksum first. */
    public static TextTokenizer open(JsonObject reference, Path dir) throws IOException {
        if (reference == null || !reference.has("file") || !reference.has("kind")) {
            throw new IOException(dir + ": the manifest has no tokenizer reference (kind, file); regenerate the artifacts");
        }
        Path file = dir.resolve(reference.get("file").getAsString());
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": tokenizer file is missing; regenerate the artifacts or re-export the bundle");
        }
        byte[] bytes = Files.readAllBytes(file);
        String expected = reference.has("sha256") ? reference.get("sha256").getAsString() : null;
        String actual = sha256(bytes);
        if (expected != null && !expected.equals(actual)) {
            throw new IOException(file + ": SHA-256 mismatch (manifest says " + expected + ", file has " + actual
                    + "); the tokenizer was changed after the artifacts were written");
        }
        SpecialTokensStyle style = SpecialTokensStyle.valueOf(reference.get("style").getAsString());
        TokenizerRef.Kind kind = TokenizerRef.Kind.valueOf(reference.get("kind").getAsString());
        if (kind == TokenizerRef.Kind.HF_JSON) {
            return HfTokenizer.fromStream(new ByteArrayInputStream(bytes), file.toString(), style);
        }
        boolean lower = reference.get("lowercase").getAsBoolean();
        return WordPieceTokenizer.fromVocabFile(file, lower ? WordPieceConfig.uncased() : WordPieceConfig.cased());
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
