package dev.idspam.datasets.read;

import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.task.TaskFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads GLUE tab-separated files. Fields are split on tabs only: GLUE text contains quote
 * characters that are part of the text, so there is no CSV-style quoting. Columns are found by
 * header name (a byte order mark on the first cell, as in MRPC, is ignored); CoLA has no header
 * and uses the column names its {@link Task} declares.
 */
final class GlueTsvReader {

    private GlueTsvReader() {
    }

    static ReadResult read(Task task, Split split, Path file, String source, ReadOptions options)
            throws IOException {
        if (task.format() != TaskFormat.GLUE_TSV) {
            throw new IllegalArgumentException("task " + task.shortName() + " is not a GLUE TSV task");
        }
        BadRows bad = new BadRows(options);
        List<Example> examples = new ArrayList<>();
        int blank = 0;
        try (Utf8Lines lines = new Utf8Lines(file, source)) {
            List<String> columns = task.headerlessColumns();
            if (columns.isEmpty()) {
                String header = lines.next();
                if (header == null) {
                    throw new DatasetFormatException(source, 0, "header",
                            "file is empty; expected a header row with columns " + requiredColumns(task));
                }
                columns = new ArrayList<>();
                for (String name : header.split("\t", -1)) {
                    columns.add(name.strip());
                }
                columns = List.copyOf(columns);
            }
            Layout layout = new Layout(task, columns, source);
            long ordinal = 0;
            String line;
            while (true) {
                try {
                    line = lines.next();
                } catch (DatasetFormatException badEncoding) {
                    ordinal++;
                    bad.reject(badEncoding);
                    continue;
                }
                if (line == null) {
                    break;
                }
                if (line.isBlank() && line.indexOf('\t') < 0) {
                    blank++; // a line of tabs is a row of empty cells, and is checked as one
                    continue;
                }
                try {
                    examples.add(layout.example(line, lines.number(), split.label() + "-" + ordinal));
                } catch (DatasetFormatException e) {
                    bad.reject(e);
                }
                ordinal++;
            }
        }
        return bad.result(source, examples, blank);
    }

    private static List<String> requiredColumns(Task task) {
        List<String> required = new ArrayList<>(task.textColumns());
        required.add(task.labelColumn());
        return required;
    }

    /** Column positions of one file, resolved once from its header. */
    private static final class Layout {
        private final Task task;
        private final List<String> columns;
        private final String source;
        private final int textA;
        private final int textB;
        private final int label;
        private final int id;

        Layout(Task task, List<String> columns, String source) {
            this.task = task;
            this.columns = columns;
            this.source = source;
            List<String> text = task.textColumns();
            this.textA = require(text.get(0));
            this.textB = text.size() > 1 ? require(text.get(1)) : -1;
            this.label = require(task.labelColumn());
            this.id = task.idColumn().map(columns::indexOf).orElse(-1);
        }

        private int require(String name) {
            int index = columns.indexOf(name);
            if (index < 0) {
                throw new DatasetFormatException(source, 1, name,
                        "header has no column '" + name + "'; found " + columns
                                + "; expected the columns of " + task.folder() + ": " + requiredColumns(task));
            }
            return index;
        }

        /** A text cell; an empty (or all-blank) text is a bad row, there is nothing to classify. */
        private String text(String[] cells, int column, long number) {
            String t = cells[column];
            if (t.isBlank()) {
                throw new DatasetFormatException(source, number, columns.get(column),
                        "text column '" + columns.get(column) + "' is empty");
            }
            return t;
        }

        Example example(String line, long number, String fallbackId) {
            String[] cells = line.split("\t", -1);
            if (cells.length != columns.size()) {
                throw new DatasetFormatException(source, number, "columns",
                        "expected " + columns.size() + " tab-separated columns " + columns
                                + " but found " + cells.length);
            }
            String exampleId = fallbackId;
            if (id >= 0) {
                exampleId = cells[id].strip();
                if (exampleId.isEmpty()) {
                    throw new DatasetFormatException(source, number, columns.get(id),
                            columns.get(id) + " is empty");
                }
            }
            String a = text(cells, textA, number);
            String b = textB >= 0 ? text(cells, textB, number) : null;
            String labelName = columns.get(label);
            String value = cells[label].strip();
            if (task.regression()) {
                float target;
                try {
                    target = Float.parseFloat(value);
                } catch (NumberFormatException e) {
                    throw new DatasetFormatException(source, number, labelName,
                            labelName + " '" + value + "' is not a number");
                }
                if (!Float.isFinite(target)) {
                    throw new DatasetFormatException(source, number, labelName,
                            labelName + " '" + value + "' is not a finite number");
                }
                return Example.regression(exampleId, a, b, target);
            }
            int index = task.labelIndex(value);
            if (index < 0) {
                throw new DatasetFormatException(source, number, labelName,
                        labelName + " '" + value + "' is not one of " + task.labels());
            }
            return Example.classification(exampleId, a, b, index);
        }
    }
}
