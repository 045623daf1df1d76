package dev.idspam.tools.badinput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.pipeline.run.Export;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Device;
import dev.idspam.serving.Bundle;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Export writes its three files into --out and nowhere else, replacing links and keeping permissions. */
class ExportTest {
    private static final RunSettings RUN = new RunSettings(Device.CPU, 1);

    @TempDir
    static Path tmp;
    private static Path run;

    @BeforeAll
    static void generate() throws Exception {
        TinyBundles.build(tmp, "sst2");
        run = tmp.resolve("sst2-run");
    }

    @Test
    void linksInTheOutputFolderAreReplacedNotWrittenThrough() throws IOException {
        Path out = tmp.resolve("linked");
        Files.createDirectories(out);
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "keep me");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        for (String name : new String[] {Bundle.MODEL, Bundle.MANIFEST, "vocab.txt"}) {
            Files.createSymbolicLink(out.resolve(name), victim);
        }
        Export.run(run, null, out, RUN);
        assertThat(Files.readString(victim)).isEqualTo("keep me");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .containsExactly(Bundle.MANIFEST, Bundle.MODEL, "vocab.txt");
        }
        assertThat(Files.isSymbolicLink(out.resolve(Bundle.MODEL))).isFalse();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(Bundle.MODEL)))).isEqualTo("rw-r--r--");
    }

    @Test
    void aReExportKeepsThePermissionsOfTheFilesItReplaces() throws IOException {
        Path out = tmp.resolve("again");
        Export.run(run, null, out, RUN);
        for (String name : new String[] {Bundle.MODEL, Bundle.MANIFEST, "vocab.txt"}) {
            Files.setPosixFilePermissions(out.resolve(name), PosixFilePermissions.fromString("rw-r-----"));
        }
        Export.run(run, null, out, RUN);
        for (String name : new String[] {Bundle.MODEL, Bundle.MANIFEST, "vocab.txt"}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve(name)))).as(name)
                    .isEqualTo("rw-r-----");
        }
    }

    @Test
    void aTokenizerPathThatEscapesIsRefusedBeforeAnythingIsWritten() throws IOException {
        Path copy = tmp.resolve("escaping-run");
        Files.createDirectories(copy);
        try (Stream<Path> files = Files.list(run)) {
            for (Path f : files.toList()) {
                Files.copy(f, copy.resolve(f.getFileName()));
            }
        }
        Path manifest = copy.resolve("manifest.json");
        JsonObject m = JsonParser.parseString(Files.readString(manifest)).getAsJsonObject();
        Path outside = Files.writeString(tmp.resolve("outside.txt"), "not a vocabulary");
        for (String escape : new String[] {"../outside.txt", outside.toString()}) {
            m.getAsJsonObject("tokenizer").addProperty("file", escape);
            Files.writeString(manifest, m.toString());
            Path out = tmp.resolve("never");
            assertThatThrownBy(() -> Export.run(copy, null, out, RUN)).isInstanceOf(IOException.class)
                    .hasMessageContaining(manifest.toString())
                    .hasMessageFindingMatch("field 'tokenizer\\.file' must be a plain file name|SHA-256|checksum");
            assertThat(out).doesNotExist();
            assertThat(Files.readString(outside)).isEqualTo("not a vocabulary");
        }
    }
}
