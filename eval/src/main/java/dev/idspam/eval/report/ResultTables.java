package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

import dev.idspam.eval.metrics.Benchmark;
import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.store.Transfer;

/**
 * The score tables of the paper, per backbone: main results per benchmark (its Tables 2, 4, 5),
 * the ablation (Table 3), and zero-shot and few-shot transfer (Tables 6 and 11).
 */
final class ResultTables {

    private ResultTables() {
    }

    /** One table per benchmark with results: every non-ablation method × its tasks. */
    static List<Table> main(Results results, String backbone, ReportConfig config) {
        List<Table> tables = new ArrayList<>();
        Predicate<RunGroup> filter = Results.inTask(backbone)
                .and(g -> !config.isAblation(g.key().method()));
        for (Benchmark b : Benchmark.values()) {
            Predicate<RunGroup> inBenchmark =
                    filter.and(g -> TaskCatalog.benchmark(g.key().task()) == b);
            List<String> tasks = Results.distinct(results.where(inBenchmark), g -> g.key().task(),
                    Results.taskOrder());
            if (tasks.isEmpty()) {
                continue;
            }
            String id = Names.slug(b.name().toLowerCase(Locale.ROOT) + "_" + backbone);
            String title = b.displayName() + " results (" + backbone + ")";
            tables.add(byTask(results, inBenchmark, tasks, id, title, config,
                    "Rows: methods; columns: tasks."));
        }
        return tables;
    }

    /** The reference method and its ablation variants on the tasks where a variant was run. */
    static List<Table> ablation(Results results, String backbone, ReportConfig config) {
        Predicate<RunGroup> variants = Results.inTask(backbone)
                .and(g -> config.isAblation(g.key().method()));
        List<String> tasks = Results.distinct(results.where(variants), g -> g.key().task(),
                Results.taskOrder());
        if (tasks.isEmpty()) {
            return List.of();
        }
        Predicate<RunGroup> filter = Results.inTask(backbone)
                .and(g -> config.isAblation(g.key().method())
                        || g.key().method().equals(config.referenceMethod()))
                .and(g -> tasks.contains(g.key().task()));
        return List.of(byTask(results, filter, tasks, Names.slug("ablation_" + backbone),
                "Ablation (" + backbone + ")", config,
                config.displayName(config.referenceMethod()) + " against its ablation variants."));
    }

    /** Zero-shot and few-shot transfer tables: methods × (source → target) pairs. */
    static List<Table> transfer(Results results, String backbone, ReportConfig config) {
        List<Table> tables = new ArrayList<>();
        for (boolean zeroShot : new boolean[] {true, false}) {
            Predicate<RunGroup> filter = g -> g.key().backbone().equals(backbone)
                    && g.key().transfer() != null && g.key().transfer().zeroShot() == zeroShot;
            Map<String, Map<String, Choice>> cells = new LinkedHashMap<>();
            results.best(filter, g -> new Slot(g.key().method(), g.key().transfer()))
                    .forEach((slot, choice) -> cells
                            .computeIfAbsent(slot.method(), k -> new LinkedHashMap<>())
                            .put(columnKey(slot.transfer()), choice));
            if (cells.isEmpty()) {
                continue;
            }
            List<Transfer> pairs = Results.distinct(results.where(filter), g -> g.key().transfer(),
                    Comparator.comparing(Transfer::source, Results.taskOrder())
                            .thenComparing(Transfer::target, Results.taskOrder())
                            .thenComparingInt(Transfer::shots));
            List<ScoreTable.Column> columns = pairs.stream()
                    .map(t -> new ScoreTable.Column(columnKey(t), columnLabel(t))).toList();
            String kind = zeroShot ? "zero-shot" : "few-shot";
            String id = Names.slug("transfer_" + kind + "_" + backbone);
            String title = (zeroShot ? "Zero-shot" : "Few-shot") + " transfer (" + backbone + ")";
            String lead = zeroShot
                    ? "Trained on the source task, evaluated on the target task without further training."
                    : "Trained on the source task, then on k examples of the target task (k-shot), "
                            + "evaluated on the target task.";
            tables.add(ScoreTable.build(id, title, results.methods(filter, config), columns, cells,
                    false, config, lead));
        }
        return tables;
    }

    private static Table byTask(Results results, Predicate<RunGroup> filter, List<String> tasks,
                                String id, String title, ReportConfig config, String lead) {
        Map<String, Map<String, Choice>> cells = new LinkedHashMap<>();
        results.best(filter, Results.MethodTask::of).forEach((slot, choice) ->
                cells.computeIfAbsent(slot.method(), k -> new LinkedHashMap<>()).put(slot.task(), choice));
        List<ScoreTable.Column> columns = tasks.stream()
                .map(t -> new ScoreTable.Column(t, TaskCatalog.displayName(t))).toList();
        return ScoreTable.build(id, title, results.methods(filter, config), columns, cells, true,
                config, lead);
    }

    private static String columnKey(Transfer t) {
        return t.source() + "→" + t.target() + ":" + t.shots();
    }

    private static String columnLabel(Transfer t) {
        String label = TaskCatalog.displayName(t.source()) + " → " + TaskCatalog.displayName(t.target());
        return t.zeroShot() ? label : label + " (" + t.shots() + "-shot)";
    }

    private record Slot(String method, Transfer transfer) {
    }
}
