package dev.idspam.datasets.locate;

import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.task.TaskFormat;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Finds the file (or, for IMDB, the folder) of a task's split.
 *
 * <p>The search order, written down here and nowhere else:
 * <ol>
 *   <li>The data folders, in order. With {@code --data DIR} (or {@code IDSPAM_DATA}) that is DIR
 *       alone; otherwise {@link #defaultDataDirs}: the repository's own {@code data/} (which carries
 *       SST-2, MRPC, RTE and CB), then {@code ../shared/data} beside the repository when that folder
 *       exists. In each folder a split is looked for at {@code DIR/<folder>/<file>} (the official
 *       folder name: {@code SST-2/train.tsv}, {@code CB/val.jsonl}, {@code aclImdb/train}) and then
 *       at {@code DIR/<file>}.</li>
 *   <li>The download cache, {@code <cache>/<folder>/<file>} (by default {@code ~/.cache/idspam/data}).</li>
 *   <li>If downloads are allowed ({@code --download}), the task's public zip, downloaded into the
 *       cache and unpacked there.</li>
 * </ol>
 * If none of these yields the split, or the download fails (no network), {@link DataNotFoundException}
 * lists every path tried and the layout the task expects.
 */
public final class DataLocator {
    private final List<Path> dataDirs;
    private final Path cacheDir;
    private final boolean downloads;
    private final Function<Task, Optional<URI>> sources;
    private final ArchiveDownloader downloader;

    private DataLocator(Builder b) {
        this.dataDirs = b.dataDirs;
        this.cacheDir = b.cacheDir;
        this.downloads = b.downloads;
        this.sources = b.sources;
        this.downloader = new ArchiveDownloader(b.progress != null ? b.progress : downloadProgress, b.connectTimeout,
                b.readTimeout);
    }

    /** Who follows the downloads of locators built without {@link Builder#progress}; nothing is shown by default. */
    private static volatile DownloadProgress downloadProgress = DownloadProgress.NONE;

