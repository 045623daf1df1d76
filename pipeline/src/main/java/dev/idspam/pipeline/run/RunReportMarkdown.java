package dev.idspam.pipeline.run;

import dev.idspam.eval.report.chart.LineChart;
import dev.idspam.eval.report.chart.Series;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Renders a run's report.json as a page a person can read. */
final class RunReportMarkdown {
    private RunReportMarkdown() {
    }

    static String render(RunReport r) {
        return render(r, true);
    }

    /** The report; {@code chart} says whether {@link #LOSS_CHART} was drawn beside it. */
    static String render(RunReport r, boolean chart) {
        StringBuilder sb = new StringBuilder();
        sb.append("# ").append(r.method()).append(" on ").append(r.task())
                .append(" (").append(r.backbone()).append(")\n\n");
        sb.append("| dev metric | value |\n|---|---|\n");
        for (Map.Entry<String, Double> e : r.devMetrics().entrySet()) {
            sb.append("| ").append(e.getKey()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", 100 * e.getValue())).append(" |\n");
        }
        sb.append("\n| setting | value |\n|---|---|\n");
        Map<String, Object> settings = new LinkedHashMap<>();
        if (r.layer() != null) {
            settings.put("layer", r.layer());
        }
        settings.put("seed", r.seed());
        settings.put("epochs", r.epochs());
        settings.put("best epoch", r.bestEpoch());
        settings.put("batch size", r.batchSize());
        settings.put("learning rate", r.learningRate());
        settings.put("warmup ratio", r.warmupRatio());
        settings.put("weight decay", r.weightDecay());
        settings.put("max length", r.maxLength());
        settings.put("head reads", r.headPooling());
        settings.put("patience", r.patience());
        settings.put("min epochs", r.minEpochs());
        settings.put("train samples", r.trainSamples());
        settings.put("trainable params", r.trainableParams());
        settings.put("frozen params", r.frozenParams());
        settings.put("frozen weights unchanged", r.frozenWeightsUnchanged());
        settings.put("train seconds", r.trainSeconds());
        settings.put("train samples per second", r.trainSamplesPerSecond());
        settings.put("seconds to best epoch", r.secondsToBestEpoch());
        settings.put("device", r.device());
        settings.put("threads", r.threads());
        settings.put("onnxruntime", r.onnxruntime());
        settings.forEach((k, v) -> {
            if (v != null) {
                sb.append("| ").append(k).append(" | ").append(v).append(" |\n");
            }
        });
        sb.append("\n## Epochs\n\n| epoch | train loss | dev loss | dev metric | seconds | best |\n|---|---|---|---|---|---|\n");
        for (RunReport.EpochRecord h : r.history()) {
            String metric = h.devMetricName() == null ? "" : h.devMetricName() + " " + h.devMetric();
            sb.append("| ").append(h.epoch()).append(" | ").append(h.trainLoss())
                    .append(" | ").append(h.devLoss() != null ? h.devLoss().toString() : "")
                    .append(" | ").append(metric).append(" | ").append(h.seconds())
                    .append(" | ").append(h.best() ? "yes" : "").append(" |\n");
        }
        sb.append(chart ? "\n![train and dev loss per epoch](" + LOSS_CHART + ")\n"
                : "\n(No loss chart: this Java runtime cannot draw; the losses are in the table above.)\n");
        sb.append("\nMethod settings: `").append(r.methodConfig().toString()).append("`\n");
        return sb.toString();
    }

    /** The loss curves' file, beside report.md. */
    static final String LOSS_CHART = "loss.png";

    /** The loss chart, or empty when this Java runtime cannot draw ({@link Charts}). */
    static Optional<byte[]> tryLossChart(RunReport r) {
        return Charts.png(() -> lossChart(r));
    }

    /** Train and dev loss per epoch as a PNG chart (the run's learning curve). */
    static byte[] lossChart(RunReport r) {
        List<Series.Point> train = new ArrayList<>();
        List<Series.Point> dev = new ArrayList<>();
        for (RunReport.EpochRecord h : r.history()) {
            train.add(new Series.Point(h.epoch(), h.trainLoss(), Double.NaN));
            if (h.devLoss() != null) {
                dev.add(new Series.Point(h.epoch(), h.devLoss(), Double.NaN));
            }
        }
        List<Series> series = new ArrayList<>(List.of(new Series("train loss", train)));
        if (!dev.isEmpty()) {
            series.add(new Series("dev loss", dev));
        }
        return new LineChart(r.method() + " on " + r.task() + " (" + r.backbone() + ")", "epoch", "mean loss", series)
                .png(720, 420);
    }
}
