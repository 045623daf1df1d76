package dev.idspam.serving;

import com.google.gson.JsonObject;
import dev.idspam.datasets.tokenize.HfTokenizer;
import dev.idspam.datasets.tokenize.SpecialTokensStyle;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.datasets.tokenize.WordPieceConfig;
import dev.idspam.datasets.tokenize.WordPieceTokenizer;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Rebuilds a tokenizer from the copy that a manifest (a bundle's {@code bundle.json}, or the
 * artifacts' {@code manifest.json}) references, after checking it. The reference is a small JSON
 * object: {@code {"kind", "file", "sha256", "lowercase", "style", "source"}}; the pipeline writes
 * it, and this class is the one reader of it.
 *
 * <p>A manifest is input like any other file: its {@code file} must be a plain file name, so the
 * tokenizer is always read from (and copied into) the folder of that manifest and nowhere else,
 * and its {@code sha256} is required, so a changed tokenizer is never used unnoticed.
 */
public final class TokenizerFiles {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private TokenizerFiles() {
    }

    /** How the tokenizer file is read; the names are the values of the reference's {@code kind}. */
    public enum Kind {
        /** A Hugging Face {@code tokenizer.json}. */
        HF_JSON,
        /** A WordPiece {@code vocab.txt}, one token per line. */
        WORDPIECE_VOCAB
    }

    /**
     * A validated tokenizer reference.
     *
     * @param kind      how the file is read
     * @param file      a plain file name in the manifest's folder
     * @param sha256    the file's SHA-256, lower-case hex
     * @param lowercase whether a vocabulary tokenizer lowercases its input
     * @param style     the special-token layout
     */
    public record Reference(Kind kind, String file, String sha256, boolean lowercase, SpecialTokensStyle style) {
        /** Reads the {@code tokenizer} object of {@code manifest}; every problem names the manifest and the field. */
        static Reference parse(JsonFields tokenizer) throws IOException {
            Kind kind = tokenizer.enumValue("kind", Kind.class);
            String file = plainFileName(tokenizer, "file");
            String sha = sha256Field(tokenizer, "sha256");
            boolean lower = tokenizer.bool("lowercase");
            SpecialTokensStyle style = tokenizer.enumValue("style", SpecialTokensStyle.class);
            return new Reference(kind, file, sha, lower, style);
        }

        /** Reads a {@code tokenizer} object taken from {@code manifest} (null: the field is missing). */
        public static Reference parse(JsonObject reference, Path manifest) throws IOException {
            JsonObject holder = new JsonObject();
            if (reference != null) {
                holder.add("tokenizer", reference);
            }
            return parse(JsonFields.of(holder, manifest).object("tokenizer"));
        }
    }

    /** A field that must name a file directly inside the manifest's folder: no folders, no {@code ..}, not absolute. */
    static String plainFileName(JsonFields fields, String name) throws IOException {
        String v = fields.string(name);
        if (v.isEmpty() || v.equals(".") || v.equals("..") || v.indexOf('/') >= 0 || v.indexOf('\\') >= 0
                || v.indexOf('\0') >= 0 || v.indexOf(':') >= 0) {
            throw fields.error(name, "must be a plain file name in " + fields.file().getParent() + ", found '" + v + "'");
        }
        return v;
    }

    /** A field that must hold a SHA-256 digest, 64 lower-case hex digits. */
    static String sha256Field(JsonFields fields, String name) throws IOException {
        String v = fields.string(name);
        if (!SHA256.matcher(v).matches()) {
            throw fields.error(name, "must be a SHA-256 digest (64 lower-case hex digits), found '" + v + "'");
        }
        return v;
    }

    /**
     * {@code dir/name} for a plain file name, refused when it is missing, not a regular file, or a
     * link that leads out of {@code dir}.
     */
    static Path confined(Path dir, String name, String what) throws IOException {
        Path file = dir.resolve(name);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new IOException(file + ": " + what + " is missing");
        }
        if (Files.isSymbolicLink(file)) {
            Path real = file.toRealPath();
            if (!real.getParent().equals(dir.toRealPath())) {
                throw new IOException(file + ": " + what + " is a link to " + real + ", outside " + dir);
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": " + what + " is not a regular file");
        }
        return file;
    }

    /**
     * Reads the tokenizer file of a reference written in {@code manifest} (in the same folder),
     * checking that it is the file the manifest describes.
     */
    public static byte[] readVerified(Reference ref, Path manifest) throws IOException {
        Path dir = manifest.getParent();
        Path file = confined(dir, ref.file(), "tokenizer file");
        byte[] bytes = Files.readAllBytes(file);
        String actual = sha256(bytes);
        if (!ref.sha256().equals(actual)) {
            throw new IOException(file + ": SHA-256 mismatch (" + manifest.getFileName() + " says " + ref.sha256()
                    + ", file has " + actual + "); the tokenizer was changed after " + manifest.getFileName() + " was written");
        }
        return bytes;
    }

    /** Opens the tokenizer that {@code manifest} references (its {@code tokenizer} object), checking its checksum first. */
    public static TextTokenizer open(JsonObject reference, Path manifest) throws IOException {
        return open(Reference.parse(reference, manifest), manifest);
    }

    /** Opens the tokenizer of a validated reference written in {@code manifest}. */
    public static TextTokenizer open(Reference ref, Path manifest) throws IOException {
        byte[] bytes = readVerified(ref, manifest);
        Path file = manifest.resolveSibling(ref.file());
        if (ref.kind() == Kind.HF_JSON) {
            return HfTokenizer.fromStream(new ByteArrayInputStream(bytes), file.toString(), ref.style());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException(file + ": the vocabulary is not valid UTF-8");
        }
        List<String> tokens = text.lines().map(String::stripTrailing).toList();
        if (tokens.isEmpty()) {
            throw new IOException(file + ": the vocabulary is empty; expected one token per line");
        }
        return WordPieceTokenizer.fromVocabulary(tokens, ref.lowercase() ? WordPieceConfig.uncased() : WordPieceConfig.cased());
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /** SHA-256 of a file, streamed: a model of hundreds of megabytes is never held in the heap to hash it. */
    public static String sha256(Path file) throws IOException {
        MessageDigest md = newSha256();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }
}
