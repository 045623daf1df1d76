package dev.idspam.datasets.locate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataLocatorTest {
    /** Records every download call, in order. */
    static final class Recorder implements DownloadProgress {
        final List<String> calls = new ArrayList<>();
        final List<Long> bytes = new ArrayList<>();

        @Override
        public void started(String file, String url, long total) {
            calls.add("started " + file + " " + total + " " + url);
        }

        @Override
        public void progressed(long b, long total) {
            bytes.add(b);
        }

        @Override
        public void ended(boolean ok) {
            calls.add("ended " + ok);
        }
    }


    @TempDir
    Path tmp;

    @Test
    void findsTheCarriedDataUnderItsTaskFolders() throws IOException {
        DataLocator locator = DataLocator.builder().dataDir(Fixtures.dataDir())
                .cacheDir(tmp.resolve("cache")).downloads(false).build();
        assertThat(locator.resolve(Task.RTE, Split.TRAIN)).endsWith(Path.of("RTE", "train.tsv"));
        assertThat(locator.resolve(Task.CB, Split.DEV)).endsWith(Path.of("CB", "val.jsonl"));
    }

    @Test
    void defaultFoldersAreTheRepositoryDataThenSharedDataThenTheCache() throws IOException {
        Path repo = tmp.resolve("work/repo");
        Fixtures.write(repo, "data/SST-2/train.tsv", "sentence\tlabel\n");
        Fixtures.write(tmp, "work/shared/data/SST-2/train.tsv", "sentence\tlabel\n");
        Fixtures.write(tmp, "work/shared/data/WiC/train.jsonl", "{}\n");
        Fixtures.write(tmp, "cache/WiC/val.jsonl", "{}\n");
        Path shared = tmp.resolve("work/shared/data");
        assertThat(DataLocator.defaultDataDirs(repo)).containsExactly(repo.resolve("data"), shared);

        DataLocator locator = DataLocator.builder().dataDirs(DataLocator.defaultDataDirs(repo))
                .cacheDir(tmp.resolve("cache")).downloads(false).build();
        assertThat(locator.resolve(Task.SST2, Split.TRAIN)).isEqualTo(repo.resolve("data/SST-2/train.tsv"));
        assertThat(locator.resolve(Task.WIC, Split.TRAIN)).isEqualTo(shared.resolve("WiC/train.jsonl"));
        assertThat(locator.resolve(Task.WIC, Split.DEV)).isEqualTo(tmp.resolve("cache/WiC/val.jsonl"));
        assertThat(locator.candidates(Task.RTE, Split.DEV)).containsExactly(
                repo.resolve("data/RTE/dev.tsv"), repo.resolve("data/dev.tsv"),
                shared.resolve("RTE/dev.tsv"), shared.resolve("dev.tsv"), tmp.resolve("cache/RTE/dev.tsv"));
    }

    @Test
    void sharedDataIsLeftOutWhenAbsent() {
        Path repo = tmp.resolve("alone/repo");
        assertThat(DataLocator.defaultDataDirs(repo)).containsExactly(repo.resolve("data"));
        assertThat(DataLocator.defaultDataDirs(Path.of(""))).first().isEqualTo(Path.of("data"));
    }

    @Test
    void acceptsFilesDirectlyInTheDataFolder() throws IOException {
        Path file = Fixtures.write(tmp, "mydata/dev.tsv", "sentence\tlabel\n");
        DataLocator locator = DataLocator.builder().dataDir(tmp.resolve("mydata"))
                .cacheDir(tmp.resolve("cache")).downloads(false).build();
        assertThat(locator.resolve(Task.SST2, Split.DEV)).isEqualTo(file);
    }

    @Test
    void offlineErrorListsPathsAndLayout() {
        DataLocator locator = DataLocator.builder().dataDir(tmp.resolve("data"))
                .cacheDir(tmp.resolve("cache")).downloads(false).build();
        assertThatThrownBy(() -> locator.resolve(Task.RTE, Split.DEV))
                .isInstanceOfSatisfying(DataNotFoundException.class, e -> {
                    assertThat(e.task()).isSameAs(Task.RTE);
                    assertThat(e.getMessage())
                            .startsWith("no data for task rte, split dev; looked in ")
                            .contains(tmp.resolve("data/RTE/dev.tsv").toString())
                            .contains(tmp.resolve("data/dev.tsv").toString())
                            .contains(tmp.resolve("cache/RTE/dev.tsv").toString())
                            .contains("Automatic download is off", "https://dl.fbaipublicfiles.com/glue/data/RTE.zip")
                            .contains("DIR/RTE/train.tsv", "DIR/RTE/dev.tsv", "entailment, not_entailment");
                    // one line for the paths, one for the download, one for the layout
                    assertThat(e.getMessage().lines()).hasSize(3);
                });
    }

    @Test
    void taskWithoutPublicZipSaysSo() {
        DataLocator locator = DataLocator.builder().cacheDir(tmp.resolve("cache")).build();
        assertThatThrownBy(() -> locator.resolve(Task.MRPC, Split.TRAIN))
                .isInstanceOf(DataNotFoundException.class)
                .hasMessageContaining("No public zip is known for MRPC")
                .hasMessageContaining("DIR/MRPC/train.tsv");
    }

    @Test
    void unreachableServerGivesTheOfflineError() {
        Recorder progress = new Recorder();
        DataLocator locator = DataLocator.builder().cacheDir(tmp.resolve("cache"))
                .sources(t -> Optional.of(URI.create("http://127.0.0.1:1/RTE.zip")))
                .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(2))
                .progress(progress).build();
        assertThatThrownBy(() -> locator.resolve(Task.RTE, Split.TRAIN))
                .isInstanceOfSatisfying(DataNotFoundException.class, e -> {
                    assertThat(e.getMessage()).contains("Downloading http://127.0.0.1:1/RTE.zip failed",
                            "without network access", "DIR/RTE/train.tsv");
                    assertThat(e.getCause()).isInstanceOf(IOException.class);
                });
        // nothing half-written stays behind, and no download was reported as done
        assertThat(tmp.resolve("cache").toFile().list()).isEmpty();
        assertThat(progress.calls).doesNotContain("ended true");
    }

    @Test
    void downloadsUnpacksAndResolvesFromTheCache() throws IOException {
        Path zip = tmp.resolve("served/RTE.zip");
        Files.createDirectories(zip.getParent());
        writeZip(zip, "RTE/train.tsv", "index\tsentence1\tsentence2\tlabel\n0\ta\tb\tentailment\n",
                "RTE/dev.tsv", "index\tsentence1\tsentence2\tlabel\n");
        Recorder progress = new Recorder();
        DataLocator locator = DataLocator.builder().dataDir(tmp.resolve("empty")).cacheDir(tmp.resolve("cache"))
                .sources(t -> Optional.of(zip.toUri()))
                .progress(progress).build();

        Path train = locator.resolve(Task.RTE, Split.TRAIN);
        assertThat(train).isEqualTo(tmp.resolve("cache/RTE/train.tsv"));
        assertThat(Files.readString(train)).contains("entailment");
        long size = Files.size(zip);
        assertThat(progress.calls).containsExactly("started RTE.zip " + size + " " + zip.toUri(), "ended true");
        assertThat(progress.bytes).isNotEmpty().isSorted();
        assertThat(progress.bytes.get(progress.bytes.size() - 1)).isEqualTo(size);
        try (var listing = Files.list(tmp.resolve("cache"))) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactly("RTE");
        }
        // now cached: resolving dev needs no download
        DataLocator offline = DataLocator.builder().cacheDir(tmp.resolve("cache")).downloads(false).build();
        assertThat(offline.resolve(Task.RTE, Split.DEV)).isEqualTo(tmp.resolve("cache/RTE/dev.tsv"));
    }

    @Test
    void aCorruptCachedArchiveIsDeletedNotReused() throws IOException {
        Fixtures.write(tmp, "cache/CB.zip", "this is not a zip");
        DataLocator locator = DataLocator.builder().cacheDir(tmp.resolve("cache"))
                .sources(t -> Optional.of(URI.create("http://127.0.0.1:1/CB.zip"))).build();
        assertThatThrownBy(() -> locator.resolve(Task.CB, Split.TRAIN))
                .isInstanceOf(DataNotFoundException.class)
                .hasMessageContaining("contains no files");
        assertThat(tmp.resolve("cache/CB.zip")).doesNotExist();
    }

    @Test
    void zipExtractionRefusesEntriesOutsideTheFolder() throws IOException {
        Path zip = tmp.resolve("evil.zip");
        writeZip(zip, "RTE/train.tsv", "x", "../escaped.txt", "boom");
        assertThatThrownBy(() -> ZipExtractor.extract(zip, tmp.resolve("out")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("'../escaped.txt' would be extracted outside");
        assertThat(tmp.resolve("escaped.txt")).doesNotExist();
    }

    @Test
    void zipExtractionReturnsTopLevelEntries() throws IOException {
        Path zip = tmp.resolve("ok.zip");
        writeZip(zip, "CB/train.jsonl", "{}", "CB/val.jsonl", "{}", "__MACOSX/CB/._val.jsonl", "junk");
        assertThat(ZipExtractor.extract(zip, tmp.resolve("out"))).containsExactly(tmp.resolve("out/CB"));
        assertThat(tmp.resolve("out/CB/val.jsonl")).hasContent("{}");
        assertThat(tmp.resolve("out/__MACOSX")).doesNotExist();
        assertThatThrownBy(() -> ZipExtractor.extract(zip, tmp.resolve("out")))
                .hasMessageContaining("the folder is not empty");
    }

    private static void writeZip(Path zip, String... namesAndContents) throws IOException {
        try (OutputStream raw = Files.newOutputStream(zip); ZipOutputStream out = new ZipOutputStream(raw)) {
            for (int i = 0; i < namesAndContents.length; i += 2) {
                out.putNextEntry(new ZipEntry(namesAndContents[i]));
                out.write(namesAndContents[i + 1].getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
    }
}
