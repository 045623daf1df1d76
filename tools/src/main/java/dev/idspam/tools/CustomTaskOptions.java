package dev.idspam.tools;

import com.google.gson.JsonObject;
import dev.idspam.datasets.read.CustomTableReader;
import dev.idspam.datasets.task.CustomTask;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.JsonFields;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code --task} as generate (and the demo) read it: a built-in task by name, or {@code custom}
 * defined by {@code --train/--dev/--dev-split/--text-col/--text-pair-col/--label-col/--regression/
 * --task-name} or by {@code --task-spec FILE}. The custom options are refused with a built-in task.
 * A classification task's labels are fixed here, from the training rows (see {@link CustomTask}).
 */
final class CustomTaskOptions {
    static final String DEFAULT_NAME = CustomTask.ID;
    private static final List<String> OPTIONS = List.of("train", "dev", "dev-split", "text-col", "text-pair-col", "label-col",
            "task-name");

    private CustomTaskOptions() {
    }

    static Task task(Args a) {
        String name = a.get("task");
        boolean regression = a.flag("regression");
        boolean spec = a.has("task-spec");
        boolean custom = name.equals(CustomTask.ID) || spec;
        if (!custom) {
            for (String o : OPTIONS) {
                if (a.has(o)) {
                    throw new Args.UsageException(a.command() + ": --" + o + " applies to --task custom only");
                }
            }
            if (regression) {
                throw new Args.UsageException(a.command() + ": --regression applies to --task custom only");
            }
            return Task.parse(name);
        }
        if (spec && a.has("task") && !name.equals(CustomTask.ID)) {
            throw new Args.UsageException(a.command() + ": --task-spec defines the task; give --task custom or no --task");
        }
        try {
            CustomTask t;
            if (spec) {
                for (String o : OPTIONS) {
                    if (a.has(o)) {
                        throw new Args.UsageException(a.command() + ": --" + o + " and --task-spec both define the task;"
                                + " put it in the spec file");
                    }
                }
                if (regression) {
                    throw new Args.UsageException(a.command() + ": --regression and --task-spec both define the task;"
                            + " put \"regression\": true in the spec file");
                }
                Path file = Path.of(a.get("task-spec", null));
                if (!Files.isRegularFile(file)) {
                    throw new IOException(file + ": task spec file not found");
                }
                JsonObject o = JsonFields.parse(Files.readString(file, StandardCharsets.UTF_8), file).json();
                t = CustomTask.fromJson(o, file.toAbsolutePath().getParent(), file.toString());
            } else {
                for (String required : List.of("train", "text-col", "label-col")) {
                    if (!a.has(required)) {
                        throw new Args.UsageException(a.command() + ": --task custom needs --" + required
                                + " (or a --task-spec file)");
                    }
                }
                double split = a.has("dev-split") ? a.getDouble("dev-split", 0) : 0;
                try {
                    t = new CustomTask(a.get("task-name"), Path.of(a.get("train", null)).toAbsolutePath().normalize(),
                            a.has("dev") ? Path.of(a.get("dev", null)).toAbsolutePath().normalize() : null, split,
                            a.getLong("seed"), a.get("text-col", null), a.get("text-pair-col", null), a.get("label-col", null),
                            List.of(), regression);
                } catch (IllegalArgumentException e) {
                    throw new Args.UsageException(a.command() + ": " + e.getMessage());
                }
            }
            if (!Files.isRegularFile(t.train())) {
                throw new IOException(t.train() + ": the training file of the custom task is not there");
            }
            if (t.dev() != null && !Files.isRegularFile(t.dev())) {
                throw new IOException(t.dev() + ": the dev file of the custom task is not there");
            }
            if (!t.regression() && t.labels().isEmpty()) {
                List<String> labels = CustomTask.labelsFrom(CustomTableReader.trainingLabelValues(t));
                if (labels.size() < 2) {
                    throw new IOException(t.train() + ": column '" + t.labelColumn() + "' holds one label value " + labels
                            + "; a classifier needs at least two (or use --regression)");
                }
                t = t.withLabels(labels);
            }
            return Task.custom(t);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
