package dev.idspam.tools;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The command line's one progress bar, for downloads (bytes, shown in MB) and training (batches):
 * {@code LABEL [#########---------------------]  30%  27.1/90.4 MB, 12.3 MB/s, ETA 0m06s, STATUS}.
 * On a terminal the line is redrawn in place at most five times a second; when the output is a log,
 * one line is printed per tenth of the total, and the last line by {@link #finish}. Libraries draw
 * nothing: they report progress through their listeners, and the command line renders it here.
 */
final class ProgressBar {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 200_000_000L;

    /** What is counted: bytes, shown in MB, or items such as batches. */
    record Unit(String name, double scale, String format) {
        static final Unit BYTES = new Unit("MB", 1e6, "%.1f");

        static Unit count(String name) {
            return new Unit(name, 1, "%.0f");
        }

        String amount(long n) {
            return String.format(Locale.ROOT, format, n / scale);
        }
    }

    private final PrintStream out;
    private final boolean terminal;
    private final String label;
    private final long total;
    private final Unit unit;
    private final long startNanos = System.nanoTime();
    private long lastDrawNanos;
    private int lastTenth;
    private int lastWidth;
    private long done;
    private String status;
    private boolean finished;

    /** @param total the expected count, or a value below 1 when unknown (no bar, no ETA) */
    ProgressBar(PrintStream out, boolean terminal, String label, long total, Unit unit) {
        this.out = out;
        this.terminal = terminal;
        this.label = label;
        this.total = total;
        this.unit = unit;
    }

    /** On standard error; redrawn in place when the JVM runs on a terminal. */
    static ProgressBar stderr(String label, long total, Unit unit) {
        return new ProgressBar(System.err, System.console() != null, label, total, unit);
    }

    /** {@code done} of the total have passed; {@code status} (may be null) is appended, e.g. the running loss. */
    synchronized void update(long done, String status) {
        if (finished) {
            return;
        }
        this.done = done;
        this.status = status;
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                redraw(line(done, status, now));
            }
        } else if (total > 0) {
            int tenth = (int) Math.min(10, done * 10 / total);
            if (tenth > lastTenth && tenth < 10) {
                lastTenth = tenth;
                out.println(line(done, status, System.nanoTime()));
            }
        }
    }

    /** Ends the bar with its last state and {@code note} (e.g. "done, checksum verified"; null for none). */
    synchronized void finish(String note) {
        if (finished) {
            return;
        }
        finished = true;
        String last = line(done, status, System.nanoTime()) + (note == null || note.isEmpty() ? "" : "  " + note);
        if (terminal) {
            redraw(last);
            out.println();
        } else {
            out.println(last);
        }
        out.flush();
    }

    /** Rewrites the current terminal line, blanking what a longer previous line left behind. */
    private void redraw(String line) {
        out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
        out.flush();
        lastWidth = line.length();
    }

    String line(long done, String status, long nowNanos) {
        StringBuilder b = new StringBuilder(label);
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, Math.max(0, done) * WIDTH / total);
            b.append(" [").append("#".repeat(filled)).append("-".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %s/%s %s", Math.min(100, done * 100 / total),
                            unit.amount(done), unit.amount(total), unit.name()));
        } else {
            b.append(' ').append(unit.amount(done)).append(' ').append(unit.name());
        }
        double seconds = (nowNanos - startNanos) / 1e9;
        if (seconds > 0.5) {
            double rate = done / unit.scale() / seconds;
            b.append(String.format(Locale.ROOT, ", %.1f %s/s", rate, unit.name()));
            if (total > 0 && done > 0 && done < total) {
                b.append(", ETA ").append(formatSeconds((total - done) / unit.scale() / rate));
            }
        }
        if (status != null && !status.isEmpty()) {
            b.append(", ").append(status);
        }
        return b.toString();
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
