package dev.idspam.pipeline.experiment;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.idspam.datasets.task.Task;
import dev.idspam.eval.report.chart.LineChart;
import dev.idspam.eval.report.chart.Series;
import dev.idspam.eval.store.CellKey;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;
import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.backbone.BackboneCatalog;
import dev.idspam.graphs.backbone.BackboneSource;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.pipeline.run.Charts;
import dev.idspam.pipeline.run.Generate;
import dev.idspam.pipeline.run.OptionRanges;
import dev.idspam.pipeline.run.RunReport;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.pipeline.run.TrainJob;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.PrefixCache;
import dev.idspam.runtime.TrainingListener;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses the injection layer m by successive halving ({@code idspam select-layer}), the search the
 * paper leaves to the user (its stated limitation).
 *
 * <p>Every candidate layer trains on the full schedule of {@code budget} epochs (the same warm-up
 * and decay as a plain run of that length), but is paused after a few epochs. The rounds: with n
 * candidates there are h = ⌈log₂ n⌉ halvings; round r (0-based) trains every surviving candidate up
 * to e_r = max(1, budget / 2^(h−r)) epochs, ranks them by their best dev metric so far, and keeps
 * the better half (⌈k/2⌉ of k; ties go to the lower layer). The last candidate standing then
 * trains to the whole budget, and its score is the selection's result. Because a paused run resumes
 * bit-identically ({@link TrainingListener#pauseAfter}), that score is exactly what the same layer
 * would get in a grid search at the full budget; with n = 6 and budget 8 the selection trains
 * 6·1 + 3·1 + 2·2 + 1·4 = 17 epochs where the grid trains 48.
 *
 * <p>Crash safety and resumption: every finished (layer, round) goes to an append-only results
 * store as one record (epochs trained, dev metrics); a rerun with the same options reads the store
 * and only trains what is missing, and a candidate killed mid-round continues from its last epoch
 * checkpoint. {@code grid} afterwards continues every candidate to the full budget (the grid's
 * runs, reusing the selection's epochs) to show how the choice compares with the best layer.
 */
public final class LayerSelection {
    public static final String STORE = "results.jsonl";
    public static final String EXPERIMENT = "select-layer";
    static final String REPORT_MD = "selection.md";
    static final String REPORT_JSON = "selection.json";
    static final String CHART = "selection.png";
    /** Hyperparameter keys of the store's cells. */
    static final String EPOCHS_TRAINED = "epochs_trained";
    static final String BUDGET = "budget_epochs";

    /**
     * @param layers  candidate injection layers, distinct, each in 0..L−1 of the backbone; empty: all of them
     * @param budget  epochs of the full schedule (what the chosen layer finally trains)
     */
    public record Spec(String backbone, String method, Task task, List<Integer> layers, int budget, int batchSize,
                       double learningRate, long seed, int maxTrainSamples, int maxLength, boolean grid, Path out,
                       List<Path> data, RunSettings settings) {
        public Spec {
            layers = List.copyOf(layers);
            if (layers.stream().distinct().count() != layers.size()) {
                throw new IllegalArgumentException("--layers: a layer is listed twice: " + layers);
            }
            OptionRanges.check(budget, 1, OptionRanges.MAX_EPOCHS, "budget", "budget");
            OptionRanges.checkPositive(learningRate, "learning rate", "lr");
            OptionRanges.check(maxTrainSamples, 0, Integer.MAX_VALUE, "max train samples", "max-train-samples");
        }
    }

    /** One candidate after one round: its best dev metric within the first {@code epochs} epochs. */
    public record Standing(int layer, int round, int epochs, double score, double trainSeconds) {
    }

    /**
     * @param chosen        the selected layer
     * @param chosenScore   its best dev metric after the whole budget
     * @param epochsUsed    epochs the selection trained, all candidates together
     * @param gridEpochs    epochs a grid search at the full budget trains (candidates × budget)
     * @param grid          layer → score at the full budget, every candidate (only with {@code grid})
     */
    public record Result(int chosen, double chosenScore, String metric, List<Standing> standings, int epochsUsed,
                         int gridEpochs, double secondsUsed, Map<Integer, Double> grid, double gridSeconds) {
    }

    /** The spec; its candidates are resolved against the backbone when the run starts. */
    private Spec spec;
    private final PrintStream log;

    public LayerSelection(Spec spec, PrintStream log) {
        this.spec = spec;
        this.log = log;
    }

    /** Epochs each round trains up to: e_r = max(1, budget / 2^(h−r)), r = 0..h, h = ⌈log₂ n⌉. */
    static List<Integer> roundEpochs(int candidates, int budget) {
        int halvings = 0;
        while ((1 << halvings) < candidates) {
            halvings++;
        }
        List<Integer> e = new ArrayList<>();
        for (int r = 0; r <= halvings; r++) {
            e.add(Math.max(1, budget >> (halvings - r)));
        }
        return e;
    }

    public Result run() throws IOException {
        BackboneSource source = BackboneCatalog.resolve(spec.backbone());
        BackboneWeights weights = source.load();
        int layers = weights.config().layers();
        for (int m : spec.layers()) {
            if (m < 0 || m >= layers) {
                throw new IllegalArgumentException("--layers: " + m + " is not a layer of " + spec.backbone() + " (0.." + (layers - 1) + ")");
            }
        }
        if (spec.layers().isEmpty()) {
            spec = new Spec(spec.backbone(), spec.method(), spec.task(), java.util.stream.IntStream.range(0, layers).boxed().toList(),
                    spec.budget(), spec.batchSize(), spec.learningRate(), spec.seed(), spec.maxTrainSamples(), spec.maxLength(),
                    spec.grid(), spec.out(), spec.data(), spec.settings());
        }
        Files.createDirectories(spec.out());
        ResultsStore store = new ResultsStore(spec.out().resolve(STORE));
        Map<CellKey, RunRecord> done = new LinkedHashMap<>();
        store.read().records().forEach(r -> done.put(r.cell(), r));
        List<Integer> epochs = roundEpochs(spec.layers().size(), spec.budget());
        log.printf(Locale.ROOT, "select-layer: %s on %s (%s), candidates %s, budget %d epochs; rounds train up to %s epochs%n",
                spec.method(), spec.task().shortName(), spec.backbone(), spec.layers(), spec.budget(), epochs);
        List<Standing> standings = new ArrayList<>();
        Map<Integer, Integer> trainedTo = new TreeMap<>();
        Map<Integer, RunReport> latest = new TreeMap<>();
        String metric = null;
        List<Integer> alive = new ArrayList<>(spec.layers());
        for (int round = 0; round < epochs.size(); round++) {
            int upTo = epochs.get(round);
            List<Standing> thisRound = new ArrayList<>();
            for (int m : alive) {
                Standing s = train(store, done, source, weights, m, round, upTo, latest);
                thisRound.add(s);
                trainedTo.merge(m, upTo, Math::max);
            }
            metric = metric != null ? metric : metricOf(done, alive.get(0), upTo);
            standings.addAll(thisRound);
            thisRound.sort(Comparator.comparingDouble(Standing::score).reversed().thenComparingInt(Standing::layer));
            int keep = round == epochs.size() - 1 ? 1 : (thisRound.size() + 1) / 2;
            alive = new ArrayList<>(thisRound.subList(0, keep).stream().map(Standing::layer).toList());
            log.printf(Locale.ROOT, "round %d (%d epochs): %s; keeping %s%n", round + 1, upTo, describe(thisRound), alive);
        }
        int chosen = alive.get(0);
        Standing last = standings.get(standings.size() - 1);
        int used = trainedTo.values().stream().mapToInt(Integer::intValue).sum();
        double secondsUsed = secondsOfFirstEpochs(latest, trainedTo);
        Map<Integer, Double> grid = null;
        double gridSeconds = Double.NaN;
        if (spec.grid()) {
            grid = new TreeMap<>();
            for (int m : spec.layers()) {
                Standing s = train(store, done, source, weights, m, epochs.size(), spec.budget(), latest);
                grid.put(m, s.score());
            }
            Map<Integer, Integer> full = new TreeMap<>();
            spec.layers().forEach(m -> full.put(m, spec.budget()));
            gridSeconds = secondsOfFirstEpochs(latest, full);
        }
        Result result = new Result(chosen, last.score(), metric, standings, used, spec.layers().size() * spec.budget(),
                secondsUsed, grid, gridSeconds);
        write(result);
        return result;
    }

    /**
     * Trains layer m up to {@code upTo} epochs (resuming its paused run), or takes the record from
     * {@code done} (the store as read at the start, plus what this run appended).
     */
    private Standing train(ResultsStore store, Map<CellKey, RunRecord> done, BackboneSource source, BackboneWeights weights, int m, int round, int upTo,
                           Map<Integer, RunReport> latest) throws IOException {
        CellKey key = key(m, upTo);
        Path dir = spec.out().resolve("runs").resolve("m" + m);
        RunRecord stored = done.get(key);
        if (stored != null) {
            if (Files.exists(dir.resolve(TrainJob.REPORT_JSON))) {
                RunReport report = RunReport.read(dir.resolve(TrainJob.REPORT_JSON));
                latest.merge(m, report, (a, b) -> a.history().size() >= b.history().size() ? a : b);
            }
            return new Standing(m, round, upTo, stored.primaryValue(), stored.trainSeconds());
        }
        if (!Files.exists(dir.resolve("manifest.json"))) {
            MethodSpec ms = MethodSpec.of(spec.method(), Map.of(MethodSettings.LAYER.name(), m));
            Generate.run(new Generate.Spec(spec.backbone(), ms, spec.task(), spec.seed(), AdamWConfig.defaults(),
                    spec.maxLength(), dir), source, weights);
        }
        log.printf(Locale.ROOT, "  layer %d: training to epoch %d of %d%n", m, upTo, spec.budget());
        TrainJob.Spec ts = new TrainJob.Spec(dir, spec.data(), spec.budget(), spec.batchSize(), spec.learningRate(), 0.06, 1,
                spec.seed(), spec.maxTrainSamples(), true, false, false, spec.settings(), PrefixCache.Mode.AUTO,
                TrainJob.DEFAULT_PREFIX_CACHE_MAX_MB, 0);
        TrainJob.Outcome o = TrainJob.run(ts, new TrainingListener() {
            @Override
            public boolean pauseAfter(EpochSummary s) {
                return s.epoch() + 1 >= upTo;
            }
        });
        RunReport r = o.report();
        if (!r.frozenWeightsUnchanged()) {
            throw new IllegalStateException(dir + ": frozen backbone weights changed during training");
        }
        if (r.history().size() != upTo) {
            throw new IllegalStateException(dir + ": expected " + upTo + " trained epochs, the report has " + r.history().size());
        }
        latest.put(m, r);
        RunRecord record = RunRecord.builder().experiment(EXPERIMENT).cell(key).metrics(r.devMetrics())
                .primaryMetric(r.primaryMetric()).params(r.trainableParams(), r.frozenParams())
                .trainSeconds(r.trainSeconds()).trainSamplesPerSecond(r.trainSamplesPerSecond())
                .bestEpoch(r.bestEpoch(), r.secondsToBestEpoch()).device(spec.settings().deviceLabel())
                .timestamp(Instant.now()).build();
        store.append(record);
        done.put(key, record);
        log.printf(Locale.ROOT, "  layer %d after %d epochs: %s %.4f%n", m, upTo, r.primaryMetric(), r.primaryValue());
        return new Standing(m, round, upTo, r.primaryValue(), r.trainSeconds());
    }

    /** The store's cell of layer m trained to {@code epochs}: every setting that changes the result is in it. */
    CellKey key(int m, int epochs) {
        Map<String, String> hp = new TreeMap<>();
        hp.put("lr", Double.toString(spec.learningRate()));
        hp.put("batch_size", Integer.toString(spec.batchSize()));
        hp.put("max_length", Integer.toString(spec.maxLength()));
        hp.put(BUDGET, Integer.toString(spec.budget()));
        hp.put(EPOCHS_TRAINED, Integer.toString(epochs));
        if (spec.maxTrainSamples() > 0) {
            hp.put("max_train_samples", Integer.toString(spec.maxTrainSamples()));
        }
        return CellKey.builder().method(spec.method()).task(spec.task().shortName()).backbone(spec.backbone()).layer(m)
                .seed(spec.seed()).hyperparameters(hp).build();
    }

    private String metricOf(Map<CellKey, RunRecord> done, int m, int epochs) {
        RunRecord r = done.get(key(m, epochs));
        return r == null ? "metric" : r.primaryMetric();
    }

    /** Training seconds of each layer's first n epochs (from its run's per-epoch record). */
    private static double secondsOfFirstEpochs(Map<Integer, RunReport> latest, Map<Integer, Integer> epochs) {
        double total = 0;
        for (Map.Entry<Integer, Integer> e : epochs.entrySet()) {
            RunReport r = latest.get(e.getKey());
            if (r == null) {
                return Double.NaN;
            }
            total += r.history().stream().filter(h -> h.epoch() <= e.getValue()).mapToDouble(RunReport.EpochRecord::trainSeconds).sum();
        }
        return total;
    }

    private static String describe(List<Standing> ranked) {
        StringBuilder sb = new StringBuilder();
        for (Standing s : ranked) {
            sb.append(sb.isEmpty() ? "" : ", ").append(String.format(Locale.ROOT, "m=%d %.4f", s.layer(), s.score()));
        }
        return sb.toString();
    }

    private void write(Result r) throws IOException {
        Gson gson = new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("backbone", spec.backbone());
        json.put("method", spec.method());
        json.put("task", spec.task().shortName());
        json.put("candidates", spec.layers());
        json.put("budget_epochs", spec.budget());
        json.put("round_epochs", roundEpochs(spec.layers().size(), spec.budget()));
        json.put("result", r);
        AtomicFiles.writeString(spec.out().resolve(REPORT_JSON), gson.toJson(json) + "\n");
        boolean chart = writeChart(r);
        AtomicFiles.writeString(spec.out().resolve(REPORT_MD), markdown(r, chart));
    }

    String markdown(Result r, boolean chart) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "# Layer selection: %s on %s (%s)%n%n", spec.method(), spec.task().shortName(),
                spec.backbone()));
        sb.append(String.format(Locale.ROOT, "Successive halving over layers %s, budget %d epochs (rounds up to %s epochs),"
                        + " batch %d, lr %s, seed %d%s.%n%n", spec.layers(), spec.budget(),
                roundEpochs(spec.layers().size(), spec.budget()), spec.batchSize(), spec.learningRate(), spec.seed(),
                spec.maxTrainSamples() > 0 ? ", " + spec.maxTrainSamples() + " training examples" : ""));
        sb.append(String.format(Locale.ROOT, "**Chosen: m = %d**, dev %s %.2f after %d epochs.%n%n", r.chosen(), r.metric(),
                100 * r.chosenScore(), spec.budget()));
        List<Integer> rounds = roundEpochs(spec.layers().size(), spec.budget());
        sb.append("| layer |");
        rounds.forEach(e -> sb.append(" ").append(e).append(e == 1 ? " epoch |" : " epochs |"));
        sb.append(r.grid() != null ? " grid (" + spec.budget() + " epochs) |\n" : "\n");
        sb.append("|---:|");
        rounds.forEach(e -> sb.append("---:|"));
        sb.append(r.grid() != null ? "---:|\n" : "\n");
        for (int m : spec.layers()) {
            sb.append("| ").append(m).append(" |");
            for (int i = 0; i < rounds.size(); i++) {
                int round = i;
                sb.append(r.standings().stream().filter(s -> s.layer() == m && s.round() == round).findFirst()
                        .map(s -> String.format(Locale.ROOT, " %.2f |", 100 * s.score())).orElse(" |"));
            }
            if (r.grid() != null) {
                sb.append(String.format(Locale.ROOT, " %.2f |", 100 * r.grid().get(m)));
            }
            sb.append("\n");
        }
        sb.append(String.format(Locale.ROOT, "%nCompute: the selection trained %d epochs (%.0f s of training), a grid search"
                + " at the full budget trains %d (%.2f of it)", r.epochsUsed(), r.secondsUsed(), r.gridEpochs(),
                (double) r.epochsUsed() / r.gridEpochs()));
        if (r.grid() != null) {
            Map.Entry<Integer, Double> best = r.grid().entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
            sb.append(String.format(Locale.ROOT, "; measured: %.0f s of training against %.0f s (%.2f).%n%n"
                            + "Grid's best: m = %d with %.2f; the chosen layer's %.2f is %.2f points below it.%n",
                    r.secondsUsed(), r.gridSeconds(), r.secondsUsed() / r.gridSeconds(), best.getKey(), 100 * best.getValue(),
                    100 * r.chosenScore(), 100 * (best.getValue() - r.chosenScore())));
        } else {
            sb.append(".\n");
        }
        if (chart) {
            sb.append("\n![dev score per candidate and round](" + CHART + ")\n");
        }
        return sb.toString();
    }

    /** Dev score against epochs trained, one line per candidate; false when this Java runtime cannot draw. */
    private boolean writeChart(Result r) throws IOException {
        List<Series> series = new ArrayList<>();
        for (int m : spec.layers()) {
            List<Series.Point> pts = new ArrayList<>();
            r.standings().stream().filter(s -> s.layer() == m)
                    .forEach(s -> pts.add(new Series.Point(s.epochs(), 100 * s.score(), Double.NaN)));
            if (r.grid() != null && pts.stream().noneMatch(p -> p.x() == spec.budget())) {
                pts.add(new Series.Point(spec.budget(), 100 * r.grid().get(m), Double.NaN));
            }
            series.add(new Series("m = " + m, pts));
        }
        var png = Charts.png(() -> new LineChart("Successive halving: " + spec.task().shortName() + ", " + spec.backbone(),
                "epochs trained", "dev " + r.metric(), series).png(900, 520));
        if (png.isPresent()) {
            AtomicFiles.write(spec.out().resolve(CHART), png.get());
        }
        return png.isPresent();
    }
}
