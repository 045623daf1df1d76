package dev.idspam.eval.report.table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders a {@link Table} as RFC 4180 CSV for further analysis. A column whose cells hold
 * statistics becomes three numeric columns ({@code "<name> mean"}, {@code "<name> sd"},
 * {@code "<name> n"}); a column with footnote marks or details gets a {@code "<name> note"}
 * column. Footnotes are not written.
 */
public final class CsvTable {

    private CsvTable() {
    }

    /** The table as CSV with a header line; lines end with CRLF as RFC 4180 asks. */
    public static String render(Table t) {
        int columns = t.header().size();
        boolean[] stat = new boolean[columns];
        boolean[] note = new boolean[columns];
        for (List<Cell> row : t.rows()) {
            for (int c = 0; c < columns; c++) {
                Cell cell = row.get(c);
                stat[c] |= cell.summary() != null;
                note[c] |= !cell.marks().isEmpty() || !cell.detail().isEmpty();
            }
        }
        StringBuilder s = new StringBuilder();
        List<String> header = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            String name = t.header().get(c);
            if (stat[c]) {
                header.add(name + " mean");
                header.add(name + " sd");
                header.add(name + " n");
            } else {
                header.add(name);
            }
            if (note[c]) {
                header.add(name + " note");
            }
        }
        line(s, header);
        for (List<Cell> row : t.rows()) {
            List<String> out = new ArrayList<>();
            for (int c = 0; c < columns; c++) {
                Cell cell = row.get(c);
                if (stat[c]) {
                    if (cell.summary() == null) {
                        out.add("");
                        out.add("");
                        out.add("");
                    } else {
                        out.add(number(cell.summary().mean()));
                        out.add(number(cell.summary().sd()));
                        out.add(Integer.toString(cell.summary().n()));
                    }
                } else {
                    out.add(Cell.MISSING.equals(cell.text()) ? "" : cell.text());
                }
                if (note[c]) {
                    String marks = cell.marks();
                    String detail = cell.detail();
                    out.add(marks.isEmpty() ? detail : detail.isEmpty() ? marks : marks + " " + detail);
                }
            }
            line(s, out);
        }
        return s.toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.4f", v) : "";
    }

    private static void line(StringBuilder s, List<String> fields) {
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                s.append(',');
            }
            s.append(quote(fields.get(i)));
        }
        s.append("\r\n");
    }

    static String quote(String field) {
        if (field.contains(",") || field.contains("\"") || field.contains("\n") || field.contains("\r")) {
            return '"' + field.replace("\"", "\"\"") + '"';
        }
        return field;
    }
}
