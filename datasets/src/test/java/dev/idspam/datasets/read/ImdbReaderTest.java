package dev.idspam.datasets.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImdbReaderTest {

    @TempDir
    Path tmp;

    @Test
    void readsNegThenPosInNameOrder() throws IOException {
        Fixtures.write(tmp, "aclImdb/test/pos/10_9.txt", "Great film.<br /><br />Loved it.");
        Fixtures.write(tmp, "aclImdb/test/pos/2_8.txt", "Good.");
        Fixtures.write(tmp, "aclImdb/test/neg/5_1.txt", "Awful.");
        Fixtures.write(tmp, "aclImdb/test/neg/notes.md", "not a review");
        ReadResult r = DatasetReader.read(Task.IMDB, Split.DEV, tmp.resolve("aclImdb/test"), ReadOptions.strict());
        assertThat(r.source()).isEqualTo("aclImdb/test");
        assertThat(r.examples()).extracting(Example::id)
                .containsExactly("dev/neg/5_1", "dev/pos/10_9", "dev/pos/2_8");
        assertThat(r.examples()).extracting(Example::label).containsExactly(0, 1, 1);
        assertThat(r.examples().get(1).textA()).isEqualTo("Great film.  Loved it.");
    }

    @Test
    void invalidUtf8FileIsNamed() throws IOException {
        Files.createDirectories(tmp.resolve("aclImdb/train/pos"));
        Fixtures.write(tmp, "aclImdb/train/neg/1_2.txt", new byte[] {'o', 'k', (byte) 0xFF});
        assertThatThrownBy(() -> DatasetReader.read(Task.IMDB, Split.TRAIN, tmp.resolve("aclImdb/train"),
                ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("aclImdb/train/neg/1_2.txt: not valid UTF-8");
        ReadResult skipped = DatasetReader.read(Task.IMDB, Split.TRAIN, tmp.resolve("aclImdb/train"),
                ReadOptions.skipBadRows(true));
        assertThat(skipped.skippedRows()).isEqualTo(1);
    }

    @Test
    void emptyReviewIsRefusedOrSkipped() throws IOException {
        Fixtures.write(tmp, "aclImdb/train/neg/1_2.txt", "Dull.");
        Fixtures.write(tmp, "aclImdb/train/pos/3_9.txt", " <br /> \n");
        assertThatThrownBy(() -> DatasetReader.read(Task.IMDB, Split.TRAIN, tmp.resolve("aclImdb/train"),
                ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("aclImdb/train/pos/3_9.txt: the review is empty");
        ReadResult skipped = DatasetReader.read(Task.IMDB, Split.TRAIN, tmp.resolve("aclImdb/train"),
                ReadOptions.skipBadRows(true));
        assertThat(skipped.examples()).extracting(Example::textA).containsExactly("Dull.");
        assertThat(skipped.skippedRows()).isEqualTo(1);
    }

    @Test
    void missingLabelFolderIsAnError() throws IOException {
        Fixtures.write(tmp, "aclImdb/train/pos/1_9.txt", "x");
        assertThatThrownBy(() -> DatasetReader.read(Task.IMDB, Split.TRAIN, tmp.resolve("aclImdb/train"),
                ReadOptions.strict()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("neg");
    }
}
