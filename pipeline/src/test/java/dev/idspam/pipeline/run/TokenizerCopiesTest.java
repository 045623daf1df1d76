package dev.idspam.pipeline.run;

import com.google.gson.JsonObject;
import dev.idspam.serving.TokenizerFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Copies of a tokenizer: written only into the target folder, and only once verified. */
class TokenizerCopiesTest {
    private static final String VOCAB = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nthe\nfilm\n";

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
    void copyWritesOnlyIntoTheTargetFolder() throws IOException {
        Path from = tmp.resolve("run");
        JsonObject json = reference(from, "vocab.txt", VOCAB);
        Path to = tmp.resolve("bundle");
        TokenizerFiles.Reference ref = TokenizerFiles.Reference.parse(json, from.resolve("manifest.json"));
        TokenizerCopies.copy(ref, from.resolve("manifest.json"), to);
        try (var files = Files.list(to)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).containsExactly("vocab.txt");
        }
        assertThat(Files.readString(to.resolve("vocab.txt"))).isEqualTo(VOCAB);
    }

    @Test
    void opensTheCopyOfAnArtifactsFolder() throws IOException {
        Path dir = tmp.resolve("run");
        JsonObject ref = reference(dir, "vocab.txt", VOCAB);
        try (var t = TokenizerCopies.open(ref, dir)) {
            assertThat(t.encode("the film", null, 8).ids()).containsExactly(2, 5, 6, 3);
        }
        Files.writeString(dir.resolve("vocab.txt"), VOCAB + "dog\n");
        assertThatThrownBy(() -> TokenizerCopies.open(ref, dir))
                .hasMessageStartingWith(dir.resolve("vocab.txt") + ": SHA-256 mismatch (manifest.json says ");
    }
}
