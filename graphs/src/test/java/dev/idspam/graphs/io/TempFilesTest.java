package dev.idspam.graphs.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Leftovers of dead processes are removed; what a live process uses is not. */
class TempFilesTest {
    /** The id of a process that has ended. */
    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        long pid = p.pid();
        assertThat(TempFiles.alive(pid)).as("pid %d after exit", pid).isFalse();
        return pid;
    }

    @Test
    void partialFilesOfDeadWritersAreRemovedAndLiveOnesKept(@TempDir Path dir) throws Exception {
        long dead = deadPid();
        Path mine = TempFiles.partialBeside(dir.resolve("last.ckpt"));
        assertThat(mine.getFileName().toString()).matches("\\.last\\.ckpt\\." + TempFiles.pid() + "-\\d+\\.partial");
        Path deadFile = Files.writeString(dir.resolve(".last.ckpt." + dead + "-42.partial"), "half");
        Path deadFolder = Files.createDirectories(dir.resolve(".staging." + dead + "-7.partial"));
        Files.writeString(deadFolder.resolve("training_model.onnx"), "x");
        Path older = Files.writeString(dir.resolve(".best.ckpt.partial"), "from an earlier version");
        Path olderTmp = Files.writeString(dir.resolve(".report.json.123456.tmp"), "from an earlier version");
        Path live = Files.writeString(dir.resolve(".x." + ProcessHandle.current().parent().orElseThrow().pid() + "-1.partial"), "");
        Path unrelated = Files.writeString(dir.resolve("notes.partial.txt"), "mine");
        Path checkpoint = Files.writeString(dir.resolve("last.ckpt"), "kept");

        assertThat(TempFiles.removeStale(dir)).isEqualTo(4);
        assertThat(deadFile).doesNotExist();
        assertThat(deadFolder).doesNotExist();
        assertThat(older).doesNotExist();
        assertThat(olderTmp).doesNotExist();
        assertThat(mine).exists();
        assertThat(live).exists();
        assertThat(unrelated).exists();
        assertThat(checkpoint).exists();
        assertThat(TempFiles.removeStale(dir.resolve("absent"))).isZero();
    }

    @Test
    void processFoldersAreRemovedWhenNoProcessHoldsTheirLock(@TempDir Path tmp) throws Exception {
        long dead = deadPid();
        Path stale = Files.createDirectories(tmp.resolve("idspam-ort-" + dead + "-11"));
        Files.writeString(stale.resolve(TempFiles.LOCK), "");
        Files.write(stale.resolve("libonnxruntime.so.1"), new byte[1000]);
        // a folder whose owner is alive (here: a lock held by this test) stays, whatever its pid says
        Path held = Files.createDirectories(tmp.resolve("idspam-ort-" + dead + "-12"));
        Path own = Files.createDirectories(tmp.resolve("idspam-ort-" + TempFiles.pid() + "-13"));
        Files.writeString(own.resolve(TempFiles.LOCK), "");
        Path fresh = Files.createDirectories(tmp.resolve("idspam-ort-" + dead + "-14")); // no lock yet: being created
        Path oldNaming = Files.createDirectories(tmp.resolve("idspam-ort8237461234"));
        Files.setLastModifiedTime(oldNaming, FileTime.from(Instant.now().minus(TempFiles.OLD_ENTRY_AGE).minusSeconds(60)));
        Path recentOldNaming = Files.createDirectories(tmp.resolve("idspam-ort1234"));
        Path other = Files.createDirectories(tmp.resolve("idspam-bundle-cache"));
        try (FileChannel ch = FileChannel.open(held.resolve(TempFiles.LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock lock = ch.lock()) {
            assertThat(lock.isValid()).isTrue();
            assertThat(TempFiles.removeStaleProcessFolders(tmp)).isEqualTo(2);
        }
        assertThat(stale).doesNotExist();
        assertThat(oldNaming).doesNotExist();
        for (Path kept : new Path[] {held, own, fresh, recentOldNaming, other}) {
            assertThat(kept).exists();
        }
    }

    @Test
    void theProcessFolderIsLockedAndReused() throws Exception {
        Path dir = TempFiles.processFolder();
        assertThat(TempFiles.processFolder()).isEqualTo(dir);
        assertThat(dir.getFileName().toString()).startsWith("idspam-ort-" + TempFiles.pid() + "-");
        // another process could not take its lock: a second channel of this JVM sees it as held
        try (FileChannel ch = FileChannel.open(dir.resolve(TempFiles.LOCK), StandardOpenOption.WRITE)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(ch::tryLock)
                    .isInstanceOf(java.nio.channels.OverlappingFileLockException.class);
        }
        assertThat(TempFiles.removeStaleProcessFolders(dir.getParent())).isGreaterThanOrEqualTo(0);
        assertThat(dir).exists();
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).contains(TempFiles.LOCK);
        }
    }
}
