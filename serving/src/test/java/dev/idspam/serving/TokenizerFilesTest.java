package dev.idspam.serving;

import com.google.gson.JsonObject;
import dev.idspam.datasets.tokenize.TextTokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Tokenizer references: read only from the manifest's own folder, only when their checksum matches. */
class TokenizerFilesTest {
    private static final String VOCAB = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nfilm\n";
    /** The manifest that holds the reference (not read: the reference is passed in). */
    private static final String MANIFEST = "manifest.json";

    @TempDir
    Path tmp;

    private JsonObject reference(Path dir, String file, String content) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(file), content, StandardCharsets.UTF_8);
        JsonObject o = new JsonObject();
        o.addProperty("kind", "WORDPIECE_VOCAB");
        o.addProperty("file", file);
        o.addProperty("sha256", TokenizerFiles.sha256(content.getBytes(StandardCharsets.UTF_8)));
        o.addProperty("lowercase", true);
        o.addProperty("style", "BERT");
        return o;
    }

    @Test
    void opensAVerifiedVocabulary() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(dir, "vocab.txt", VOCAB);
        try (TextTokenizer t = TokenizerFiles.open(ref, dir.resolve(MANIFEST))) {
            assertThat(t.encode("the film", null, 8).ids()).containsExactly(2, 5, 6, 3);
        }
    }

    @Test
    void aChangedOrMissingFileIsRefused() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(dir, "vocab.txt", VOCAB);
        Files.writeString(dir.resolve("vocab.txt"), VOCAB + "dog\n");
        assertThatThrownBy(() -> TokenizerFiles.open(ref, dir.resolve(MANIFEST))).isInstanceOf(IOException.class)
                .hasMessageStartingWith(dir.resolve("vocab.txt") + ": SHA-256 mismatch (manifest.json says ");
        Files.delete(dir.resolve("vocab.txt"));
        assertThatThrownBy(() -> TokenizerFiles.open(ref, dir.resolve(MANIFEST))).hasMessage(dir.resolve("vocab.txt") + ": tokenizer file is missing");
    }

    @Test
    void aMissingChecksumIsAnErrorNotASkippedCheck() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(dir, "vocab.txt", VOCAB);
        ref.remove("sha256");
        assertThatThrownBy(() -> TokenizerFiles.open(ref, dir.resolve(MANIFEST)))
                .hasMessage(dir.resolve("manifest.json") + ": field 'tokenizer.sha256' is missing");
    }

    @Test
    void anEscapingNameIsRefusedBeforeAnythingIsRead() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(tmp, "outside.txt", VOCAB);
        Files.createDirectories(dir);
        for (String name : new String[] {"../outside.txt", tmp.resolve("outside.txt").toString()}) {
            ref.addProperty("file", name);
            assertThatThrownBy(() -> TokenizerFiles.open(ref, dir.resolve(MANIFEST))).hasMessage(dir.resolve("manifest.json")
                    + ": field 'tokenizer.file' must be a plain file name in " + dir + ", found '" + name + "'");
        }
    }

    @Test
    void aLinkOutOfTheFolderIsRefusedAndOneInsideItIsFollowed() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(tmp, "outside.txt", VOCAB);
        Files.createDirectories(dir);
        Files.createSymbolicLink(dir.resolve("vocab.txt"), tmp.resolve("outside.txt"));
        ref.addProperty("file", "vocab.txt");
        assertThatThrownBy(() -> TokenizerFiles.open(ref, dir.resolve(MANIFEST))).hasMessage(dir.resolve("vocab.txt")
                + ": tokenizer file is a link to " + tmp.resolve("outside.txt").toRealPath() + ", outside " + dir);

        Files.writeString(dir.resolve("real.txt"), VOCAB);
        Files.delete(dir.resolve("vocab.txt"));
        Files.createSymbolicLink(dir.resolve("vocab.txt"), dir.resolve("real.txt"));
        TokenizerFiles.open(ref, dir.resolve(MANIFEST)).close();
    }

    @Test
    void streamedDigestEqualsTheDigestOfTheBytes() throws IOException {
        byte[] bytes = new byte[(1 << 16) * 3 + 17];
        new Random(3).nextBytes(bytes);
        Path f = Files.write(tmp.resolve("big.bin"), bytes);
        assertThat(TokenizerFiles.sha256(f)).isEqualTo(TokenizerFiles.sha256(bytes));
        Path abc = Files.writeString(tmp.resolve("abc.txt"), "abc");
        assertThat(TokenizerFiles.sha256(abc)).isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
