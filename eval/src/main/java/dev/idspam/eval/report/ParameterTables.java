package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LongSummaryStatistics;

import dev.idspam.eval.report.params.MethodParams;
import dev.idspam.eval.report.params.ParameterSheet;
import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.store.RunRecord;

/**
 * Trainable parameters (the paper's Tables 12 and 13): as recorded by the runs, and as computed
 * from the shapes for the paper's backbones.
 */
final class ParameterTables {

    private ParameterTables() {
    }

    /** Methods × backbones of the trainable counts the runs recorded; null when none did. */
    static Table measured(Results results, ReportConfig config) {
        Map<String, Map<String, List<RunRecord>>> byMethod = new LinkedHashMap<>();
        List<String> methods = results.methods(g -> true, config);
        List<String> backbones = results.backbones();
        for (RunGroup g : results.groups()) {
            for (RunRecord r : g.runs()) {
                if (r.trainableParams() > 0) {
                    byMethod.computeIfAbsent(g.key().method(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(g.key().backbone(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        if (byMethod.isEmpty()) {
            return null;
        }
        List<String> header = new ArrayList<>();
        header.add("Method");
        header.addAll(backbones);
        List<List<Cell>> rows = new ArrayList<>();
        for (String m : methods) {
            if (!byMethod.containsKey(m)) {
                continue;
            }
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(config.displayName(m)));
            for (String b : backbones) {
                List<RunRecord> runs = byMethod.get(m).get(b);
                row.add(runs == null ? Cell.missing() : Cell.text(countText(runs)));
            }
            rows.add(row);
        }
        List<String> notes = List.of("Trainable parameters recorded by the runs (method weights and "
                + "task head), with their share of all weights in the model (trainable + frozen). A range "
                + "means the count differs between tasks (number of labels) or settings.");
        return new Table("params_measured", "Trainable parameters (recorded)", header, rows, notes);
    }

    /**
     * Computed counts for the backbones of {@link ReportConfig#parameters()}: the reference
     * method's own weights, the head, every method's total (method + head) in the sheet's order, then
     * the sheet's ratios to the reference; null when the sheet is empty.
     */
    static Table analytic(ReportConfig config) {
        ParameterSheet sheet = config.parameters();
        if (sheet.rows().isEmpty()) {
            return null;
        }
        String ref = config.referenceMethod();
        List<String> header = new ArrayList<>(List.of("Backbone", "Backbone params", config.displayName(ref) + " generator",
                "Head"));
        sheet.rows().get(0).methods().forEach(p -> header.add(config.displayName(p.method())));
        sheet.ratios().forEach(m -> header.add(config.displayName(m) + " ÷ " + config.displayName(ref)));
        List<List<Cell>> rows = new ArrayList<>();
        for (ParameterSheet.Row r : sheet.rows()) {
            MethodParams reference = r.methods().stream().filter(p -> p.method().equals(ref)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("the parameter sheet has no counts of the reference method '"
                            + ref + "'"));
            List<Cell> row = new ArrayList<>(List.of(Cell.text(r.backbone().name()), Cell.text(grouped(r.backbone().totalParams())),
                    Cell.text(grouped(reference.methodParams())), Cell.text(grouped(reference.headParams()))));
            r.methods().forEach(p -> row.add(Cell.text(grouped(p.total()))));
            for (String m : sheet.ratios()) {
                long total = r.methods().stream().filter(p -> p.method().equals(m)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("the parameter sheet has no counts of '" + m + "'"))
                        .total();
                row.add(Cell.text(String.format(Locale.ROOT, "%.2f×", (double) total / reference.total())));
            }
            rows.add(row);
        }
        List<String> notes = List.of(
                "Computed from the shapes in docs/METHOD.md, not measured. Backbone params: every "
                        + "checkpoint weight, pooler included. Every method column includes the task head "
                        + "(dense n→n + dense n→C, C = 2); fine-tuning trains the backbone without its "
                        + "pooler.",
                "Sizes: " + sheet.sizes() + ".");
        return new Table("params_analytic", "Trainable parameters (computed)", header, rows, notes);
    }

    private static String countText(List<RunRecord> runs) {
        LongSummaryStatistics trainable =
                runs.stream().mapToLong(RunRecord::trainableParams).summaryStatistics();
        RunRecord first = runs.get(0);
        long all = first.trainableParams() + first.frozenParams();
        String share = all > 0
                ? String.format(Locale.ROOT, " (%.2f%%)", 100.0 * first.trainableParams() / all)
                : "";
        return trainable.getMin() == trainable.getMax()
                ? grouped(trainable.getMin()) + share
                : grouped(trainable.getMin()) + "–" + grouped(trainable.getMax());
    }

    static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
