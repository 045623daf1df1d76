package dev.idspam.datasets.read;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import dev.idspam.datasets.batch.SeededShuffle;
import dev.idspam.datasets.task.CustomTask;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the files of a {@link CustomTask}: CSV (comma-separated, RFC 4180 quoting: a field in
 * double quotes may hold commas, line breaks and doubled quotes), TSV (tab-separated, no quoting,
 * as GLUE's files) or JSON lines (one object per line; text fields must be strings, a regression
 * target a number or a numeric string). CSV and TSV files start with a header row naming the
 * columns. Errors name the file, the line a row starts on and the column or field.
 */
public final class CustomTableReader {
    private CustomTableReader() {
    }

    private static final java.util.regex.Pattern DECIMAL =
            java.util.regex.Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

    /** One raw row: the line it starts on and its values by column name. */
    private record Row(long line, Map<String, String> values) {
    }

    static ReadResult read(Task task, Split split, Path file, String source, ReadOptions options) throws IOException {
        CustomTask spec = task.customSpec().orElseThrow(() -> new IllegalArgumentException(task + " is not a custom task"));
        BadRows bad = new BadRows(options);
        int[] blank = new int[1];
        List<Row> rows = rows(spec, file, source, bad, blank);
        if (spec.dev() == null) {
            rows = cut(rows, spec.devSplit(), spec.seed(), split == Split.DEV);
        }
        List<Example> out = new ArrayList<>(rows.size());
        long ordinal = 0;
        for (Row r : rows) {
            try {
                out.add(example(task, spec, r, source, split.label() + "-" + ordinal));
            } catch (DatasetFormatException e) {
                bad.reject(e);
            }
            ordinal++;
        }
        return bad.result(source, out, blank[0]);
    }

    /**
     * The distinct values of the label column in the training rows (with a dev split, those the
     * split leaves for training), for fixing a classification task's labels.
     */
    public static Set<String> trainingLabelValues(CustomTask spec) throws IOException {
        String source = spec.train().toString();
        BadRows bad = new BadRows(ReadOptions.strict());
        List<Row> rows = rows(spec, spec.train(), source, bad, new int[1]);
        if (spec.dev() == null) {
            rows = cut(rows, spec.devSplit(), spec.seed(), false);
        }
        Set<String> values = new LinkedHashSet<>();
        for (Row r : rows) {
            String v = r.values().get(spec.labelColumn());
            if (v == null || v.isBlank()) {
                throw new DatasetFormatException(source, r.line(), spec.labelColumn(), "column '" + spec.labelColumn()
                        + "' is empty; every training row needs a label");
            }
            values.add(v.strip());
        }
        if (values.isEmpty()) {
            throw new DatasetFormatException(source, 0, spec.labelColumn(), "no training rows");
        }
        return values;
    }

