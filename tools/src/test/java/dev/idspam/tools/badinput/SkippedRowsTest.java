package dev.idspam.tools.badinput;

import dev.idspam.tools.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code eval --skip-bad-rows} says how many rows it skipped, on the line with the metrics. */
class SkippedRowsTest {
    @Test
    void evalReportsTheSkippedRowCount(@TempDir Path dir) throws Exception {
        TinyRun.writeBackbone(dir.resolve("backbone"), 11);
        Path data = TinyRun.writeData(dir.resolve("data"), 12);
        String run = dir.resolve("run").toString();
        assertThat(Main.execute("generate", "--backbone", dir.resolve("backbone").toString(), "--method", "idspam", "--layer",
                "1", "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--out", run)).isZero();
        Files.writeString(data.resolve("SST-2/dev.tsv"), "a fun film .\tmaybe\nno label at all\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        String[] eval = {"eval", "--artifacts", run, "--data", data.toString(), "--threads", "1", "--checkpoint",
            dir.resolve("run/checkpoint").toString(), "--skip-bad-rows"};
        String out = stdout(eval);
        assertThat(out).startsWith("dev (16 examples, 2 bad rows skipped): ");
        // without the option the first bad row is an error, so there is nothing to count
        assertThat(Main.execute(java.util.Arrays.copyOf(eval, eval.length - 1))).isEqualTo(2);
    }

    private static synchronized String stdout(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            assertThat(Main.execute(args)).isZero();
        } finally {
            System.setOut(saved);
        }
        return o.toString(StandardCharsets.UTF_8);
    }
}
