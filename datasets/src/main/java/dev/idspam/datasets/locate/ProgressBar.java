package dev.idspam.datasets.locate;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line text progress bar, redrawn in place with {@code \r}; it redraws only when the shown
 * text changes, so it is cheap to call per buffer.
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintStream out;
    private final String label;
    private final long total;
    private String last = "";

    /** @param total expected byte count, or a negative value when unknown */
    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
    }

    void update(long done) {
        String line = render(done);
        if (!line.equals(last)) {
            out.print('\r');
            out.print(line);
            out.flush();
            last = line;
        }
    }

    void finish(long done) {
        update(done);
        out.println();
        out.flush();
    }

    String render(long done) {
        double mb = done / 1e6;
        if (total <= 0) {
            return String.format(Locale.ROOT, "%s %.1f MB", label, mb);
        }
        double fraction = Math.min(1.0, (double) done / total);
        int filled = (int) Math.round(fraction * WIDTH);
        return String.format(Locale.ROOT, "%s [%s%s] %3d%% %.1f/%.1f MB", label, "#".repeat(filled),
                "-".repeat(WIDTH - filled), (int) Math.floor(fraction * 100), mb, total / 1e6);
    }
}
