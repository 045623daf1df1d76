package dev.idspam.pipeline.run;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Locale;
import java.util.Map;

/** Renders a run's report.json as a page a person can read. */
final class RunReportMarkdown {
    private RunReportMarkdown() {
    }

    static String render(JsonObject r) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.get("method").getAsString()).append(" on ").append(r.get("task").getAsString())
                .append(" (").append(r.get("backbone").getAsString()).append(")\n\n");
        sb.append("| dev metric | value |\n|---|---|\n");
        for (Map.Entry<String, JsonElement> e : r.getAsJsonObject("dev_metrics").entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", 100 * e.getValue().getAsDouble())).append(" |\n");
        }
        sb.append("\n| setting | value |\n|---|---|\n");
        for (String k : new String[] {"layer", "seed", "epochs", "best_epoch", "batch_size", "learning_rate", "warmup_ratio",
                "weight_decay", "max_length", "train_samples", "trainable_params", "frozen_params",
                "frozen_weights_unchanged", "train_seconds", "train_samples_per_second", "seconds_to_best_epoch", "device",
                "threads", "onnxruntime"}) {
            if (r.has(k)) {
                sb.append("| ").append(k.replace('_', ' ')).append(" | ").append(r.get(k).getAsString()).append(" |\n");
            }
        }
        sb.append("\n## Epochs\n\n| epoch | train loss | dev loss | dev metric | seconds | best |\n|---|---|---|---|---|---|\n");
        for (JsonElement el : r.getAsJsonArray("history")) {
            JsonObject h = el.getAsJsonObject();
            String metric = h.keySet().stream().filter(k -> k.startsWith("dev_") && !k.equals("dev_loss"))
                    .map(k -> k.substring(4) + " " + h.get(k).getAsString()).findFirst().orElse("");
            sb.append("| ").append(h.get("epoch").getAsString()).append(" | ").append(h.get("train_loss").getAsString())
                    .append(" | ").append(h.has("dev_loss") ? h.get("dev_loss").getAsString() : "")
                    .append(" | ").append(metric).append(" | ").append(h.get("seconds").getAsString())
                    .append(" | ").append(h.get("best").getAsBoolean() ? "yes" : "").append(" |\n");
        }
        sb.append("\nMethod settings: `").append(r.get("method_config").toString()).append("`\n");
        return sb.toString();
    }
}
