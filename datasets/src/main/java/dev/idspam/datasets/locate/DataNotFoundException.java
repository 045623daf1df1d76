package dev.idspam.datasets.locate;

import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * A task's files are not where {@link DataLocator} looked, and could not be downloaded. The message
 * lists every path tried, why no download happened, and the folder layout the task expects.
 */
public final class DataNotFoundException extends IOException {
    private static final long serialVersionUID = 1L;

    private final transient Task task;
    private final transient Split split;

    DataNotFoundException(Task task, Split split, List<Path> looked, String downloadNote, Throwable cause) {
        super(message(task, split, looked, downloadNote), cause);
        this.task = task;
        this.split = split;
    }

    public Task task() {
        return task;
    }

    public Split split() {
        return split;
    }

    /**
     * Three lines at most: what was looked for and where, why nothing was downloaded, and the
     * layout the task expects (its lines joined by "; ").
     */
    private static String message(Task task, Split split, List<Path> looked, String downloadNote) {
        StringBuilder sb = new StringBuilder("no data for task ").append(task.shortName())
                .append(", split ").append(split).append("; looked in ");
        for (int i = 0; i < looked.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(looked.get(i));
        }
        sb.append('\n').append(downloadNote.replaceAll("\\s*\\n\\s*", " ")).append('\n');
        sb.append("Expected layout (DIR is the folder passed as --data): ")
                .append(String.join("; ", task.layout().lines().map(String::strip).toList()));
        return sb.toString();
    }
}
