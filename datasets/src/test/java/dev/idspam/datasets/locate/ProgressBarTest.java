package dev.idspam.datasets.locate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {

    @Test
    void rendersFractionAndSizes() {
        ProgressBar bar = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "x.zip", 2_000_000);
        assertThat(bar.render(1_000_000)).isEqualTo("x.zip [###############---------------]  50% 1.0/2.0 MB");
        ProgressBar unknown = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), "x.zip", -1);
        assertThat(unknown.render(1_500_000)).isEqualTo("x.zip 1.5 MB");
    }

    @Test
    void redrawsOnlyWhenTheTextChanges() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ProgressBar bar = new ProgressBar(new PrintStream(out, true, StandardCharsets.UTF_8), "f", 100_000_000);
        for (int i = 0; i < 1000; i++) {
            bar.update(i); // all render as 0% 0.0 MB
        }
        bar.finish(100_000_000);
        String text = out.toString(StandardCharsets.UTF_8);
        assertThat(text.chars().filter(c -> c == '\r')).hasSize(2);
        assertThat(text).endsWith("100% 100.0/100.0 MB" + System.lineSeparator());
    }
}
