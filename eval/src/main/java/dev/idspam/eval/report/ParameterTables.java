package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.LongSummaryStatistics;

import dev.idspam.eval.report.params.BackboneConfig;
import dev.idspam.eval.report.params.MethodParams;
import dev.idspam.eval.report.params.ParameterCounts;
import dev.idspam.eval.report.params.PeftSizes;
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

    /** Computed counts for the known backbones with the project's default sizes and 2 labels. */
    static Table analytic() {
        List<String> header = List.of("Backbone", "Backbone params", "ID-SPAM generator", "Head",
                "ID-SPAM", "Mean-pooling", "Prompt Tuning", "LPT", "LoRA", "Fine-tuning", "LoRA ÷ ID-SPAM");
        List<List<Cell>> rows = new ArrayList<>();
        PeftSizes shown = null;
        for (BackboneConfig b : BackboneConfig.known()) {
            PeftSizes sizes = PeftSizes.defaults(b, 2);
            shown = shown == null ? sizes : shown;
            Map<String, MethodParams> counts = new LinkedHashMap<>();
            ParameterCounts.forBackbone(b, sizes).forEach(p -> counts.put(p.method(), p));
            MethodParams idspam = counts.get(ParameterCounts.IDSPAM);
            rows.add(List.of(
                    Cell.text(b.name()),
                    Cell.text(grouped(b.totalParams())),
                    Cell.text(grouped(idspam.methodParams())),
                    Cell.text(grouped(idspam.headParams())),
                    Cell.text(grouped(idspam.total())),
                    Cell.text(grouped(counts.get(ParameterCounts.IDSPAM_MEANPOOL).total())),
                    Cell.text(grouped(counts.get(ParameterCounts.PROMPT_TUNING).total())),
                    Cell.text(grouped(counts.get(ParameterCounts.LPT).total())),
                    Cell.text(grouped(counts.get(ParameterCounts.LORA).total())),
                    Cell.text(grouped(counts.get(ParameterCounts.FINETUNE).total())),
                    Cell.text(String.format(Locale.ROOT, "%.2f×",
                            (double) counts.get(ParameterCounts.LORA).total() / idspam.total()))));
        }
        List<String> notes = List.of(
                "Computed from the shapes in shared/docs/METHOD.md, not measured. Backbone params: every "
                        + "checkpoint weight, pooler included. Every method column includes the task head "
                        + "(dense n→n + dense n→C, C = 2); fine-tuning trains the backbone without its "
                        + "pooler.",
                "Sizes: t = " + shown.promptTokens() + " prompt tokens; ID-SPAM bottleneck c = 192 "
                        + "(n/2 below n = 384) with Q, K, V biases; LPT r = " + shown.lptRank()
                        + "; LoRA r = " + shown.loraRank() + " on W_Q and W_V of every layer.");
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
