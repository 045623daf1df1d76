package dev.idspam.datasets.read;

import dev.idspam.datasets.locate.DataLocator;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reads a task's split from its official files into {@link Example}s. */
public final class DatasetReader {

    private DatasetReader() {
    }

    /**
     * Finds the split with {@code locator} (downloading it if the locator may) and reads it.
     *
     * @throws dev.idspam.datasets.locate.DataNotFoundException if the files cannot be found
     * @throws DatasetFormatException on the first bad row, unless {@code options} skips bad rows
     */
    public static ReadResult read(Task task, Split split, DataLocator locator, ReadOptions options)
            throws IOException {
        return read(task, split, locator.resolve(task, split), options);
    }

    /**
     * Reads a split from an explicit file ({@code train.tsv}, {@code val.jsonl}) or, for IMDB, a
     * split folder ({@code aclImdb/train}).
     *
     * @throws DatasetFormatException on the first bad row, unless {@code options} skips bad rows
     */
    public static ReadResult read(Task task, Split split, Path path, ReadOptions options)
            throws IOException {
        task.fileName(split); // rejects splits the task does not have
        if (!Files.exists(path)) {
            throw new NoSuchFileException(path.toString(), null,
                    "no data for " + task.shortName() + " " + split + "; expected layout:\n" + task.layout());
        }
        String source = displayName(path);
        switch (task.format()) {
            case GLUE_TSV:
                return GlueTsvReader.read(task, split, path, source, options);
            case SUPERGLUE_JSONL:
                return SuperGlueReader.read(task, split, path, source, options);
            case IMDB_FOLDERS:
                return ImdbReader.read(task, split, path, source, options);
            case CUSTOM_TABLE:
                return CustomTableReader.read(task, split, path, path.toString(), options);
            default:
                throw new IllegalStateException("unhandled format " + task.format());
        }
    }

    /** {@code RTE/train.tsv}: the file name with its parent folder, as messages show it. */
    static String displayName(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Path name = absolute.getFileName();
        if (name == null) {
            return absolute.toString();
        }
        if (parent == null || parent.getFileName() == null) {
            return name.toString();
        }
        return parent.getFileName() + "/" + name;
    }
}
