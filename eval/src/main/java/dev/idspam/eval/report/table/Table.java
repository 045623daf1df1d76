package dev.idspam.eval.report.table;

import java.util.ArrayList;
import java.util.List;

/**
 * A report table: a title, a header row, body rows of {@link Cell}s and footnotes. Every row has
 * as many cells as the header has columns.
 *
 * @param id     file name stem, e.g. {@code "glue_roberta-base"}
 * @param title  heading printed above the table
 * @param header column names
 * @param rows   body rows
 * @param notes  footnotes, printed below the table in order
 */
public record Table(String id, String title, List<String> header, List<List<Cell>> rows,
                    List<String> notes) {

    public Table {
        if (id == null || !id.matches("[a-z0-9][a-z0-9_.-]*")) {
            throw new IllegalArgumentException("table id '" + id
                    + "' must be lower-case letters, digits, '_', '.', '-' (it names files)");
        }
        header = List.copyOf(header);
        List<List<Cell>> copy = new ArrayList<>();
        for (int r = 0; r < rows.size(); r++) {
            List<Cell> row = rows.get(r);
            if (row.size() != header.size()) {
                throw new IllegalArgumentException("table " + id + " row " + r + " has " + row.size()
                        + " cells but the header has " + header.size() + " columns");
            }
            copy.add(List.copyOf(row));
        }
        rows = List.copyOf(copy);
        notes = List.copyOf(notes);
    }

    /** The cell at body row r, column c. */
    public Cell cell(int r, int c) {
        return rows.get(r).get(c);
    }
}
