package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.stats.Summary;
import dev.idspam.eval.store.RunRecord;

/**
 * Training and inference cost of the configurations shown in the results tables (the paper's
 * Tables 14 and 15): ms per example, total training time and time to the best epoch.
 */
final class TimingTable {

    private record Quantity(String header, ToDoubleFunction<RunRecord> value, int decimals) {
    }

    private static final List<Quantity> QUANTITIES = List.of(
            new Quantity("Train ms/sample", RunRecord::trainMsPerSample, 2),
            new Quantity("Inference ms/sample", RunRecord::inferenceMsPerSample, 2),
            new Quantity("Train time (s)", RunRecord::trainSeconds, 1),
            new Quantity("Time to best epoch (s)", RunRecord::secondsToBestEpoch, 1),
            new Quantity("Best epoch", r -> r.bestEpoch() == null ? Double.NaN : r.bestEpoch(), 1));

    private TimingTable() {
    }

    /** The timing table of one backbone, or null when no run recorded any of its quantities. */
    static Table build(Results results, String backbone, ReportConfig config) {
        Map<Results.MethodTask, Choice> choices =
                results.best(Results.inTask(backbone), Results.MethodTask::of);
        List<Results.MethodTask> slots = new ArrayList<>(choices.keySet());
        slots.sort(Comparator.comparing(Results.MethodTask::task, Results.taskOrder())
                .thenComparing(Results.MethodTask::method, config.methodOrder()));
        List<String> header = new ArrayList<>(List.of("Task", "Method"));
        QUANTITIES.forEach(q -> header.add(q.header()));
        List<List<Cell>> rows = new ArrayList<>();
        Map<String, Integer> devices = new TreeMap<>();
        for (Results.MethodTask slot : slots) {
            RunGroup g = choices.get(slot).group();
            g.runs().forEach(r -> devices.merge(r.device() == null ? "not recorded" : r.device(), 1, Integer::sum));
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(TaskCatalog.displayName(slot.task())));
            row.add(Cell.text(config.displayName(slot.method())));
            boolean any = false;
            for (Quantity q : QUANTITIES) {
                Summary s = g.stat(q.value());
                if (s == null) {
                    row.add(Cell.missing());
                } else {
                    row.add(Cell.stat(s, q.decimals()));
                    any = true;
                }
            }
            if (any) {
                rows.add(row);
            }
        }
        if (rows.isEmpty()) {
            return null;
        }
        List<String> notes = new ArrayList<>(List.of(
                "Runs of the configuration shown in the results table; mean ± sample standard "
                        + "deviation over seeds. Train ms/sample is 1000 / training throughput; time to "
                        + "best epoch is the training time until the end of the epoch with the best dev "
                        + "score (the reported model)."));
        StringBuilder where = new StringBuilder("Device: ");
        devices.forEach((d, n) -> where.append(where.length() > 8 ? ", " : "").append(d).append(" (")
                .append(n).append(n == 1 ? " run)" : " runs)"));
        notes.add(where + (devices.size() > 1 ? ". Times from different devices are not comparable." : "."));
        return new Table(Names.slug("timing_" + backbone), "Training and inference time (" + backbone + ")",
                header, rows, notes);
    }
}
