package dev.idspam.graphs.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Stream;

/**
 * Replaces a set of files in a folder, one of which (the commit file, e.g. {@code manifest.json})
 * says that the others belong together, so that a failure leaves either the earlier folder or the
 * new one, never a mix that loads.
 *
 * <p>Crash safety. {@link #begin} touches nothing that exists: it creates the folder if needed and
 * an empty staging folder in it ({@code .<name>.<pid>-<random>.partial}, see {@link TempFiles}).
 * Every new file is written completely into the staging folder and forced to disk. Until
 * {@link #commit} starts, the earlier files are byte-identical: an exception closes the update and
 * deletes the staging folder; a crash leaves it to {@link TempFiles#removeStale}, which the next
 * update of this folder calls. The commit writes no data, it only deletes and renames, in this
 * order: (1) delete the earlier commit file, so that from here on every reader refuses the folder
 * as incomplete instead of pairing old and new files; (2) delete the files that the new content
 * makes obsolete (the checkpoints and reports of a run on the earlier artifacts); (3) rename the
 * staged files into place; (4) rename the new commit file into place, the commit point; (5) delete
 * the staging folder. A crash inside (1)–(4), a window of a few renames, leaves a folder without
 * commit file, which readers refuse ("regenerate"), and never earlier checkpoints next to newer
 * graphs; running the same command again completes it. Files in the folder that the update does not
 * name are left alone.
 */
public final class FolderUpdate implements AutoCloseable {
    private final Path dir;
    private final Path staging;
    private final boolean createdDir;
    private boolean committed;

    private FolderUpdate(Path dir, Path staging, boolean createdDir) {
        this.dir = dir;
        this.staging = staging;
        this.createdDir = createdDir;
    }

    /** Starts an update of {@code dir} (created if missing), removing stale leftovers of dead writers there first. */
    public static FolderUpdate begin(Path dir) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException(dir + ": is a file, not a folder");
        }
        boolean existed = Files.isDirectory(dir);
        Files.createDirectories(dir);
        try {
            TempFiles.removeStale(dir);
            return new FolderUpdate(dir, TempFiles.partialFolder(dir, "staging"), !existed);
        } catch (IOException | RuntimeException e) {
            if (!existed) {
                Files.deleteIfExists(dir);
            }
            throw e;
        }
    }

    /** The folder being updated. */
    public Path folder() {
        return dir;
    }

    /** The staging folder: a file written here under its final name is moved into the folder on commit. */
    public Path staging() {
        return staging;
    }

    /** Writes a staged file (complete and forced to disk before this returns). */
    public void write(String name, byte[] content) throws IOException {
        AtomicFiles.write(staged(name), content);
    }

    /** Writes a staged file from the remaining bytes of {@code content}. */
    public void write(String name, java.nio.ByteBuffer content) throws IOException {
        AtomicFiles.write(staged(name), content);
    }

    /** Where the staged file {@code name} goes; for writers that need a path. */
    public Path staged(String name) {
        Path p = staging.resolve(name);
        if (!p.getParent().equals(staging) || name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("'" + name + "' is not a plain file name");
        }
        return p;
    }

    /**
     * Commits: deletes {@code commitFile} and the {@code obsolete} files from the folder, moves every
     * staged file in, {@code commitFile} last (it must have been staged), and removes the staging
     * folder. See the class comment for what a crash at each step leaves.
     */
    public void commit(String commitFile, Collection<String> obsolete) throws IOException {
        if (committed) {
            throw new IllegalStateException("already committed");
        }
        Path newCommit = staged(commitFile);
        if (!Files.isRegularFile(newCommit)) {
            throw new IllegalStateException(commitFile + " was not staged");
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(staging)) {
            s.filter(p -> !p.equals(newCommit)).sorted().forEach(files::add);
        }
        Files.deleteIfExists(dir.resolve(commitFile));
        for (String name : obsolete) {
            Files.deleteIfExists(dir.resolve(name));
        }
        for (Path f : files) {
            AtomicFiles.move(f, dir.resolve(f.getFileName().toString()));
        }
        AtomicFiles.move(newCommit, dir.resolve(commitFile));
        committed = true;
        TempFiles.deleteTree(staging);
    }

    /** Without a commit: deletes the staging folder, and the folder itself if {@link #begin} created it and it is empty. */
    @Override
    public void close() throws IOException {
        if (committed) {
            return;
        }
        TempFiles.deleteTree(staging);
        if (createdDir) {
            try (Stream<Path> s = Files.list(dir)) {
                if (s.findAny().isEmpty()) {
                    Files.deleteIfExists(dir);
                }
            }
        }
    }
}
