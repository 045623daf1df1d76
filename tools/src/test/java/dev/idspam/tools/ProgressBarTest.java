package dev.idspam.tools;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The command line's one progress bar, as downloads and training draw it. */
class ProgressBarTest {
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    @Test
    void aJarDownloadInALogPrintsATenthPerLineAndTheChecksumNote() {
        DownloadBar bar = new DownloadBar(out, false, "done, checksum verified");
        bar.started("org.example:tiny:1.0", "https://repo/x.jar", 1_000_000);
        for (long b = 0; b <= 1_000_000; b += 50_000) {
            bar.progressed(b, 1_000_000);
        }
        bar.ended(true);
        List<String> lines = buf.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("idspam: downloading org.example:tiny:1.0 (1.0 MB) from https://repo/x.jar");
        assertThat(lines).hasSize(1 + 9 + 1);
        assertThat(lines.get(1)).startsWith("  [###---------------------------]  10%  0.1/1.0 MB");
        assertThat(lines.get(10)).startsWith("  [##############################] 100%  1.0/1.0 MB")
                .endsWith("  done, checksum verified");
    }

    @Test
    void aFailedDownloadOnATerminalIsRedrawnInPlaceAndSaysFailed() {
        DownloadBar bar = new DownloadBar(out, true, "done");
        bar.started("RTE.zip", "https://host/RTE.zip", -1);
        bar.progressed(1_500_000, -1);
        bar.ended(false);
        bar.progressed(2_000_000, -1); // after the end: ignored
        String text = buf.toString(StandardCharsets.UTF_8);
        assertThat(text).startsWith("idspam: downloading RTE.zip from https://host/RTE.zip" + System.lineSeparator()
                + "\r  1.5 MB");
        assertThat(text).endsWith("1.5 MB  failed" + System.lineSeparator()).doesNotContain("2.0 MB");
    }

    @Test
    void trainingStepsShowCountRateAndEta() {
        ProgressBar bar = new ProgressBar(out, false, "epoch 1/3", 10, ProgressBar.Unit.count("batches"));
        assertThat(bar.line(5, "loss 0.5000", System.nanoTime()))
                .startsWith("epoch 1/3 [###############---------------]  50%  5/10 batches").endsWith(", loss 0.5000");
        // ten seconds in, five of ten done: 0.5 batches/s, ten seconds to go
        assertThat(bar.line(5, null, System.nanoTime() + 10_000_000_000L))
                .isEqualTo("epoch 1/3 [###############---------------]  50%  5/10 batches, 0.5 batches/s, ETA 0m10s");
        assertThat(ProgressBar.formatSeconds(3725)).isEqualTo("1h02m");
        assertThat(ProgressBar.formatSeconds(Double.NaN)).isEqualTo("?");
    }
}
