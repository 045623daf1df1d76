package dev.idspam.tools.badinput;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.tools.CliRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code diagnose} on a tiny ID-SPAM bundle (2 layers, prompt of 2 vectors at layer 1) and SST-2
 * dev sentences: the norms are positive, the attention on the prompt is a share in [0, 1] for each
 * layer from m up, and bundles it cannot read are refused naming why.
 */
class DiagnoseTest {
    @TempDir
    static Path tmp;
    private static Path bundle;

    @BeforeAll
    static void build() throws Exception {
        bundle = TinyBundles.build(tmp, "sst2");
    }

    @Test
    void reportsNormsAndAttentionPerLayer() {
        CliRun r = CliRun.of("diagnose", "--model", bundle.toString(), "--data", "../data", "--max-samples", "16", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.out()).getAsJsonObject();
        assertThat(o.get("layer").getAsInt()).isEqualTo(1);
        assertThat(o.get("prompt_tokens").getAsInt()).isEqualTo(2);
        assertThat(o.get("examples").getAsInt()).isEqualTo(16);
        assertThat(o.get("prompt_norm").getAsDouble()).isPositive();
        assertThat(o.get("hidden_norm").getAsDouble()).isPositive();
        assertThat(o.getAsJsonArray("layers")).hasSize(1);
        JsonObject l = o.getAsJsonArray("layers").get(0).getAsJsonObject();
        assertThat(l.get("layer").getAsInt()).isEqualTo(1);
        assertThat(l.get("prompt_attention").getAsDouble()).isBetween(0.0, 1.0);
        assertThat(l.get("uniform_share").getAsDouble()).isBetween(0.0, 1.0);
    }

    @Test
    void refusesWhatItCannotRead() {
        CliRun split = CliRun.of("diagnose", "--model", bundle.toString(), "--data", "../data", "--split", "test");
        assertThat(split.exit()).isEqualTo(2);
        assertThat(split.err()).contains("diagnose: --split must be dev, dev-mismatched or train, got 'test'");
        CliRun none = CliRun.of("diagnose", "--model", tmp.resolve("nothing").toString(), "--data", "../data");
        assertThat(none.exit()).isEqualTo(2);
        assertThat(none.err()).contains("not an inference bundle");
    }
}
