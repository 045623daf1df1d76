package dev.idspam.graphs.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class AtomicFilesTest {
    @Test
    void replacesContentAndLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("nested/out.md");
        AtomicFiles.writeString(target, "old");
        AtomicFiles.writeString(target, "new content");
        assertThat(Files.readString(target)).isEqualTo("new content");
        try (Stream<Path> files = Files.list(target.getParent())) {
            assertThat(files).containsExactly(target);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-r--r--");
    }

    @Test
    void aReplacementKeepsThePermissionsOfTheFileItReplaces(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("private.json");
        AtomicFiles.writeString(target, "old");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.writeString(target, "new");
        assertThat(Files.readString(target)).isEqualTo("new");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }

    @Test
    void aLinkAtTheTargetIsReplacedNotWrittenThrough(@TempDir Path dir) throws Exception {
        Path victim = Files.writeString(dir.resolve("victim"), "keep");
        Files.setPosixFilePermissions(victim, PosixFilePermissions.fromString("rw-------"));
        Path link = Files.createSymbolicLink(dir.resolve("out.txt"), victim);
        AtomicFiles.writeString(link, "new");
        assertThat(Files.isSymbolicLink(link)).isFalse();
        assertThat(Files.readString(link)).isEqualTo("new");
        assertThat(Files.readString(victim)).isEqualTo("keep");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(victim))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(link))).isEqualTo("rw-r--r--");
    }
}