    /**
     * Sets who follows the archive downloads of every locator built from now on without its own
     * {@link Builder#progress} (the command line sets its progress bar here at start);
     * {@link DownloadProgress#NONE}, the default, shows nothing.
     */
    public static void downloadProgress(DownloadProgress listener) {
        downloadProgress = Objects.requireNonNull(listener, "listener");
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Looks only in {@code dataDirs} and the default cache, never downloading. */
    public static DataLocator offline(List<Path> dataDirs) {
        return builder().dataDirs(dataDirs).downloads(false).build();
    }

    /**
     * The data folders used when no {@code --data} is given: {@code <repoRoot>/data}, then
     * {@code <repoRoot>/../shared/data} if it is a folder (left out otherwise, so that error messages
     * list only places that can exist).
     */
    public static List<Path> defaultDataDirs(Path repoRoot) {
        List<Path> dirs = new ArrayList<>();
        dirs.add(repoRoot.resolve("data"));
        Path shared = repoRoot.resolve("..").resolve("shared").resolve("data").normalize();
        if (Files.isDirectory(shared)) {
            dirs.add(shared);
        }
        return List.copyOf(dirs);
    }

    /** {@code ~/.cache/idspam/data}. */
    public static Path defaultCacheDir() {
        return Path.of(System.getProperty("user.home"), ".cache", "idspam", "data");
    }

    /** The data folders searched before the cache, in order. */
    public List<Path> dataDirs() {
        return dataDirs;
    }

    public Path cacheDir() {
        return cacheDir;
    }

    /** Every path {@link #resolve} tries, in order. */
    public List<Path> candidates(Task task, Split split) {
        String file = task.fileName(split);
        List<Path> paths = new ArrayList<>();
        for (Path dir : dataDirs) {
            paths.add(dir.resolve(task.folder()).resolve(file));
            paths.add(dir.resolve(file));
        }
        paths.add(cacheDir.resolve(task.folder()).resolve(file));
        return paths;
    }

    /** The first existing candidate, without downloading. */
    public Optional<Path> find(Task task, Split split) {
        for (Path p : candidates(task, split)) {
            if (task.format() == TaskFormat.IMDB_FOLDERS ? Files.isDirectory(p) : Files.isRegularFile(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * The split's file (IMDB: folder), downloading the task's archive into the cache if needed and
     * allowed.
     *
     * @throws DataNotFoundException if it is nowhere to be found and cannot be downloaded
     */
    public Path resolve(Task task, Split split) throws IOException {
        if (task.isCustom()) { // a custom task names its files; they are not searched for
            Path file = Path.of(task.fileName(split));
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new java.nio.file.NoSuchFileException(file.toString(), null, "the " + split + " file of custom task "
                        + task.shortName() + " is not there (the path recorded when the artifacts were generated)");
            }
            return file;
        }
        Optional<Path> found = find(task, split);
        if (found.isPresent()) {
            return found.get();
        }
        List<Path> looked = candidates(task, split);
        Optional<URI> url = sources.apply(task);
        if (url.isEmpty()) {
            throw new DataNotFoundException(task, split, looked, "No public zip is known for "
                    + task.folder() + ", so it cannot be downloaded; put the files in place by hand.", null);
        }
        if (!downloads) {
            throw new DataNotFoundException(task, split, looked, "Automatic download is off. The public "
                    + "archive is " + url.get() + "; unzip it into DIR or into " + cacheDir + ".", null);
        }
        try {
            install(task, url.get());
        } catch (IOException e) {
            throw new DataNotFoundException(task, split, looked, "Downloading " + url.get() + " failed ("
                    + reason(e) + "); without network access, "
                    + "fetch that archive elsewhere and unzip it into DIR or into " + cacheDir + ".", e);
        }
        return find(task, split).orElseThrow(() -> new DataNotFoundException(task, split, looked,
                "The archive " + url.get() + " was unpacked into " + cacheDir
                        + " but does not contain the expected file.", null));
    }

    /** Why a download failed, in words (the exception's message alone can be just a host name). */
    private static String reason(IOException e) {
        String m = e.getMessage() == null ? "" : e.getMessage();
        if (e instanceof java.net.UnknownHostException) {
            return "unknown host " + m;
        }
        if (e instanceof java.net.ConnectException) {
            return "cannot connect" + (m.isEmpty() ? "" : ": " + m);
        }
        if (e instanceof java.net.SocketTimeoutException) {
            return "timed out";
        }
        return m.isEmpty() ? "no reason given" : m;
    }

    /**
     * Downloads the archive (unless a complete one is already cached: downloads are renamed into
     * place only when finished) and moves its task folder into the cache.
     */
    private void install(Task task, URI url) throws IOException {
        Files.createDirectories(cacheDir);
        Path zip = cacheDir.resolve(task.folder() + ".zip");
        if (!Files.isRegularFile(zip)) {
            downloader.download(url, zip);
        }
        Path staging = Files.createTempDirectory(cacheDir, ".extract-" + task.folder() + "-");
        try {
            List<Path> top;
            try {
                top = ZipExtractor.extract(zip, staging);
            } catch (IOException e) {
                Files.deleteIfExists(zip); // a bad archive must not be reused by the next attempt
                throw e;
            }
            Path taskFolder = staging.resolve(task.folder());
            Path target = cacheDir.resolve(task.folder());
            if (Files.isDirectory(taskFolder)) {
                moveMerging(taskFolder, target);
            } else if (top.size() == 1 && Files.isDirectory(top.get(0))) {
                moveMerging(top.get(0), target); // the archive's only folder has another name
            } else {
                moveMerging(staging, target); // the files sit at the archive's top level
            }
            Files.deleteIfExists(zip);
        } finally {
            deleteRecursively(staging);
        }
    }

    /** Moves {@code from} to {@code to}; where {@code to} already exists, merges folder contents and keeps existing files. */
    private static void moveMerging(Path from, Path to) throws IOException {
        if (!Files.exists(to)) {
            ArchiveDownloader.moveIntoPlace(from, to);
            return;
        }
        if (Files.isDirectory(from) && Files.isDirectory(to)) {
            List<Path> children;
            try (Stream<Path> listing = Files.list(from)) {
                children = listing.sorted().toList();
            }
            for (Path child : children) {
                moveMerging(child, to.resolve(child.getFileName().toString()));
            }
        }
    }

    private static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        List<Path> all;
        try (Stream<Path> walk = Files.walk(root)) {
            all = walk.sorted(Comparator.reverseOrder()).toList();
        }
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }

    /** Options for {@link DataLocator}; only the data folders are commonly set. */
    public static final class Builder {
        private List<Path> dataDirs = List.of();
        private Path cacheDir = defaultCacheDir();
        private boolean downloads = true;
        private Function<Task, Optional<URI>> sources = Task::downloadUrl;
        private DownloadProgress progress;
        private Duration connectTimeout = Duration.ofSeconds(15);
        private Duration readTimeout = Duration.ofSeconds(60);

        private Builder() {
        }

        /** A single data folder, such as {@code --data}; null or unset means "cache only". */
        public Builder dataDir(Path dir) {
            return dataDirs(dir == null ? List.of() : List.of(dir));
        }

        /** The data folders, searched in this order before the cache. */
        public Builder dataDirs(List<Path> dirs) {
            this.dataDirs = List.copyOf(dirs);
            return this;
        }

        public Builder cacheDir(Path dir) {
            this.cacheDir = Objects.requireNonNull(dir, "cacheDir");
            return this;
        }

        /** Whether a missing task may be downloaded (default true). */
        public Builder downloads(boolean allowed) {
            this.downloads = allowed;
            return this;
        }

        /** Where each task's archive comes from; defaults to {@link Task#downloadUrl()}. */
        public Builder sources(Function<Task, Optional<URI>> urls) {
            this.sources = Objects.requireNonNull(urls, "sources");
            return this;
        }

        /** Who follows this locator's downloads (default: the one set by {@link DataLocator#downloadProgress}). */
        public Builder progress(DownloadProgress listener) {
            this.progress = Objects.requireNonNull(listener, "progress");
            return this;
        }

        public Builder timeouts(Duration connect, Duration read) {
            this.connectTimeout = Objects.requireNonNull(connect, "connect");
            this.readTimeout = Objects.requireNonNull(read, "read");
            return this;
        }

        public DataLocator build() {
            return new DataLocator(this);
        }
    }
}
