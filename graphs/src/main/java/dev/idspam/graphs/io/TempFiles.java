package dev.idspam.graphs.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Temporary files and folders, named so that what a killed process leaves behind can be told
 * apart from what a live one is using, and removed.
 *
 * <p>The scheme:
 * <ul>
 *   <li>A file or folder written beside its final place (then renamed over it) is named
 *       {@code .<name>.<pid>-<random>.partial}: it carries the id of the process writing it. When a
 *       command starts writing into a folder it calls {@link #removeStale(Path)}, which deletes the
 *       {@code .partial} entries of processes that are no longer alive (a crash or {@code kill -9}
 *       mid-write) and never those of a live one. A pid that was reused by another live process
 *       keeps its leftover until that process ends: the error is on the safe side.</li>
 *   <li>Everything the process needs in the system temporary folder (the ONNX Runtime native
 *       libraries, checkpoints read back from the runtime) lives in one per-process folder,
 *       {@code idspam-ort-<pid>-<random>}, from {@link #processFolder()}. It holds a {@code .lock}
 *       file locked for the life of the process and is deleted by a shutdown hook. A lock, not the
 *       pid, decides whether a folder is stale: the kernel releases it when its process dies however
 *       it dies, and it works across pid namespaces that share one temporary folder (containers),
 *       where a pid says nothing. The first call removes every such folder whose lock can be taken,
 *       and folders of the older naming ({@code idspam-ort<digits>}, {@code idspam-weights<digits>.ckpt},
 *       no lock) once they are a day old.</li>
 * </ul>
 */
public final class TempFiles {
    /** {@code .<name>.<pid>-<random>.partial}. */
    private static final Pattern PARTIAL = Pattern.compile("\\..+\\.(\\d+)-\\d+\\.partial");
    /** What earlier versions left beside their targets: {@code .<name>.partial} and {@code .<name>.<random>.tmp}. */
    private static final Pattern OLD_PARTIAL = Pattern.compile("\\.[^/]+\\.partial|\\.[^/]+\\.\\d+\\.tmp");
    static final String FOLDER_PREFIX = "idspam-ort-";
    private static final Pattern FOLDER = Pattern.compile(Pattern.quote(FOLDER_PREFIX) + "(\\d+)-\\d+");
    private static final Pattern OLD_FOLDER = Pattern.compile("idspam-ort\\d+|idspam-weights\\d+\\.ckpt");
    static final String LOCK = ".lock";
    /** Age after which an unlocked entry of the older naming is taken to be abandoned. */
    static final Duration OLD_ENTRY_AGE = Duration.ofDays(1);

    private static Path processFolder;
    /** Held open for the life of the process: the lock that marks {@link #processFolder} as in use. */
    private static FileChannel processLock;

    private TempFiles() {
    }

    /** This process's id, as it appears in temporary names. */
    public static long pid() {
        return ProcessHandle.current().pid();
    }

    /**
     * Creates an empty file beside {@code target}, named {@code .<target name>.<pid>-<random>.partial},
     * for content that is renamed over {@code target} once complete.
     */
    public static Path partialBeside(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        while (true) {
            Path p = abs.resolveSibling(partialName(abs.getFileName().toString()));
            try {
                return Files.createFile(p);
            } catch (FileAlreadyExistsException e) {
                // another random number
            }
        }
    }

    /** Creates a folder {@code dir/.<name>.<pid>-<random>.partial}, e.g. for staging several files. */
    public static Path partialFolder(Path dir, String name) throws IOException {
        Files.createDirectories(dir);
        while (true) {
            Path p = dir.resolve(partialName(name));
            try {
                return Files.createDirectory(p);
            } catch (FileAlreadyExistsException e) {
                // another random number
            }
        }
    }

    private static String partialName(String name) {
        return "." + name + "." + pid() + "-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE) + ".partial";
    }

    /**
     * Deletes the {@code .partial} files and folders in {@code dir} (not below) whose process is no
     * longer alive, and those of the older naming, which no current process writes. Returns how many
     * entries were removed. A missing folder has none.
     */
    public static int removeStale(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        int removed = 0;
        long self = pid();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                Matcher m = PARTIAL.matcher(n);
                boolean stale;
                if (m.matches()) {
                    long owner = parsePid(m.group(1));
                    stale = owner != self && !alive(owner);
                } else {
                    stale = OLD_PARTIAL.matcher(n).matches();
                }
                if (stale && deleteTree(p)) {
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * The process's own folder in the system temporary folder, created (and stale ones removed) on
     * the first call; deleted when the JVM exits normally, removed by the next process otherwise.
     */
    public static synchronized Path processFolder() throws IOException {
        if (processFolder != null) {
            return processFolder;
        }
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        removeStaleProcessFolders(tmp);
        Path dir;
        while (true) {
            dir = tmp.resolve(FOLDER_PREFIX + pid() + "-" + ThreadLocalRandom.current().nextLong(Long.MAX_VALUE));
            try {
                Files.createDirectory(dir);
                break;
            } catch (FileAlreadyExistsException e) {
                // another random number
            }
        }
        FileChannel ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        if (ch.tryLock() == null) {
            ch.close();
            throw new IOException(dir + ": could not lock a folder this process just created");
        }
        processLock = ch;
        processFolder = dir;
        Path created = dir;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(created), "idspam-temp-cleanup"));
        return dir;
    }

    /**
     * Removes the per-process folders in {@code tmp} whose owner is gone (their lock can be taken),
     * and unlocked entries of the older naming that are older than {@link #OLD_ENTRY_AGE}.
     * Returns how many were removed.
     */
    static int removeStaleProcessFolders(Path tmp) throws IOException {
        int removed = 0;
        long self = pid();
        Instant oldBefore = Instant.now().minus(OLD_ENTRY_AGE);
        List<Path> entries;
        try (Stream<Path> s = Files.list(tmp)) {
            entries = s.filter(p -> p.getFileName().toString().startsWith("idspam-")).toList();
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            Matcher m = FOLDER.matcher(n);
            if (m.matches()) {
                if (parsePid(m.group(1)) != self && removeIfUnlocked(p, oldBefore)) {
                    removed++;
                }
            } else if (OLD_FOLDER.matcher(n).matches() && olderThan(p, oldBefore) && deleteTree(p)) {
                removed++;
            }
        }
        return removed;
    }

    /** Deletes a per-process folder when no process holds its lock; one without a lock file only when old. */
    private static boolean removeIfUnlocked(Path dir, Instant oldBefore) {
        Path lock = dir.resolve(LOCK);
        if (!Files.exists(lock)) {
            // being created right now, or left between mkdir and lock: wait until it is old
            return olderThan(dir, oldBefore) && deleteTree(dir);
        }
        try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock l = ch.tryLock();
            if (l == null) {
                return false; // its process is alive
            }
            try {
                return deleteTree(dir);
            } finally {
                if (ch.isOpen() && l.isValid()) {
                    l.release();
                }
            }
        } catch (OverlappingFileLockException e) {
            return false; // held by this JVM
        } catch (IOException e) {
            return false; // gone meanwhile, or not ours to touch
        }
    }

    private static boolean olderThan(Path p, Instant t) {
        try {
            FileTime m = Files.getLastModifiedTime(p);
            return m.toInstant().isBefore(t);
        } catch (IOException e) {
            return false;
        }
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private static long parsePid(String digits) {
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Deletes a file or a folder with everything in it; true when it is gone afterwards. */
    static boolean deleteTree(Path p) {
        try {
            if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(q);
                    }
                }
            } else {
                Files.deleteIfExists(p);
            }
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (IOException | UncheckedIOException e) {
            return false;
        }
    }
}
