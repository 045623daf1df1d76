package dev.idspam.pipeline.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RunReportTest {
    @TempDir
    Path dir;

    static RunReport sample(Integer layer) {
        return sample(layer, null, null, null);
    }

    static RunReport sample(Integer layer, String headPooling, Integer patience, Integer minEpochs) {
        JsonObject config = new JsonObject();
        config.addProperty("prompt_tokens", 10);
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", 0.75);
        metrics.put("f1_macro", 0.5);
        List<RunReport.EpochRecord> history = List.of(
                new RunReport.EpochRecord(1, 0.69, 0.68, "accuracy", 0.7, false, 12.5, 10.0),
                new RunReport.EpochRecord(2, 0.5, 0.6, "accuracy", 0.75, true, 11.0, 9.5),
                new RunReport.EpochRecord(3, 0.4, null, null, null, false, 9.0, 9.0));
        return new RunReport("cb", "idspam", config, "minilm-l6", layer, 42, 3, 2, metrics, "accuracy", 1234, 22_565_376L,
                true, 28.5, 3.36842, 23.5, 0.81, 40.25, 32, 250, 0, 56, 0, 8, 1, 1e-3, 0.06, 0.01f, 64, "CPU", 2,
                "1.24.1", history, "2026-01-01T00:00:00Z", headPooling, patience, minEpochs);
    }

    /** The text exactly as the hand-built JSON of earlier builds: same members, order and number forms. */
    @Test
    void writesTheReportAsEarlierBuildsDid() {
        JsonObject r = new JsonObject();
        r.addProperty("task", "cb");
        r.addProperty("method", "idspam");
        JsonObject config = new JsonObject();
        config.addProperty("prompt_tokens", 10);
        r.add("method_config", config);
        r.addProperty("backbone", "minilm-l6");
        r.addProperty("layer", 3);
        r.addProperty("seed", 42L);
        r.addProperty("epochs", 3);
        r.addProperty("best_epoch", 2);
        JsonObject m = new JsonObject();
        m.addProperty("accuracy", 0.75);
        m.addProperty("f1_macro", 0.5);
        r.add("dev_metrics", m);
        r.addProperty("primary_metric", "accuracy");
        r.addProperty("trainable_params", 1234L);
        r.addProperty("frozen_params", 22_565_376L);
        r.addProperty("frozen_weights_unchanged", true);
        r.addProperty("train_seconds", 28.5);
        r.addProperty("train_samples_per_second", 3.36842);
        r.addProperty("seconds_to_best_epoch", 23.5);
        r.addProperty("eval_ms_per_sample", 0.81);
        r.addProperty("wall_seconds", 40.25);
        r.addProperty("train_samples", 32);
        r.addProperty("train_split_size", 250);
        r.addProperty("train_skipped_rows", 0);
        r.addProperty("dev_samples", 56);
        r.addProperty("dev_skipped_rows", 0);
        r.addProperty("batch_size", 8);
        r.addProperty("gradient_accumulation", 1);
        r.addProperty("learning_rate", 1e-3);
        r.addProperty("warmup_ratio", 0.06);
        r.addProperty("weight_decay", 0.01f);
        r.addProperty("max_length", 64);
        r.addProperty("device", "CPU");
        r.addProperty("threads", 2);
        r.addProperty("onnxruntime", "1.24.1");
        JsonArray history = new JsonArray();
        history.add(epoch(1, 0.69, 0.68, 0.7, false, 12.5, 10.0));
        history.add(epoch(2, 0.5, 0.6, 0.75, true, 11.0, 9.5));
        history.add(epoch(3, 0.4, null, null, false, 9.0, 9.0));
        r.add("history", history);
        r.addProperty("finished_at", "2026-01-01T00:00:00Z");

        String earlier = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create().toJson(r) + "\n";
        assertThat(sample(3).toJson()).isEqualTo(earlier);
    }

    private static JsonObject epoch(int n, double trainLoss, Double devLoss, Double accuracy, boolean best, double seconds,
                                    double trainSeconds) {
        JsonObject h = new JsonObject();
        h.addProperty("epoch", n);
        h.addProperty("train_loss", trainLoss);
        if (devLoss != null) {
            h.addProperty("dev_loss", devLoss);
            h.addProperty("dev_accuracy", accuracy);
        }
        h.addProperty("best", best);
        h.addProperty("seconds", seconds);
        h.addProperty("train_seconds", trainSeconds);
        return h;
    }

    @Test
    void leavesTheLayerOutForMethodsWithoutOne() {
        assertThat(sample(null).toJsonTree().has("layer")).isFalse();
        assertThat(sample(3).toJsonTree().get("layer").getAsInt()).isEqualTo(3);
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        for (Integer layer : new Integer[] {null, 3}) {
            Path file = dir.resolve("report-" + layer + ".json");
            Files.writeString(file, sample(layer).toJson());
            assertThat(RunReport.read(file)).isEqualTo(sample(layer));
        }
    }

    @Test
    void namesTheFileAndTheField() throws Exception {
        Path file = dir.resolve("report.json");
        JsonObject o = sample(3).toJsonTree();
        o.remove("primary_metric");
        Files.writeString(file, o.toString());
        assertThatThrownBy(() -> RunReport.read(file)).hasMessage(file + ": field 'primary_metric' is missing");

        o = sample(3).toJsonTree();
        o.addProperty("best_epoch", "two");
        Files.writeString(file, o.toString());
        assertThatThrownBy(() -> RunReport.read(file))
                .hasMessage(file + ": field 'best_epoch' must be a whole number, found the string 'two'");

        o = sample(3).toJsonTree();
        o.getAsJsonArray("history").get(1).getAsJsonObject().addProperty("seconds", "slow");
        Files.writeString(file, o.toString());
        assertThatThrownBy(() -> RunReport.read(file))
                .hasMessage(file + ": field 'history[1].seconds' must be a number, found the string 'slow'");

        o = sample(3).toJsonTree();
        o.addProperty("primary_metric", "mcc");
        Files.writeString(file, o.toString());
        assertThatThrownBy(() -> RunReport.read(file))
                .hasMessage(file + ": field 'primary_metric' is 'mcc'; accepted values: [accuracy, f1_macro]");
    }

    @Test
    void rendersTheSamePageFromTheRecord() {
        String md = RunReportMarkdown.render(sample(3));
        assertThat(md).startsWith("# idspam on cb (minilm-l6)\n\n| dev metric | value |\n|---|---|\n| accuracy | 75.00 |\n"
                + "| f1_macro | 50.00 |\n");
        assertThat(md).contains("| layer | 3 |\n| seed | 42 |\n", "| learning rate | 0.001 |\n", "| weight decay | 0.01 |\n",
                "| frozen weights unchanged | true |\n", "| 2 | 0.5 | 0.6 | accuracy 0.75 | 11.0 | yes |\n",
                "| 3 | 0.4 |  |  | 9.0 |  |\n");
        assertThat(md).endsWith("\nMethod settings: `{\"prompt_tokens\":10}`\n");
        assertThat(RunReportMarkdown.render(sample(null))).doesNotContain("| layer |");
        assertThat(md).contains("![train and dev loss per epoch](loss.png)");
        // a runtime that cannot draw (no java.desktop) writes the page without the chart's link
        assertThat(RunReportMarkdown.render(sample(3), false)).doesNotContain("loss.png").contains("No loss chart");
    }

    /** The head's pooling and the early-stopping settings are recorded when known and shown on the page. */
    @Test
    void recordsTheHeadAndTheStoppingRule() throws Exception {
        RunReport r = sample(3, "mean", 5, 10);
        JsonObject o = r.toJsonTree();
        assertThat(o.get("head_pooling").getAsString()).isEqualTo("mean");
        assertThat(o.get("patience").getAsInt()).isEqualTo(5);
        assertThat(o.get("min_epochs").getAsInt()).isEqualTo(10);
        Path file = dir.resolve("report.json");
        Files.writeString(file, r.toJson());
        assertThat(RunReport.read(file)).isEqualTo(r);
        assertThat(RunReportMarkdown.render(r)).contains("| max length | 64 |\n| head reads | mean |\n| patience | 5 |\n"
                + "| min epochs | 10 |\n");
        assertThat(RunReportMarkdown.render(sample(3))).doesNotContain("| head reads |", "| patience |", "| min epochs |");
    }
}
