package dev.idspam.eval.report.table;

import dev.idspam.eval.stats.Summary;

/**
 * One table cell: the text shown, and for statistic cells the summary behind it (which CSV
 * writes as separate numbers).
 *
 * @param text    display text without markup, e.g. {@code "84.8 ± 1.2"}
 * @param summary the statistic shown, or null for a text cell
 * @param bold    whether the cell is the best of its column
 * @param marks   footnote marks appended to the text (e.g. {@code "†"}), may be empty
 * @param detail  extra information that only CSV shows (e.g. the chosen configuration), may be empty
 */
public record Cell(String text, Summary summary, boolean bold, String marks, String detail) {

    /** Text shown for a missing value. */
    public static final String MISSING = "—";

    public Cell {
        text = text == null ? "" : text;
        marks = marks == null ? "" : marks;
        detail = detail == null ? "" : detail;
    }

    /** A plain text cell. */
    public static Cell text(String text) {
        return new Cell(text, null, false, "", "");
    }

    /** A cell for a value that does not exist. */
    public static Cell missing() {
        return text(MISSING);
    }

    /** A statistic shown as "mean ± sd" with the given decimals. */
    public static Cell stat(Summary summary, int decimals) {
        return new Cell(summary.format(decimals), summary, false, "", "");
    }

    public Cell bolded() {
        return new Cell(text, summary, true, marks, detail);
    }

    /** Appends a footnote mark (kept once). */
    public Cell marked(String mark) {
        return marks.contains(mark) ? this : new Cell(text, summary, bold, marks + mark, detail);
    }

    /** Appends to the text, e.g. a seed count {@code " (n=2)"}. */
    public Cell withSuffix(String suffix) {
        return new Cell(text + suffix, summary, bold, marks, detail);
    }

    public Cell withDetail(String detail) {
        return new Cell(text, summary, bold, marks, detail);
    }
}
