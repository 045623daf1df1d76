package dev.idspam.graphs.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FolderUpdateTest {
    private static Map<String, String> contents(Path dir) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                m.put(dir.relativize(p).toString(), Files.readString(p, StandardCharsets.UTF_8));
            }
        }
        return m;
    }

    private static Path earlierRun(Path dir) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("model.onnx"), "old model");
        Files.writeString(dir.resolve("manifest.json"), "old manifest");
        Files.writeString(dir.resolve("best.ckpt"), "trained weights");
        Files.writeString(dir.resolve("notes.txt"), "the user's");
        return dir;
    }

    @Test
    void aFailureBeforeTheCommitLeavesTheFolderByteIdentical(@TempDir Path tmp) throws Exception {
        Path dir = earlierRun(tmp.resolve("run"));
        Map<String, String> before = contents(dir);
        assertThatThrownBy(() -> {
            try (FolderUpdate u = FolderUpdate.begin(dir)) {
                u.write("model.onnx", "new model".getBytes(StandardCharsets.UTF_8));
                assertThat(u.staging().getParent()).isEqualTo(dir);
                throw new IllegalStateException("disk full");
            }
        }).hasMessage("disk full");
        assertThat(contents(dir)).isEqualTo(before);
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.count()).isEqualTo(before.size());
        }
        // a folder the update created is removed again
        Path fresh = tmp.resolve("fresh");
        try (FolderUpdate u = FolderUpdate.begin(fresh)) {
            u.write("x", new byte[1]);
        }
        assertThat(fresh).doesNotExist();
    }

    @Test
    void theCommitReplacesTheFilesRemovesObsoleteOnesAndKeepsOthers(@TempDir Path tmp) throws Exception {
        Path dir = earlierRun(tmp.resolve("run"));
        try (FolderUpdate u = FolderUpdate.begin(dir)) {
            u.write("model.onnx", "new model".getBytes(StandardCharsets.UTF_8));
            u.write("vocab.txt", "[PAD]".getBytes(StandardCharsets.UTF_8));
            u.write("manifest.json", "new manifest".getBytes(StandardCharsets.UTF_8));
            u.commit("manifest.json", List.of("best.ckpt", "last.ckpt"));
        }
        assertThat(contents(dir)).isEqualTo(Map.of("model.onnx", "new model", "vocab.txt", "[PAD]",
                "manifest.json", "new manifest", "notes.txt", "the user's"));
        assertThatThrownBy(() -> {
            try (FolderUpdate u = FolderUpdate.begin(dir)) {
                u.staged("../escape");
            }
        }).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStagingFolderLeftByADeadProcessIsRemovedByTheNextUpdate(@TempDir Path tmp) throws Exception {
        Path dir = earlierRun(tmp.resolve("run"));
        Path leftover = Files.createDirectories(dir.resolve(".staging." + TempFilesTest.deadPid() + "-5.partial"));
        Files.writeString(leftover.resolve("model.onnx"), "half written");
        try (FolderUpdate u = FolderUpdate.begin(dir)) {
            assertThat(leftover).doesNotExist();
        }
        assertThat(contents(dir)).doesNotContainKey(dir.relativize(leftover.resolve("model.onnx")).toString());
    }
}
