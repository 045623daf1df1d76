package dev.idspam.tools;

import dev.idspam.datasets.locate.DownloadProgress;
import dev.idspam.graphs.backbone.MavenJarFetcher;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Draws the downloads of catalog jars and data archives with the command line's {@link ProgressBar}:
 * a line naming what arrives from where, then the bar, ended by {@code doneNote} or "failed". Both
 * libraries report downloads with the same three calls, so one class follows both.
 */
final class DownloadBar implements MavenJarFetcher.Progress, DownloadProgress {
    private final PrintStream out;
    private final boolean terminal;
    private final String doneNote;
    private ProgressBar bar;

    /** @param doneNote appended when a download succeeds, e.g. "done, checksum verified" */
    DownloadBar(PrintStream out, boolean terminal, String doneNote) {
        this.out = out;
        this.terminal = terminal;
        this.doneNote = doneNote;
    }

    /** On standard error; redrawn in place when the JVM runs on a terminal. */
    static DownloadBar stderr(String doneNote) {
        return new DownloadBar(System.err, System.console() != null, doneNote);
    }

    @Override
    public synchronized void started(String what, String url, long total) {
        out.println("idspam: downloading " + what + (total > 0 ? String.format(Locale.ROOT, " (%.1f MB)", total / 1e6) : "")
                + " from " + url);
        bar = new ProgressBar(out, terminal, " ", total, ProgressBar.Unit.BYTES);
    }

    @Override
    public synchronized void progressed(long bytes, long total) {
        if (bar != null) {
            bar.update(bytes, null);
        }
    }

    @Override
    public synchronized void ended(boolean ok) {
        if (bar != null) {
            bar.finish(ok ? doneNote : "failed");
            bar = null;
        }
    }
}
