package dev.idspam.pipeline.run;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.eval.report.chart.LineChart;
import dev.idspam.eval.report.chart.Series;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.OptimizerState;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;
import dev.idspam.serving.Bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What a researcher looks at while a prompt method learns, recorded after every epoch
 * ({@code train --diagnostics N}) and plotted:
 * <ul>
 *   <li>the generated prompt's norm against the norm of the hidden states entering layer m, and the
 *       attention mass that every layer ≥ m puts on the prompt, on N seeded dev examples, read from a
 *       full bundle of that epoch's weights ({@link PromptDiagnostics}, the same figures as
 *       {@code idspam diagnose});</li>
 *   <li>per trainable tensor, the norm of AdamW's bias-corrected first moment m̂ = m / (1 − β₁^t)
 *       after the epoch: an exponential average of the tensor's recent gradients (β₁ = 0.9, so about
 *       the last ten updates), read from {@code last.ckpt}; it tells which part of the generator still
 *       receives signal, and is what the optimizer acts on.</li>
 * </ul>
 * The training itself is untouched: this listener runs between epochs, after the checkpoints are
 * saved, and costs one export and N forward passes per epoch. Results go to
 * {@code diagnostics.json} and three charts beside report.md.
 */
public final class EpochDiagnostics implements TrainingListener {
    static final String JSON = "diagnostics.json";
    static final String NORMS_CHART = "diagnostics-norms.png";
    static final String ATTENTION_CHART = "diagnostics-attention.png";
    static final String GRADIENT_CHART = "diagnostics-gradients.png";

    private final TrainingListener inner;
    private final Path artifacts;
    private final List<Path> data;
    private final int examples;
    private final long seed;
    private final int batchSize;
    private final RunSettings settings;
    private final List<JsonObject> epochs = new ArrayList<>();
    private List<Example> sample;

    public EpochDiagnostics(TrainingListener inner, Path artifacts, List<Path> data, int examples, long seed, int batchSize,
                            RunSettings settings) {
        if (examples < 1) {
            throw new IllegalArgumentException("--diagnostics: give at least 1 dev example, got " + examples);
        }
        this.inner = inner == null ? TrainingListener.NONE : inner;
        this.artifacts = artifacts;
        this.data = data;
        this.examples = examples;
        this.seed = seed;
        this.batchSize = batchSize;
        this.settings = settings;
    }

    @Override
    public void onStart(Plan plan) {
        inner.onStart(plan);
    }

    @Override
    public void onStep(Step step) {
        inner.onStep(step);
    }

    @Override
    public boolean pauseAfter(EpochSummary summary) {
        return inner.pauseAfter(summary);
    }

    @Override
    public void onNote(String line) {
        inner.onNote(line);
    }

    @Override
    public void onEpochEnd(EpochSummary summary) {
        inner.onEpochEnd(summary);
        try {
            JsonObject e = new JsonObject();
            e.addProperty("epoch", summary.epoch() + 1);
            e.addProperty("train_loss", summary.trainLoss());
            Path last = artifacts.resolve(Trainer.LAST_CHECKPOINT);
            e.add("gradient_ema_norms", gradientEma(last, Artifacts.open(artifacts).manifest().optimizer().beta1()));
            Path tmp = Files.createTempDirectory(artifacts, ".diagnostics-");
            try {
                Bundle bundle = Export.run(artifacts, last, tmp.resolve("bundle"), settings, false, Export.GraphOptions.PLAIN);
                if (sample == null) {
                    var task = bundle.manifest().task();
                    var read = DatasetReader.read(task, Split.DEV, TrainJob.locator(data, false).resolve(task, Split.DEV),
                            ReadOptions.strict());
                    sample = ExampleSample.of(read.examples(), examples, seed);
                }
                e.add("prompt", PromptDiagnostics.run(bundle, sample, batchSize).toJson());
            } finally {
                deleteTree(tmp);
            }
            epochs.add(e);
            inner.onNote(String.format(Locale.ROOT, "diagnostics after epoch %d: prompt/hidden norm %.3f, attention on"
                    + " the prompt at layer %d %.3f", summary.epoch() + 1,
                    e.getAsJsonObject("prompt").get("norm_ratio").getAsDouble(),
                    e.getAsJsonObject("prompt").get("layer").getAsInt(),
                    e.getAsJsonObject("prompt").getAsJsonArray("layers").get(0).getAsJsonObject().get("prompt_attention").getAsDouble()));
        } catch (IOException ex) {
            throw new UncheckedIOException(artifacts + ": diagnostics after epoch " + (summary.epoch() + 1) + " failed", ex);
        }
    }

    /** ‖m̂‖ per trainable tensor, m̂ = m / (1 − β₁^t) with t the completed optimizer steps. */
    static JsonObject gradientEma(Path checkpoint, float beta1) throws IOException {
        OptimizerState state = Checkpoint.read(checkpoint).optimizer().orElseThrow(() ->
                new IOException(checkpoint + ": no optimizer state to read the gradient averages from"));
        double correction = 1 - Math.pow(beta1, state.step());
        JsonObject o = new JsonObject();
        for (Map.Entry<String, OptimizerState.Moments> m : state.moments().entrySet()) {
            float[] v = m.getValue().first().toFloats();
            double s = 0;
            for (float x : v) {
                s += (double) x * x;
            }
            o.addProperty(m.getKey(), correction > 0 ? Math.sqrt(s) / correction : 0);
        }
        return o;
    }

