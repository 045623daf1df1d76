package dev.idspam.eval.report;

import java.util.Locale;

/** File-name stems for report files. */
final class Names {

    private Names() {
    }

    /** Lower-case, with every run of characters other than [a-z0-9_.-] turned into '-'. */
    static String slug(String text) {
        String s = text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-")
                .replaceAll("^[-_.]+", "").replaceAll("-+$", "");
        return s.isEmpty() ? "x" : s;
    }
}
