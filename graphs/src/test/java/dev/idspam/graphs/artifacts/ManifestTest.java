package dev.idspam.graphs.artifacts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
        Files.writeString(m, json.replace("\"formatVersion\": 1", "\"formatVersion\": 99"));
        assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(m + ": format version 99 is not supported (this build reads version 1); regenerate the"
                        + " artifacts with this build");
        Files.writeString(m, json.substring(0, json.length() / 2));
        assertThatThrownBy(() -> Artifacts.open(dir)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(m + ": not valid JSON");
        Files.writeString(m, json.replace("\"files\"", "\"filez\""));
        assertThatThrownBy(() -> Artifacts.open(dir)).hasMessage(m + ": field 'files' is missing; regenerate the artifacts");
    }
}
