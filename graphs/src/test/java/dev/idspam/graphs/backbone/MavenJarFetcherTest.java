package dev.idspam.graphs.backbone;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Fetching from a {@code file:} repository laid out here: no network. */
class MavenJarFetcherTest {
    private static final String COORDS = "org.example.models:tiny-model:1.0";
    private static final String DIR = "org/example/models/tiny-model/1.0/";
    private static final String JAR = "tiny-model-1.0.jar";

    @TempDir
    Path tmp;

    /** Records every call, in order. */
    static final class Recorder implements MavenJarFetcher.Progress {
        final List<String> calls = new ArrayList<>();
        final List<Long> bytes = new ArrayList<>();

        @Override
        public void started(String coordinates, String url, long total) {
            calls.add("started " + coordinates + " " + total + " " + url);
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

    private static byte[] jarBytes() {
        byte[] b = new byte[300_000];
        new Random(7).nextBytes(b);
        return b;
    }

    private static String hex(String algorithm, byte[] data) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(data));
    }

    /** A remote repository holding the jar with the given .sha1 and .md5 contents (null: no such file). */
    private Path remote(byte[] jar, String sha1, String md5) throws IOException {
        Path remote = tmp.resolve("remote");
        Path dir = Files.createDirectories(remote.resolve(DIR));
        Files.write(dir.resolve(JAR), jar);
        if (sha1 != null) {
            Files.writeString(dir.resolve(JAR + ".sha1"), sha1);
        }
        if (md5 != null) {
            Files.writeString(dir.resolve(JAR + ".md5"), md5);
        }
        return remote;
    }

