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

    private static String message(Task task, Split split, List<Path> looked, String downloadNote) {
        StringBuilder sb = new StringBuilder("no data for task ").append(task.shortName())
                .append(", split ").append(split).append(". Looked for:\n");
        for (Path p : looked) {
            sb.append("  ").append(p).append('\n');
        }
        sb.append(downloadNote).append('\n');
        sb.append("Expected layout (DIR is the folder passed as --data):\n").append(task.layout());
        return sb.toString();
    }
}
