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

    /**
     * {@code train --diagnostics}: one record per epoch with the prompt figures and every trainable
     * tensor's gradient average. The generator's key bias shifts every score of a query equally, which
     * softmax ignores, so its gradient is zero: its average must be negligible next to the value bias's.
     */
    @Test
    void trainingRecordsDiagnosticsPerEpoch() throws Exception {
        Path run = tmp.resolve("sst2-run");
        CliRun r = CliRun.of("train", "--artifacts", run.toString(), "--data", "../data", "--epochs", "2",
                "--max-train-samples", "48", "--batch-size", "16", "--diagnostics", "8", "--threads", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out() + r.err()).contains("diagnostics after epoch 2: prompt/hidden norm");
        JsonObject d = JsonParser.parseString(java.nio.file.Files.readString(run.resolve("diagnostics.json"))).getAsJsonObject();
        assertThat(d.get("examples").getAsInt()).isEqualTo(8);
        assertThat(d.getAsJsonArray("epochs")).hasSize(2);
        for (var e : d.getAsJsonArray("epochs")) {
            JsonObject p = e.getAsJsonObject().getAsJsonObject("prompt");
            assertThat(p.get("prompt_norm").getAsDouble()).isPositive();
            assertThat(p.get("examples").getAsInt()).isEqualTo(8);
            assertThat(p.getAsJsonArray("layers").get(0).getAsJsonObject().get("prompt_attention").getAsDouble())
                    .isBetween(0.0, 1.0);
            JsonObject g = e.getAsJsonObject().getAsJsonObject("gradient_ema_norms");
            assertThat(g.keySet()).contains("idspam.k.b", "idspam.v.b", "head.out.w");
            assertThat(g.get("idspam.v.b").getAsDouble()).isPositive();
            assertThat(g.get("idspam.k.b").getAsDouble()).isLessThan(1e-4 * g.get("idspam.v.b").getAsDouble());
        }
        assertThat(run.resolve("report.md")).content().contains("## Diagnostics per epoch");
        CliRun bad = CliRun.of("train", "--artifacts", run.toString(), "--data", "../data", "--diagnostics", "-1");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--diagnostics must be >= 0");
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
