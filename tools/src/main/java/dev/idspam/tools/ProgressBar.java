package dev.idspam.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar on stderr with rate, ETA and a free-form status (the running loss).
 * Redraws at most a few times per second; prints plain lines when stderr is not a terminal.
 */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final String unit;
    private final long start = System.nanoTime();
    private final boolean terminal = System.console() != null;
    private long lastDraw;
    private long lastPlainPercent = -1;

    ProgressBar(String label, long total, String unit) {
        this.out = System.err;
        this.label = label;
        this.total = Math.max(1, total);
        this.unit = unit;
    }

    void update(long done, String status) {
        long now = System.nanoTime();
        boolean finished = done >= total;
        if (!finished && now - lastDraw < 250_000_000L) {
            return;
        }
        lastDraw = now;
        double secs = (now - start) / 1e9;
        double rate = done / Math.max(secs, 1e-9);
        double eta = rate > 0 ? (total - done) / rate : Double.NaN;
        int width = 28;
        int filled = (int) Math.min(width, width * done / total);
        String bar = "#".repeat(filled) + "-".repeat(width - filled);
        String line = String.format(Locale.ROOT, "%s [%s] %d/%d %s, %.1f %s/s, ETA %s%s", label, bar, done, total, unit,
                rate, unit, formatSeconds(eta), status == null || status.isEmpty() ? "" : ", " + status);
        if (terminal) {
            out.print("\r" + line + (finished ? "\n" : ""));
        } else {
            long percent = 10 * done / total;
            if (percent != lastPlainPercent || finished) {
                lastPlainPercent = percent;
                out.println(line);
            }
        }
        out.flush();
    }

    static String formatSeconds(double s) {
        if (Double.isNaN(s) || Double.isInfinite(s)) {
            return "?";
        }
        long t = Math.round(s);
        return t >= 3600 ? String.format(Locale.ROOT, "%dh%02dm", t / 3600, (t % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", t / 60, t % 60);
    }
}
