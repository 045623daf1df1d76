package dev.idspam.graphs.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader sees either the old or the complete new content, never a torn
 * file: the bytes go to a temporary file in the same folder, are forced to disk, then renamed. The
 * temporary name carries the writer's process id ({@link TempFiles#partialBeside}), so that one left
 * by a killed writer is recognised and removed later.
 */
public final class AtomicFiles {
    /** rw-r--r--, as for any written file (temporary files start as rw-------). */
    private static final java.util.Set<java.nio.file.attribute.PosixFilePermission> READABLE =
            java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--");

    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, ByteBuffer.wrap(content));
    }

    /** Writes the remaining bytes of {@code content} (its position is left at the limit). */
    public static void write(Path target, ByteBuffer content) throws IOException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Files.createDirectories(dir);
        Path tmp = TempFiles.partialBeside(abs);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                while (content.hasRemaining()) {
                    ch.write(content);
                }
                ch.force(true);
            }
            matchPermissions(tmp, abs);
            move(tmp, abs);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Gives a finished temporary file the permissions its target should end up with: those of the
     * regular file it replaces (a replacement never widens or narrows them), else rw-r--r--. A
     * link at the target is replaced, not followed, so its permissions are not looked at.
     */
    public static void matchPermissions(Path tmp, Path target) throws IOException {
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> mode =
                    Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                            ? Files.getPosixFilePermissions(target, java.nio.file.LinkOption.NOFOLLOW_LINKS) : READABLE;
            Files.setPosixFilePermissions(tmp, mode);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the default permissions
        }
    }

    /** Atomically replaces {@code target} with the already-written file {@code source}. */
    public static void move(Path source, Path target) throws IOException {
        try {
            Files.move(source, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
