package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.stats.StatFormat;
import dev.idspam.eval.stats.Summary;

/**
 * Methods × columns of "mean ± sd" scores, the shape of the paper's results, ablation and
 * transfer tables. Marks the best cell of each column in bold, footnotes cells trained on a subset
 * of the data (†), and shows the seed count where it differs from the usual one.
 */
final class ScoreTable {

    /** Footnote mark of cells trained on a subset of the training set. */
    static final String SUBSET_MARK = "†";

    /** A column: its key in the cell map and its header text. */
    record Column(String key, String label) {
    }

    private ScoreTable() {
    }

    /**
     * Builds the table.
     *
     * @param methods    row methods, in order
     * @param columns    columns, in order
     * @param cells      method → column key → the configuration shown; absent cells print "—"
     * @param meanColumn whether to add a "Mean" column (mean of the row's column means)
     * @param lead       first note, describing what the table shows
     */
    static Table build(String id, String title, List<String> methods, List<Column> columns,
                       Map<String, Map<String, Choice>> cells, boolean meanColumn,
                       ReportConfig config, String lead) {
        int decimals = config.decimals();
        List<Choice> present = new ArrayList<>();
        for (String m : methods) {
            for (Column c : columns) {
                Choice ch = cells.getOrDefault(m, Map.of()).get(c.key());
                if (ch != null) {
                    present.add(ch);
                }
            }
        }
        int usualSeeds = modalSeeds(present);

        // Best displayed value per column (rounded, so that printed ties are all bold).
        Map<String, Double> bestOfColumn = new LinkedHashMap<>();
        for (Column c : columns) {
            for (String m : methods) {
                Choice ch = cells.getOrDefault(m, Map.of()).get(c.key());
                if (ch != null) {
                    bestOfColumn.merge(c.key(), rounded(ch.group().score().mean(), decimals), Math::max);
                }
            }
        }

        List<String> header = new ArrayList<>();
        header.add("Method");
        columns.forEach(c -> header.add(c.label()));
        if (meanColumn) {
            header.add("Mean");
        }

        Map<String, Map<String, List<String>>> subsetNotes = new LinkedHashMap<>();
        boolean selected = false;
        boolean unusualSeeds = false;
        List<List<Cell>> rows = new ArrayList<>();
        List<Double> rowMeans = new ArrayList<>();
        for (String m : methods) {
            List<Cell> row = new ArrayList<>();
            row.add(Cell.text(config.displayName(m)));
            double sum = 0;
            boolean complete = true;
            for (Column c : columns) {
                Choice ch = cells.getOrDefault(m, Map.of()).get(c.key());
                if (ch == null) {
                    row.add(Cell.missing());
                    complete = false;
                    continue;
                }
                Summary s = ch.group().score();
                sum += s.mean();
                Cell cell = Cell.stat(s, decimals);
                if (rounded(s.mean(), decimals) == bestOfColumn.get(c.key())) {
                    cell = cell.bolded();
                }
                if (s.n() != usualSeeds) {
                    cell = cell.withSuffix(" (n=" + s.n() + ")");
                    unusualSeeds = true;
                }
                List<String> subsets = ch.group().trainSubsets();
                if (!subsets.isEmpty()) {
                    cell = cell.marked(SUBSET_MARK);
                    subsetNotes.computeIfAbsent(c.label(), k -> new LinkedHashMap<>())
                            .computeIfAbsent(String.join("; ", subsets), k -> new ArrayList<>())
                            .add(config.displayName(m));
                }
                String detail = ch.group().key().configLabel();
                if (ch.candidates() > 1) {
                    selected = true;
                    detail = (detail.isEmpty() ? "" : detail + "; ") + "best of " + ch.candidates()
                            + " configurations";
                }
                row.add(cell.withDetail(detail));
            }
            if (meanColumn) {
                if (complete && !columns.isEmpty()) {
                    double mean = sum / columns.size();
                    rowMeans.add(mean);
                    row.add(Cell.text(StatFormat.fixed(mean, decimals)));
                } else {
                    rowMeans.add(Double.NaN);
                    row.add(Cell.missing());
                }
            }
            rows.add(row);
        }
        if (meanColumn) {
            boldBestMean(rows, rowMeans, decimals);
        }

        List<String> notes = new ArrayList<>();
        notes.add(lead + " Cells: mean ± sample standard deviation over seeds; best per column in "
                + "bold. " + metricNote(columns, methods, cells));
        if (meanColumn) {
            notes.add("Mean: unweighted mean of the row's column means, shown only for rows "
                    + "with every column.");
        }
        if (unusualSeeds) {
            notes.add("(n=k): number of seeds behind the cell, shown where it differs from the usual "
                    + usualSeeds + ".");
        }
        if (selected) {
            notes.add("Where several configurations (injection layer, hyperparameters) were run, a "
                    + "cell shows the one with the best mean score on the same evaluation set; the "
                    + "CSV names it.");
        }
        if (!subsetNotes.isEmpty()) {
            List<String> parts = new ArrayList<>();
            subsetNotes.forEach((column, byDescription) -> byDescription.forEach((description, who) ->
                    parts.add(column + " (" + (who.size() == methods.size() ? "every method" : String.join(", ", who))
                            + "): " + description)));
            notes.add(SUBSET_MARK + " Trained on a subset of the training set: " + String.join(" | ", parts) + ".");
        }
        return new Table(id, title, header, rows, notes);
    }

    private static void boldBestMean(List<List<Cell>> rows, List<Double> rowMeans, int decimals) {
        double best = Double.NEGATIVE_INFINITY;
        for (double m : rowMeans) {
            if (!Double.isNaN(m)) {
                best = Math.max(best, rounded(m, decimals));
            }
        }
        for (int r = 0; r < rows.size(); r++) {
            double m = rowMeans.get(r);
            if (!Double.isNaN(m) && rounded(m, decimals) == best) {
                List<Cell> row = rows.get(r);
                row.set(row.size() - 1, row.get(row.size() - 1).bolded());
            }
        }
    }

    /** "Metric: accuracy." or "Metrics (×100): MRPC acc_and_f1, RTE accuracy." */
    private static String metricNote(List<Column> columns, List<String> methods,
                                     Map<String, Map<String, Choice>> cells) {
        Map<String, LinkedHashSet<String>> byColumn = new LinkedHashMap<>();
        for (Column c : columns) {
            for (String m : methods) {
                Choice ch = cells.getOrDefault(m, Map.of()).get(c.key());
                if (ch != null) {
                    byColumn.computeIfAbsent(c.label(), k -> new LinkedHashSet<>())
                            .add(ch.group().primaryMetric());
                }
            }
        }
        LinkedHashSet<String> all = new LinkedHashSet<>();
        byColumn.values().forEach(all::addAll);
        if (all.size() == 1) {
            return "Metric: " + all.iterator().next() + " × 100.";
        }
        List<String> parts = new ArrayList<>();
        byColumn.forEach((label, metrics) -> parts.add(label + " " + String.join("/", metrics)));
        return "Metrics (× 100): " + String.join(", ", parts) + ".";
    }

    /** Most common seed count among the cells (the larger on ties); 0 when there are none. */
    private static int modalSeeds(List<Choice> present) {
        TreeMap<Integer, Integer> counts = new TreeMap<>();
        for (Choice ch : present) {
            counts.merge(ch.group().seeds(), 1, Integer::sum);
        }
        int best = 0;
        int bestCount = -1;
        for (Map.Entry<Integer, Integer> e : counts.entrySet()) {
            if (e.getValue() >= bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        }
        return best;
    }

    static double rounded(double value, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(value * f) / f;
    }
}
