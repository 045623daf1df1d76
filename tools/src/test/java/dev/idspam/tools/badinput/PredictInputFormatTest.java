package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code predict --stdin} without {@code --input-format}: the first non-blank line decides between
 * plain lines and JSON lines, and the result equals the one with the format given; a later line that
 * breaks the detected format is refused naming its line number. On the tiny trained run of {@link TinyRun}.
 */
class PredictInputFormatTest {
    @TempDir
    static Path tmp;
    private static String bundle;

    @BeforeAll
    static void trainAndExport() throws Exception {
        TinyRun.writeBackbone(tmp.resolve("backbone"), 11);
        TinyRun.writeData(tmp.resolve("data"), 12);
        String run = tmp.resolve("run").toString();
        ok(null, "generate", "--backbone", tmp.resolve("backbone").toString(), "--method", "idspam", "--layer", "1",
                "--prompt-tokens", "2", "--bottleneck", "8", "--generator-heads", "2", "--task", "sst2", "--max-length", "32",
                "--seed", "3", "--out", run);
        ok(null, "train", "--artifacts", run, "--data", tmp.resolve("data").toString(), "--epochs", "1", "--batch-size", "8",
                "--seed", "4", "--threads", "1");
        bundle = tmp.resolve("bundle").toString();
        ok(null, "export", "--artifacts", run, "--out", bundle, "--threads", "1");
    }

    private static synchronized CliRun withStdin(String input, String... args) {
        InputStream saved = System.in;
        try {
            System.setIn(new ByteArrayInputStream((input == null ? "" : input).getBytes(StandardCharsets.UTF_8)));
            return CliRun.of(args);
        } finally {
            System.setIn(saved);
        }
    }

    private static CliRun ok(String input, String... args) {
        CliRun r = withStdin(input, args);
        assertThat(r.exit()).as("idspam %s\n%s", String.join(" ", args), r.err()).isZero();
        return r;
    }

    @Test
    void jsonLinesAreDetectedAndScoredAsWithTheFormatGiven() {
        String input = "\n{\"text\": \"a fun film .\"}\n{\"text\": \"the plot is dull .\"}\n";
        String auto = ok(input, "predict", "--model", bundle, "--stdin", "--json").out();
        assertThat(auto.lines()).hasSize(2);
        assertThat(auto).isEqualTo(ok(input, "predict", "--model", bundle, "--stdin", "--json", "--input-format", "jsonl").out());
        // the same texts one per line give the same answers
        assertThat(ok("a fun film .\nthe plot is dull .\n", "predict", "--model", bundle, "-", "--json").out()).isEqualTo(auto);
    }

    @Test
    void plainLinesAreDetectedAndATextStartingWithABraceCanBeForcedToBeText() {
        String input = "a fun film .\n{not json\n";
        String auto = ok(input, "predict", "--model", bundle, "--stdin", "--json").out();
        assertThat(auto).isEqualTo(ok(input, "predict", "--model", bundle, "--stdin", "--json", "--input-format", "lines").out());
        assertThat(auto.lines()).hasSize(2);
        CliRun forced = ok("{a brace first\n", "predict", "--model", bundle, "--stdin", "--input-format", "lines");
        assertThat(forced.out().lines()).hasSize(1);
    }

    @Test
    void aLineThatBreaksTheDetectedJsonFormatIsRefusedByNumber() {
        CliRun r = withStdin("{\"text\": \"a fun film .\"}\n\nplain text\n", "predict", "--model", bundle, "--stdin");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("standard input line 3: malformed JSON");
        CliRun first = withStdin("{\"text\": \"a fun", "predict", "--model", bundle, "--stdin");
        assertThat(first.exit()).isEqualTo(2);
        assertThat(first.err()).contains("standard input line 1: malformed JSON");
    }
}