    private static boolean hasJar(Path repo) throws IOException {
        if (!Files.exists(repo)) {
            return false;
        }
        try (Stream<Path> s = Files.walk(repo)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".jar"));
        }
    }

    @Test
    void installsAJarWhoseChecksumsMatchAndReportsProgress() throws Exception {
        byte[] jar = jarBytes();
        Path remote = remote(jar, hex("SHA-1", jar), hex("MD5", jar));
        Path local = tmp.resolve("local");
        Recorder progress = new Recorder();

        Path fetched = new MavenJarFetcher(local, remote.toUri().toString(), false, progress).fetch(COORDS);

        assertThat(fetched).isEqualTo(local.resolve(DIR + JAR));
        assertThat(Files.readAllBytes(fetched)).isEqualTo(jar);
        assertThat(progress.calls).hasSize(2);
        assertThat(progress.calls.get(0)).startsWith("started " + COORDS + " " + jar.length + " file:").endsWith(DIR + JAR);
        assertThat(progress.calls.get(1)).isEqualTo("ended true");
        assertThat(progress.bytes).isNotEmpty().isSorted();
        assertThat(progress.bytes.get(progress.bytes.size() - 1)).isEqualTo(jar.length);
        // Only the jar: no POM, so no dependency was looked at.
        try (Stream<Path> s = Files.list(local.resolve(DIR))) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".pom"));
        }
    }

    @Test
    void refusesAJarWhoseSha1DoesNotMatch() throws Exception {
        byte[] jar = jarBytes();
        byte[] other = "not the jar".getBytes(StandardCharsets.UTF_8);
        Path remote = remote(jar, hex("SHA-1", other), hex("MD5", jar));
        Path local = tmp.resolve("local");
        Recorder progress = new Recorder();

        assertThatThrownBy(() -> new MavenJarFetcher(local, remote.toUri().toString(), false, progress).fetch(COORDS))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("checksum verification failed for " + COORDS + " from central (" + remote.toUri())
                .hasMessageContaining(hex("SHA-1", other))
                .hasMessageEndingWith("the download was discarded");
        assertThat(hasJar(local)).isFalse();
        assertThat(progress.calls).contains("ended false").doesNotContain("ended true");
    }

    @Test
    void refusesAJarWhoseOnlyChecksumIsAWrongMd5() throws Exception {
        byte[] jar = jarBytes();
        Path remote = remote(jar, null, hex("MD5", "x".getBytes(StandardCharsets.UTF_8)));
        Path local = tmp.resolve("local");
        assertThatThrownBy(() -> new MavenJarFetcher(local, remote.toUri().toString(), false, new Recorder()).fetch(COORDS))
                .hasMessageStartingWith("checksum verification failed for " + COORDS);
        assertThat(hasJar(local)).isFalse();
    }

    @Test
    void refusesAJarThatHasNoChecksumAtAll() throws Exception {
        byte[] jar = jarBytes();
        Path remote = remote(jar, null, null);
        Path local = tmp.resolve("local");
        assertThatThrownBy(() -> new MavenJarFetcher(local, remote.toUri().toString(), false, new Recorder()).fetch(COORDS))
                .hasMessageStartingWith("checksum verification failed for " + COORDS);
        assertThat(hasJar(local)).isFalse();
    }

    @Test
    void namesTheCoordinatesWhenTheJarIsMissingAndRetriesLater() throws Exception {
        Path remote = Files.createDirectories(tmp.resolve("remote"));
        Path local = tmp.resolve("local");
        MavenJarFetcher fetcher = new MavenJarFetcher(local, remote.toUri().toString(), false, new Recorder());
        assertThatThrownBy(() -> fetcher.fetch(COORDS))
                .hasMessageStartingWith("could not download " + COORDS + " from central (" + remote.toUri() + ") into " + local);
        // The failure is not remembered: once the jar is published, the next attempt gets it.
        byte[] jar = jarBytes();
        remote(jar, hex("SHA-1", jar), null);
        assertThat(Files.readAllBytes(fetcher.fetch(COORDS))).isEqualTo(jar);
    }

    @Test
    void offlineDownloadsNothing() throws Exception {
        byte[] jar = jarBytes();
        Path remote = remote(jar, hex("SHA-1", jar), hex("MD5", jar));
        Path local = tmp.resolve("local");
        Recorder progress = new Recorder();
        assertThatThrownBy(() -> new MavenJarFetcher(local, remote.toUri().toString(), true, progress).fetch(COORDS))
                .hasMessage("cannot download " + COORDS + " (offline mode) and it is not in " + local);
        assertThat(progress.calls).isEmpty();
        assertThat(hasJar(local)).isFalse();
    }

    @Test
    void settingsMirrorReplacesCentralAndOfflineIsHonoured() throws Exception {
        byte[] jar = jarBytes();
        Path remote = remote(jar, hex("SHA-1", jar), hex("MD5", jar));
        String settings = """
                <settings xmlns="http://maven.apache.org/SETTINGS/1.0.0">
                  <localRepository>${user.home}/somewhere</localRepository>
                  <offline>%s</offline>
                  <mirrors>
                    <mirror><id>other</id><url>file:///nowhere/</url><mirrorOf>snapshots</mirrorOf></mirror>
                    <mirror><id>company</id><url>%s</url><mirrorOf>*</mirrorOf></mirror>
                  </mirrors>
                </settings>""";
        Path online = Files.writeString(tmp.resolve("settings.xml"), settings.formatted("false", remote.toUri()));
        MavenSettings s = MavenSettings.read(online);
        assertThat(s.localRepositoryPath()).isEqualTo(Path.of(System.getProperty("user.home"), "somewhere"));
        assertThat(s.offline()).isFalse();

        Path local = tmp.resolve("local");
        Recorder progress = new Recorder();
        // Central's https address is never contacted: the mirror answers from the file: repository.
        Path fetched = new MavenJarFetcher(local, MavenJarFetcher.CENTRAL_URL, s, progress).fetch(COORDS);
        assertThat(Files.readAllBytes(fetched)).isEqualTo(jar);
        assertThat(progress.calls.get(0)).contains(remote.toUri().toString());

        Path offline = Files.writeString(tmp.resolve("offline.xml"), settings.formatted("true", remote.toUri()));
        Path local2 = tmp.resolve("local2");
        assertThatThrownBy(() -> new MavenJarFetcher(local2, MavenJarFetcher.CENTRAL_URL, MavenSettings.read(offline),
                new Recorder()).fetch(COORDS))
                .hasMessage("cannot download " + COORDS + " (Maven settings " + offline + " say offline) and it is not in " + local2);

        assertThat(MavenSettings.read(tmp.resolve("absent.xml"))).isEqualTo(MavenSettings.NONE);
        Path broken = Files.writeString(tmp.resolve("broken.xml"), "<settings><mirrors>");
        assertThatThrownBy(() -> MavenSettings.read(broken)).hasMessageStartingWith("Maven settings " + broken + ": ");
    }
}
