package dev.idspam.eval.report.table;

import java.util.List;

/** Renders a {@link Table} as GitHub-flavoured Markdown: heading, pipe table, footnotes. */
public final class MarkdownTable {

    private MarkdownTable() {
    }

    /** The table as Markdown, ending with a line break. */
    public static String render(Table t) {
        StringBuilder s = new StringBuilder();
        s.append("## ").append(t.title()).append("\n\n");
        row(s, t.header().stream().map(MarkdownTable::escape).toList());
        s.append('|');
        for (int c = 0; c < t.header().size(); c++) {
            s.append(c == 0 ? " --- |" : " ---: |");
        }
        s.append('\n');
        for (List<Cell> cells : t.rows()) {
            row(s, cells.stream().map(MarkdownTable::cellText).toList());
        }
        if (!t.notes().isEmpty()) {
            s.append('\n');
            for (String note : t.notes()) {
                s.append(escape(note)).append("\\\n");
            }
            // The last note ends the paragraph without a hard break.
            s.setLength(s.length() - 2);
            s.append('\n');
        }
        return s.toString();
    }

    /** The cell as Markdown: bold when best, then its footnote marks. */
    static String cellText(Cell c) {
        String text = escape(c.text());
        if (c.bold() && !text.isEmpty()) {
            text = "**" + text + "**";
        }
        return text + escape(c.marks());
    }

    private static void row(StringBuilder s, List<String> cells) {
        s.append('|');
        for (String c : cells) {
            s.append(' ').append(c).append(" |");
        }
        s.append('\n');
    }

    private static String escape(String text) {
        return text.replace("|", "\\|").replace("\n", " ");
    }
}
