package dev.idspam.graphs.backbone;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Shows a download on a stream (stderr for the command line): a bar redrawn in place at most ten
 * times a second on a terminal, one line per tenth of the file when the output is a log.
 */
final class ProgressBar implements MavenJarFetcher.Progress {
    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintStream out;
    private final boolean terminal;
    private long startNanos;
    private long lastDrawNanos;
    private long lastBytes;
    private long lastTotal = -1;
    private int lastTenth;
    private boolean open;

    ProgressBar(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** On stderr; redrawn in place when the JVM runs on a terminal. */
    static ProgressBar stderr() {
        return new ProgressBar(System.err, System.console() != null);
    }

    @Override
    public synchronized void started(String coordinates, String url, long total) {
        startNanos = System.nanoTime();
        lastDrawNanos = 0;
        lastBytes = 0;
        lastTotal = total;
        lastTenth = 0;
        out.println("idspam: downloading " + coordinates + (total > 0 ? " (" + mb(total) + " MB)" : "") + " from " + url);
        open = true;
    }

    @Override
    public synchronized void progressed(long bytes, long total) {
        if (!open) {
            return;
        }
        lastBytes = bytes;
        lastTotal = total;
        if (terminal) {
            long now = System.nanoTime();
            if (now - lastDrawNanos >= REDRAW_NANOS) {
                lastDrawNanos = now;
                out.print("\r" + line(bytes, total));
                out.flush();
            }
        } else if (total > 0) {
            int tenth = (int) Math.min(10, bytes * 10 / total);
            if (tenth > lastTenth && tenth < 10) {
                lastTenth = tenth;
                out.println(line(bytes, total));
            }
        }
    }

    @Override
    public synchronized void ended(boolean ok) {
        if (!open) {
            return;
        }
        open = false;
        String last = line(lastBytes, lastTotal) + (ok ? "  done, checksum verified" : "  failed");
        out.println(terminal ? "\r" + last : last);
    }

    /** {@code  [#########.....................]  27.1 / 90.4 MB  12.3 MB/s} (no bar when the size is unknown). */
    String line(long bytes, long total) {
        StringBuilder b = new StringBuilder("  ");
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, bytes * WIDTH / total);
            b.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(String.format(Locale.ROOT, "%3d%%  %s / %s MB", bytes * 100 / total, mb(bytes), mb(total)));
        } else {
            b.append(mb(bytes)).append(" MB");
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        if (seconds > 0.5) {
            b.append(String.format(Locale.ROOT, "  %.1f MB/s", bytes / 1e6 / seconds));
        }
        return b.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1e6);
    }
}
