package dev.idspam.tools.badinput;

import dev.idspam.tools.Main;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code idspam predict} inputs that must succeed: texts that look like options, after {@code --}. */
class PredictCommandTest {
    @TempDir
    static Path tmp;
    private static Path sst2;
    private static Path cb;

    @BeforeAll
    static void buildBundles() throws Exception {
        sst2 = TinyBundles.build(tmp, "sst2");
        cb = TinyBundles.build(tmp, "cb");
    }

    private static String[] run(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int code = Main.execute(args);
            return new String[] {Integer.toString(code), o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void aTextThatStartsWithDashesIsPredictedAfterDoubleDash() {
        String[] r = run("predict", "--model", sst2.toString(), "--json", "--", "--a fun film .");
        assertThat(r[2]).isEmpty();
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).startsWith("{\"label\":\"").contains("\"probabilities\":{\"0\":", "\"1\":");
    }

    @Test
    void bothTextsOfAPairMayStartWithDashes() {
        String[] r = run("predict", "--model", cb.toString(), "--", "--help", "--json");
        assertThat(r[2]).isEmpty();
        assertThat(r[0]).isEqualTo("0");
        assertThat(r[1]).matches("(entailment|contradiction|neutral)\t\\(entailment 0\\.\\d{4}, contradiction 0\\.\\d{4}, "
                + "neutral 0\\.\\d{4}\\)\\s*");
    }
}