    /** The held-out share of a one-file task: a seeded shuffle picks the dev rows; both parts keep file order. */
    private static List<Row> cut(List<Row> rows, double devSplit, long seed, boolean dev) {
        int n = rows.size();
        int devCount = (int) Math.round(devSplit * n);
        boolean[] isDev = new boolean[n];
        for (int i : SeededShuffle.first(n, devCount, seed)) {
            isDev[i] = true;
        }
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            if (isDev[i] == dev) {
                out.add(rows.get(i));
            }
        }
        return out;
    }

    private static Example example(Task task, CustomTask spec, Row r, String source, String id) throws DatasetFormatException {
        String a = text(r, spec.textColumn(), source);
        String b = spec.textPairColumn() == null ? null : text(r, spec.textPairColumn(), source);
        String label = r.values().get(spec.labelColumn());
        if (label == null || label.isBlank()) {
            throw new DatasetFormatException(source, r.line(), spec.labelColumn(), "column '" + spec.labelColumn()
                    + "' is empty; expected " + (spec.regression() ? "a number" : "one of " + spec.labels()));
        }
        label = label.strip();
        if (spec.regression()) {
            // a plain decimal number (optional sign, fraction, exponent); Java's own suffixes and hex
            // forms ("1f", "0x1p3") are not numbers in a user's file
            float target = DECIMAL.matcher(label).matches() ? Float.parseFloat(label) : Float.NaN;
            if (!Float.isFinite(target)) {
                throw new DatasetFormatException(source, r.line(), spec.labelColumn(), "column '" + spec.labelColumn()
                        + "': '" + shorten(label) + "' is not a finite number");
            }
            return Example.regression(id, a, b, target);
        }
        int index = task.labelIndex(label);
        if (index < 0) {
            throw new DatasetFormatException(source, r.line(), spec.labelColumn(), "column '" + spec.labelColumn()
                    + "': label '" + shorten(label) + "' is not one of the task's labels " + spec.labels()
                    + " (fixed from the training rows when the artifacts were generated)");
        }
        return Example.classification(id, a, b, index);
    }

    private static String text(Row r, String column, String source) throws DatasetFormatException {
        String v = r.values().get(column);
        if (v == null || v.isBlank()) {
            throw new DatasetFormatException(source, r.line(), column, "column '" + column + "' is empty; expected a text");
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }

    // ---- the three formats ----

    private static List<Row> rows(CustomTask spec, Path file, String source, BadRows bad, int[] blank) throws IOException {
        CustomTask.Format format = CustomTask.format(file);
        List<String> needed = new ArrayList<>(List.of(spec.textColumn()));
        if (spec.textPairColumn() != null) {
            needed.add(spec.textPairColumn());
        }
        needed.add(spec.labelColumn());
        List<Row> rows = new ArrayList<>();
        try (Utf8Lines lines = new Utf8Lines(file, source)) {
            if (format == CustomTask.Format.JSONL) {
                for (String line; (line = lines.next()) != null; ) {
                    if (line.isBlank()) {
                        blank[0]++;
                        continue;
                    }
                    try {
                        rows.add(jsonRow(line, lines.number(), needed, source));
                    } catch (DatasetFormatException e) {
                        bad.reject(e);
                    }
                }
                return rows;
            }
            char sep = format == CustomTask.Format.CSV ? ',' : '\t';
            boolean quoting = format == CustomTask.Format.CSV;
            String first = lines.next();
            if (first == null) {
                throw new DatasetFormatException(source, 0, "header", "file is empty; expected a header row with columns "
                        + needed);
            }
            List<String> header = new ArrayList<>();
            for (String h : split(first, sep, quoting, lines, source)) {
                header.add(h.strip().replace("\uFEFF", ""));
            }
            for (String column : needed) {
                if (!header.contains(column)) {
                    throw new DatasetFormatException(source, 1, column, "no column '" + column + "'; the header has "
                            + header);
                }
            }
            for (String line; (line = lines.next()) != null; ) {
                long start = lines.number();
                if (line.isBlank()) {
                    blank[0]++;
                    continue;
                }
                List<String> cells;
                try {
                    cells = split(line, sep, quoting, lines, source);
                } catch (DatasetFormatException e) {
                    bad.reject(e);
                    continue;
                }
                if (cells.size() != header.size()) {
                    bad.reject(new DatasetFormatException(source, start, "row", "expected " + header.size() + " "
                            + (quoting ? "comma" : "tab") + "-separated fields (the header's), found " + cells.size()));
                    continue;
                }
                Map<String, String> values = new java.util.HashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    values.put(header.get(i), cells.get(i));
                }
                rows.add(new Row(start, values));
            }
        }
        return rows;
    }

    private static Row jsonRow(String line, long number, List<String> needed, String source) throws DatasetFormatException {
        JsonElement e;
        try {
            e = JsonParser.parseString(line);
        } catch (JsonParseException x) {
            throw new DatasetFormatException(source, number, "json", "malformed JSON");
        }
        if (!e.isJsonObject()) {
            throw new DatasetFormatException(source, number, "json", "expected a JSON object");
        }
        JsonObject o = e.getAsJsonObject();
        Map<String, String> values = new java.util.HashMap<>();
        for (String k : needed) {
            JsonElement v = o.get(k);
            if (v == null || v.isJsonNull()) {
                throw new DatasetFormatException(source, number, k, "field '" + k + "' is missing");
            }
            if (!v.isJsonPrimitive()) {
                throw new DatasetFormatException(source, number, k, "field '" + k + "' must be a string or a number");
            }
            values.put(k, v.getAsString());
        }
        return new Row(number, values);
    }

    /**
     * The fields of one record. With quoting (CSV), a quoted field may continue on the following
     * lines, which are then taken from {@code lines}; an unclosed quote at the end of the file is an
     * error naming the line the record started on.
     */
    private static List<String> split(String line, char sep, boolean quoting, Utf8Lines lines, String source)
            throws IOException {
        List<String> out = new ArrayList<>();
        if (!quoting) {
            out.addAll(Arrays.asList(line.split(String.valueOf(sep), -1)));
            return out;
        }
        long start = lines.number();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        boolean wasQuoted = false;
        String rest = line;
        int i = 0;
        while (true) {
            if (i == rest.length()) {
                if (!quoted) {
                    break;
                }
                String next = lines.next();
                if (next == null) {
                    throw new DatasetFormatException(source, start, "row", "a quoted field is not closed before the end"
                            + " of the file");
                }
                cell.append('\n');
                rest = next;
                i = 0;
                continue;
            }
            char c = rest.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < rest.length() && rest.charAt(i + 1) == '"') {
                        cell.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    cell.append(c);
                }
                i++;
                continue;
            }
            if (c == '"' && cell.length() == 0 && !wasQuoted) {
                quoted = true;
                wasQuoted = true;
            } else if (c == sep) {
                out.add(cell.toString());
                cell.setLength(0);
                wasQuoted = false;
            } else if (c == '"') {
                throw new DatasetFormatException(source, start, "row", "a double quote inside an unquoted field; quote the"
                        + " field and double the quote (\"\")");
            } else if (wasQuoted && c != '\r') {
                throw new DatasetFormatException(source, start, "row", "text after a closing quote; a quoted field ends"
                        + " at its separator");
            } else if (c != '\r') {
                cell.append(c);
            }
            i++;
        }
        out.add(cell.toString());
        return out;
    }
}
