package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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

    @Test
    void aTextThatStartsWithDashesIsPredictedAfterDoubleDash() {
        CliRun r = CliRun.of("predict", "--model", sst2.toString(), "--json", "--", "--a fun film .");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).startsWith("{\"label\":\"").contains("\"label_index\":", "\"probabilities\":{\"negative\":", "\"positive\":");
    }

    @Test
    void bothTextsOfAPairMayStartWithDashes() {
        CliRun r = CliRun.of("predict", "--model", cb.toString(), "--", "--help", "--json");
        assertThat(r.err()).isEmpty();
        assertThat(r.exit()).isZero();
        assertThat(r.out()).matches("(entailment|contradiction|neutral)\t\\(entailment 0\\.\\d{4}, contradiction 0\\.\\d{4}, "
                + "neutral 0\\.\\d{4}\\)\\s*");
    }
}
