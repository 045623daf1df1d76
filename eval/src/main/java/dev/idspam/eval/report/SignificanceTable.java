package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.stats.PairedComparison;
import dev.idspam.eval.stats.PairedTests;
import dev.idspam.eval.stats.StatFormat;

/**
 * Paired tests of the reference method against every other method, per task, over the seeds both
 * were run with: the mean difference in points and the paired t-test p-value (plus Wilcoxon
 * signed-rank from {@value PairedTests#WILCOXON_MIN_PAIRS} seeds on).
 */
final class SignificanceTable {

    /** Mark of a difference with p below {@link #ALPHA}. */
    static final String SIGNIFICANT_MARK = "*";
    static final double ALPHA = 0.05;

    private SignificanceTable() {
    }

    /** The table of one backbone, or null without the reference method or anything to compare. */
    static Table build(Results results, String backbone, ReportConfig config) {
        Map<Results.MethodTask, Choice> choices =
                results.best(Results.inTask(backbone), Results.MethodTask::of);
        String ref = config.referenceMethod();
        List<String> tasks = choices.keySet().stream().filter(s -> s.method().equals(ref))
                .map(Results.MethodTask::task).distinct().sorted(Results.taskOrder()).toList();
        LinkedHashSet<String> others = new LinkedHashSet<>();
        choices.keySet().stream().filter(s -> !s.method().equals(ref) && tasks.contains(s.task()))
                .map(Results.MethodTask::method).sorted(config.methodOrder()).forEach(others::add);
        if (tasks.isEmpty() || others.isEmpty()) {
            return null;
        }
        int decimals = config.decimals();
        List<String> header = new ArrayList<>();
        header.add(config.displayName(ref) + " vs");
        tasks.forEach(t -> header.add(TaskCatalog.displayName(t)));
        List<List<Cell>> rows = new ArrayList<>();
        for (String other : others) {
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(config.displayName(other)));
            for (String task : tasks) {
                Choice a = choices.get(new Results.MethodTask(ref, task));
                Choice b = choices.get(new Results.MethodTask(other, task));
                row.add(b == null ? Cell.missing() : cell(a.group(), b.group(), decimals));
            }
            rows.add(row);
        }
        List<String> notes = List.of(
                "Cells: Δ = " + config.displayName(ref) + " − baseline in points (primary metric × 100), "
                        + "mean over the seeds both methods share; p = two-sided paired t-test over those "
                        + "seeds; W = two-sided Wilcoxon signed-rank p, shown from "
                        + PairedTests.WILCOXON_MIN_PAIRS + " shared seeds on. " + SIGNIFICANT_MARK
                        + " marks p < " + ALPHA + ".",
                "Each method is represented by the configuration shown in the results table, chosen "
                        + "on the same evaluation set, so these p-values are optimistic.");
        return new Table(Names.slug("significance_" + backbone),
                "Significance of " + config.displayName(ref) + " vs baselines (" + backbone + ")",
                header, rows, notes);
    }

    private static Cell cell(RunGroup ref, RunGroup other, int decimals) {
        PairedComparison c = PairedTests.compare(ref.scores(), other.scores());
        if (c.n() == 0) {
            return Cell.text("no shared seeds");
        }
        StringBuilder text = new StringBuilder("Δ ").append(StatFormat.signed(c.meanDifference(), decimals))
                .append(", p ").append(StatFormat.pValue(c.tTestP()));
        c.wilcoxonP().ifPresent(w -> text.append(", W ").append(StatFormat.pValue(w)));
        Cell cell = Cell.text(text.toString()).withDetail("n=" + c.n() + " shared seeds " + c.seeds());
        return c.tTestP() < ALPHA ? cell.marked(SIGNIFICANT_MARK) : cell;
    }
}