    /** The per-epoch records so far. */
    public List<JsonObject> epochs() {
        return List.copyOf(epochs);
    }

    /**
     * Writes diagnostics.json and the charts beside the run's report (atomically), and appends their
     * table to report.md. Returns the files written.
     */
    public List<Path> write() throws IOException {
        List<Path> out = new ArrayList<>();
        JsonArray a = new JsonArray();
        epochs.forEach(a::add);
        JsonObject root = new JsonObject();
        root.addProperty("examples", examples);
        root.addProperty("seed", seed);
        root.add("epochs", a);
        Path json = artifacts.resolve(JSON);
        AtomicFiles.writeString(json, new GsonBuilder().setPrettyPrinting().create().toJson(root) + "\n");
        out.add(json);
        if (epochs.isEmpty()) {
            return out;
        }
        List<Series> norms = List.of(series("prompt vectors", e -> prompt(e).get("prompt_norm").getAsDouble()),
                series("hidden states entering layer m", e -> prompt(e).get("hidden_norm").getAsDouble()));
        List<Series> attention = new ArrayList<>();
        JsonArray layers = prompt(epochs.get(0)).getAsJsonArray("layers");
        for (int i = 0; i < layers.size(); i++) {
            int at = i;
            int layer = layers.get(i).getAsJsonObject().get("layer").getAsInt();
            attention.add(series("layer " + layer, e -> prompt(e).getAsJsonArray("layers").get(at).getAsJsonObject()
                    .get("prompt_attention").getAsDouble()));
        }
        attention.add(series("content-blind share (layer m)", e -> prompt(e).getAsJsonArray("layers").get(0)
                .getAsJsonObject().get("uniform_share").getAsDouble()));
        List<Series> gradients = new ArrayList<>();
        for (String name : epochs.get(0).getAsJsonObject("gradient_ema_norms").keySet()) {
            gradients.add(series(name, e -> e.getAsJsonObject("gradient_ema_norms").get(name).getAsDouble()));
        }
        out.addAll(Stream.of(chart(NORMS_CHART, "Mean vector norm at layer m", "norm", norms),
                chart(ATTENTION_CHART, "Attention of input tokens on the prompt", "attention mass", attention),
                chart(GRADIENT_CHART, "Gradient average (AdamW m-hat) per trainable tensor", "norm", gradients))
                .filter(java.util.Objects::nonNull).toList());
        Path md = artifacts.resolve(TrainJob.REPORT_MD);
        if (Files.exists(md)) {
            AtomicFiles.writeString(md, Files.readString(md) + markdown());
        }
        return out;
    }

    private String markdown() {
        StringBuilder sb = new StringBuilder("\n## Diagnostics per epoch\n\n");
        sb.append(String.format(Locale.ROOT, "On %d seeded dev examples (diagnostics.json).%n%n", examples));
        JsonArray layers = prompt(epochs.get(0)).getAsJsonArray("layers");
        sb.append("| epoch | prompt norm | hidden norm | ratio |");
        layers.forEach(l -> sb.append(" attention, layer ").append(l.getAsJsonObject().get("layer").getAsInt()).append(" |"));
        sb.append("\n|---:|---:|---:|---:|");
        layers.forEach(l -> sb.append("---:|"));
        sb.append("\n");
        for (JsonObject e : epochs) {
            JsonObject p = prompt(e);
            sb.append(String.format(Locale.ROOT, "| %d | %.3f | %.3f | %.3f |", e.get("epoch").getAsInt(),
                    p.get("prompt_norm").getAsDouble(), p.get("hidden_norm").getAsDouble(), p.get("norm_ratio").getAsDouble()));
            p.getAsJsonArray("layers").forEach(l -> sb.append(String.format(Locale.ROOT, " %.3f |",
                    l.getAsJsonObject().get("prompt_attention").getAsDouble())));
            sb.append("\n");
        }
        for (String f : List.of(NORMS_CHART, ATTENTION_CHART, GRADIENT_CHART)) {
            if (Files.exists(artifacts.resolve(f))) {
                sb.append("\n![").append(f).append("](").append(f).append(")\n");
            }
        }
        return sb.toString();
    }

    private static JsonObject prompt(JsonObject epoch) {
        return epoch.getAsJsonObject("prompt");
    }

    private Series series(String name, java.util.function.ToDoubleFunction<JsonObject> value) {
        List<Series.Point> pts = new ArrayList<>();
        for (JsonObject e : epochs) {
            pts.add(new Series.Point(e.get("epoch").getAsInt(), value.applyAsDouble(e), Double.NaN));
        }
        return new Series(name, pts);
    }

    /** One chart, or null when this Java runtime cannot draw ({@link Charts}). */
    private Path chart(String file, String title, String yLabel, List<Series> series) throws IOException {
        var png = Charts.png(() -> new LineChart(title, "epoch", yLabel, series).png(900, 520));
        if (png.isEmpty()) {
            return null;
        }
        Path p = artifacts.resolve(file);
        AtomicFiles.write(p, png.get());
        return p;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
