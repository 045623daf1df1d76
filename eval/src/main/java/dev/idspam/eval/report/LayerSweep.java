package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.report.chart.LineChart;
import dev.idspam.eval.report.chart.Series;
import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.stats.Summary;

/**
 * Score against injection layer m (the paper's Figure 2): for every backbone and task where some
 * method was run at two or more layers, a table (rows = layers, columns = methods) and a line
 * chart with ±sd error bars.
 */
final class LayerSweep {

    /** One sweep: its file stem, table and chart. */
    record Sweep(String id, Table table, LineChart chart) {
    }

    private record MethodLayer(String method, int layer) {
    }

    private record BackboneTask(String backbone, String task) {
    }

    private LayerSweep() {
    }

    /**
     * Every sweep in the results. Files are named {@code layer_sweep_<task>}, with
     * {@code _<backbone>} added when the same task was swept on several backbones.
     */
    static List<Sweep> build(Results results, ReportConfig config) {
        Map<BackboneTask, Map<String, TreeMap<Integer, Choice>>> sweeps = new LinkedHashMap<>();
        for (String backbone : results.backbones()) {
            Predicate<RunGroup> layered = Results.inTask(backbone).and(g -> g.key().layer() != null);
            List<String> tasks = Results.distinct(results.where(layered), g -> g.key().task(),
                    Results.taskOrder());
            for (String task : tasks) {
                Predicate<RunGroup> filter = layered.and(g -> g.key().task().equals(task));
                Map<String, TreeMap<Integer, Choice>> byMethod = new LinkedHashMap<>();
                results.best(filter, g -> new MethodLayer(g.key().method(), g.key().layer()))
                        .forEach((slot, choice) -> byMethod
                                .computeIfAbsent(slot.method(), k -> new TreeMap<>())
                                .put(slot.layer(), choice));
                byMethod.values().removeIf(layers -> layers.size() < 2);
                if (!byMethod.isEmpty()) {
                    Map<String, TreeMap<Integer, Choice>> ordered = new LinkedHashMap<>();
                    byMethod.keySet().stream().sorted(config.methodOrder())
                            .forEach(m -> ordered.put(m, byMethod.get(m)));
                    sweeps.put(new BackboneTask(backbone, task), ordered);
                }
            }
        }
        Map<String, Integer> backbonesPerTask = new TreeMap<>();
        sweeps.keySet().forEach(k -> backbonesPerTask.merge(k.task(), 1, Integer::sum));
        List<Sweep> out = new ArrayList<>();
        sweeps.forEach((k, byMethod) -> {
            String id = "layer_sweep_" + k.task()
                    + (backbonesPerTask.get(k.task()) > 1 ? "_" + k.backbone() : "");
            out.add(sweep(Names.slug(id), k, byMethod, config));
        });
        return out;
    }

    private static Sweep sweep(String id, BackboneTask k,
                               Map<String, TreeMap<Integer, Choice>> byMethod, ReportConfig config) {
        int decimals = config.decimals();
        String taskName = TaskCatalog.displayName(k.task());
        TreeSet<Integer> layers = new TreeSet<>();
        LinkedHashSet<String> metrics = new LinkedHashSet<>();
        boolean selected = false;
        for (TreeMap<Integer, Choice> perLayer : byMethod.values()) {
            layers.addAll(perLayer.keySet());
            for (Choice c : perLayer.values()) {
                metrics.add(c.group().primaryMetric());
                selected |= c.candidates() > 1;
            }
        }
        String metric = metrics.size() == 1 ? metrics.iterator().next() : "score";

        List<String> header = new ArrayList<>();
        header.add("Layer m");
        byMethod.keySet().forEach(m -> header.add(config.displayName(m)));
        Map<String, Double> bestOfMethod = new LinkedHashMap<>();
        byMethod.forEach((m, perLayer) -> perLayer.values().forEach(c -> bestOfMethod.merge(m,
                ScoreTable.rounded(c.group().score().mean(), decimals), Math::max)));
        List<List<Cell>> rows = new ArrayList<>();
        for (int layer : layers) {
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(Integer.toString(layer)));
            byMethod.forEach((m, perLayer) -> {
                Choice c = perLayer.get(layer);
                if (c == null) {
                    row.add(Cell.missing());
                    return;
                }
                Summary s = c.group().score();
                Cell cell = Cell.stat(s, decimals).withDetail(c.group().key().configLabel());
                if (ScoreTable.rounded(s.mean(), decimals) == bestOfMethod.get(m)) {
                    cell = cell.bolded();
                }
                row.add(cell);
            });
            rows.add(row);
        }
        List<String> notes = new ArrayList<>();
        notes.add("Score (" + metric + " × 100) against the layer m whose input receives the prompt "
                + "(m = 0: the embedding output). Cells: mean ± sample standard deviation over seeds; "
                + "each method's best layer in bold.");
        if (selected) {
            notes.add("Where several hyperparameter settings were run at one layer, the one with the "
                    + "best mean score is shown; the CSV names it.");
        }
        String title = "Layer sweep: " + taskName + " (" + k.backbone() + ")";
        Table table = new Table(id, title, header, rows, notes);

        List<Series> series = new ArrayList<>();
        byMethod.forEach((m, perLayer) -> {
            List<Series.Point> points = new ArrayList<>();
            perLayer.forEach((layer, c) -> {
                Summary s = c.group().score();
                points.add(new Series.Point(layer, s.mean(), s.sd()));
            });
            series.add(new Series(config.displayName(m), points));
        });
        LineChart chart = new LineChart(title, "Injection layer m", metric + " × 100 (mean ± sd)",
                series);
        return new Sweep(id, table, chart);
    }
}
