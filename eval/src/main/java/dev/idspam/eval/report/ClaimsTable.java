package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.stats.PairedComparison;
import dev.idspam.eval.stats.PairedTests;
import dev.idspam.eval.stats.StatFormat;

/**
 * Each configured {@link Claim} of one backbone, task by task: the verdict, the mean paired difference
 * Δ = better − worse in points over the seeds both methods share, and the two-sided paired t-test p.
 * Each method is represented by its configuration in the results table (the best on dev), as in the
 * significance table.
 *
 * <p>Verdicts, with α = {@value SignificanceTable#ALPHA}:
 * <ul>
 *   <li>{@code supported}: Δ in the claimed direction with p &lt; α; for "≥", any Δ ≥ 0;</li>
 *   <li>{@code same direction, n.s.}: Δ &gt; 0 with p ≥ α (a "&gt;" claim);</li>
 *   <li>{@code opposite, n.s.}: Δ &lt; 0 with p ≥ α, or Δ = 0 for a "&gt;" claim;</li>
 *   <li>{@code contradicted}: Δ &lt; 0 with p &lt; α;</li>
 *   <li>{@code one seed, untested}: a single shared seed gives Δ but no test.</li>
 * </ul>
 */
final class ClaimsTable {

    enum Verdict {
        SUPPORTED("supported"),
        SAME_DIRECTION("same direction, n.s."),
        OPPOSITE("opposite, n.s."),
        CONTRADICTED("contradicted"),
        UNTESTED("one seed, untested");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    private ClaimsTable() {
    }

    /** The verdict of one claim on one comparison (at least one shared seed). */
    static Verdict verdict(Claim.Kind kind, PairedComparison c) {
        double d = c.meanDifference();
        double p = c.tTestP();
        if (Double.isNaN(p)) {
            return Verdict.UNTESTED;
        }
        boolean significant = p < SignificanceTable.ALPHA;
        if (d < 0) {
            return significant ? Verdict.CONTRADICTED : Verdict.OPPOSITE;
        }
        if (kind == Claim.Kind.AT_LEAST) {
            return Verdict.SUPPORTED;
        }
        if (d == 0) {
            return Verdict.OPPOSITE;
        }
        return significant ? Verdict.SUPPORTED : Verdict.SAME_DIRECTION;
    }

    /** The table of one backbone, or null when no claim has both of its methods on a common task. */
    static Table build(Results results, String backbone, ReportConfig config) {
        if (config.claims().isEmpty()) {
            return null;
        }
        Map<Results.MethodTask, Choice> choices = results.best(Results.inTask(backbone), Results.MethodTask::of);
        List<String> tasks = choices.keySet().stream().map(Results.MethodTask::task).distinct()
                .sorted(Results.taskOrder()).toList();
        List<String> usedTasks = tasks.stream().filter(t -> config.claims().stream().anyMatch(c -> both(choices, c, t))).toList();
        if (usedTasks.isEmpty()) {
            return null;
        }
        int decimals = config.decimals();
        List<String> header = new ArrayList<>();
        header.add("Claim");
        usedTasks.forEach(t -> header.add(TaskCatalog.displayName(t)));
        header.add("Tasks");
        List<List<Cell>> rows = new ArrayList<>();
        for (Claim claim : config.claims()) {
            if (usedTasks.stream().noneMatch(t -> both(choices, claim, t))) {
                continue;
            }
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(config.displayName(claim.better()) + " " + claim.kind().symbol() + " "
                    + config.displayName(claim.worse())));
            int compared = 0;
            int supported = 0;
            int contradicted = 0;
            for (String task : usedTasks) {
                if (!both(choices, claim, task)) {
                    row.add(Cell.missing());
                    continue;
                }
                PairedComparison c = PairedTests.compare(choices.get(new Results.MethodTask(claim.better(), task)).group().scores(),
                        choices.get(new Results.MethodTask(claim.worse(), task)).group().scores());
                if (c.n() == 0) {
                    row.add(Cell.text("no shared seeds"));
                    continue;
                }
                Verdict v = verdict(claim.kind(), c);
                compared++;
                supported += v == Verdict.SUPPORTED ? 1 : 0;
                contradicted += v == Verdict.CONTRADICTED ? 1 : 0;
                row.add(Cell.text(v.text + ": Δ " + StatFormat.signed(c.meanDifference(), decimals) + ", p "
                        + StatFormat.pValue(c.tTestP())).withDetail("n=" + c.n() + " shared seeds " + c.seeds()));
            }
            row.add(Cell.text(String.format(Locale.ROOT, "supported on %d of %d, contradicted on %d", supported, compared,
                    contradicted)));
            rows.add(row);
        }
        List<String> notes = List.of(
                "Cells: the verdict, Δ = left − right method in points (primary metric × 100), mean over the seeds both"
                        + " share, and p = two-sided paired t-test over those seeds. Supported: Δ in the claimed direction"
                        + " with p < " + SignificanceTable.ALPHA + " (for ≥, any Δ ≥ 0); n.s.: p ≥ "
                        + SignificanceTable.ALPHA + "; contradicted: Δ < 0 with p < " + SignificanceTable.ALPHA + ".",
                "Each method is represented by the configuration shown in the results table, chosen on the same"
                        + " evaluation set, so these p-values are optimistic.");
        return new Table(Names.slug("claims_" + backbone), "Pairwise claims (" + backbone + ")", header, rows, notes);
    }

    private static boolean both(Map<Results.MethodTask, Choice> choices, Claim c, String task) {
        return choices.containsKey(new Results.MethodTask(c.better(), task))
                && choices.containsKey(new Results.MethodTask(c.worse(), task));
    }
}
