package dev.idspam.graphs.artifacts;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ManifestTest {
    @TempDir
    Path dir;
    Artifacts written;

    @BeforeEach
    void write() throws Exception {
        written = TinyMlp.writer(5).build().write(dir);
    }

    @Test
    void opensAnIntactDirectory() throws Exception {
        assertThat(Artifacts.open(dir).manifest()).isEqualTo(written.manifest());
    }

    @Test
    void refusesAFlippedByteNamingTheFile() throws Exception {
        Path eval = dir.resolve(ArtifactNames.EVAL_MODEL);
        byte[] b = Files.readAllBytes(eval);
        b[b.length / 2] ^= 0x01;
        Files.write(eval, b);
        String expected = written.manifest().files().get(ArtifactNames.EVAL_MODEL).sha256();
        assertThatThrownBy(() -> Artifacts.open(dir))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(eval + ": SHA-256 mismatch (manifest says " + expected + ", file has ")
                .hasMessageEndingWith("); regenerate the artifacts");
    }

    @Test
    void refusesMissingOrTruncatedFiles() throws Exception {
        Path ckpt = dir.resolve(ArtifactNames.CHECKPOINT);
        byte[] b = Files.readAllBytes(ckpt);
        Files.write(ckpt, Arrays.copyOf(b, b.length - 10));
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessageStartingWith(ckpt + ": size mismatch (manifest says "
                + b.length + " bytes, file has " + (b.length - 10) + ")");
        Files.delete(ckpt);
        assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(ckpt + ": missing (listed in manifest.json); regenerate the artifacts");
        Files.delete(dir.resolve(ArtifactNames.MANIFEST));
        assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("manifest.json: missing");
    }

    @Test
    void refusesAnotherFormatVersionOrBrokenJson() throws Exception {
        Path m = dir.resolve(ArtifactNames.MANIFEST);
        String json = Files.readString(m);
        assertThat(json).contains("\"formatVersion\": 2");
        for (int v : new int[] {1, 99}) {
            Files.writeString(m, json.replace("\"formatVersion\": 2", "\"formatVersion\": " + v));
            assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                    .hasMessage(m + ": format version " + v + " is not supported (this build reads version 2); regenerate"
                            + " the artifacts with this build");
        }
        Files.writeString(m, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(m + ": not valid JSON (End of input at line ")
                .hasMessageNotContaining("Exception").hasMessageNotContaining("https://");
        reseal(m, json, o -> o.add("filez", o.remove("files")));
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessage(m + ": field 'files' is missing; regenerate the artifacts");
    }

    @Test
    void anyEditOfTheContentIsRefusedButReformattingIsNot() throws Exception {
        Path m = dir.resolve(ArtifactNames.MANIFEST);
        String json = Files.readString(m);
        String sha = written.manifest().files().get(ArtifactNames.EVAL_MODEL).sha256();
        // a changed digest, a changed size, a removed field: the manifest's own digest no longer matches
        for (String edited : List.of(json.replace(sha, "0".repeat(64)),
                json.replace("\"weightDecay\": 0.0", "\"weightDecay\": 0.1"),
                json.replace("\"tokenizer\": null,", ""))) {
            assertThat(edited).isNotEqualTo(json);
            Files.writeString(m, edited);
            assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                    .hasMessageStartingWith(m + ": content SHA-256 mismatch (contentSha256 says ")
                    .hasMessageEndingWith("it was edited or damaged after it was written; regenerate the artifacts");
        }
        Files.writeString(m, json.replace("contentSha256", "contentSha"));
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessage(m + ": field 'contentSha256' is missing; regenerate the"
                + " artifacts");
        // the same content with other whitespace reads back as the same manifest
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        Files.writeString(m, new GsonBuilder().serializeNulls().create().toJson(o));
        assertThat(Artifacts.open(dir).manifest()).isEqualTo(written.manifest());
    }

    @Test
    void fileNamesMustStayInsideTheFolderAndCarryADigest() throws Exception {
        Path m = dir.resolve(ArtifactNames.MANIFEST);
        String json = Files.readString(m);
        Path outside = dir.resolveSibling("outside.onnx");
        Files.write(outside, Files.readAllBytes(dir.resolve(ArtifactNames.EVAL_MODEL)));
        for (String name : List.of("../outside.onnx", outside.toString(), "sub/x.onnx", "..", "", "a\\b")) {
            reseal(m, json, o -> o.getAsJsonObject("files").add(name, o.getAsJsonObject("files")
                    .getAsJsonObject(ArtifactNames.EVAL_MODEL).deepCopy()));
            assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                    .hasMessage(m + ": field 'files' names '" + name + "', which is not a plain file name inside the"
                            + " artifacts folder (no path separator, not '.' or '..', not empty); regenerate the artifacts");
        }
        reseal(m, json, o -> o.getAsJsonObject("files").getAsJsonObject(ArtifactNames.CHECKPOINT).remove("sha256"));
        assertThatThrownBy(() -> Artifacts.open(dir))
                .hasMessage(m + ": field 'files.checkpoint.sha256' is missing; regenerate the artifacts");
        reseal(m, json, o -> o.getAsJsonObject("files").getAsJsonObject(ArtifactNames.CHECKPOINT).addProperty("sha256", "abc"));
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessage(m + ": field 'files.checkpoint.sha256' should be a"
                + " SHA-256 of 64 lower-case hex digits, found 'abc'; regenerate the artifacts");
        reseal(m, json, o -> {
            JsonObject tok = new JsonObject();
            tok.addProperty("file", "../vocab.txt");
            tok.addProperty("sha256", "0".repeat(64));
            o.add("tokenizer", tok);
        });
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessageContaining("field 'tokenizer.file' names '../vocab.txt'");
        reseal(m, json, o -> {
            JsonObject tok = new JsonObject();
            tok.addProperty("file", "vocab.txt");
            o.add("tokenizer", tok);
        });
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessageContaining("field 'tokenizer.sha256' is missing");
    }

    /** Writes {@code json} edited by {@code edit}, with a content digest that matches the edit. */
    private static void reseal(Path m, String json, Consumer<JsonObject> edit) throws Exception {
        JsonObject o = JsonParser.parseString(json).getAsJsonObject();
        edit.accept(o);
        o.addProperty(Manifest.CONTENT_DIGEST, Manifest.contentDigest(o));
        Files.writeString(m, new GsonBuilder().setPrettyPrinting().serializeNulls().create().toJson(o));
    }
}
