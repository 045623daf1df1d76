package dev.idspam.eval.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

import dev.idspam.eval.report.table.CsvTable;
import dev.idspam.eval.report.table.MarkdownTable;
import dev.idspam.eval.report.table.Table;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;
import dev.idspam.eval.store.StoreContents;

/**
 * Regenerates every report from the results store alone; running it twice on the same store
 * writes the same bytes. Every file goes through the caller's {@link FileWriter}, which replaces it
 * atomically (the application passes its atomic writer; this module writes no file itself).
 *
 * <p>Written to the output directory, as applicable:
 * <ul>
 *   <li>{@code report.md}: index with links, every table inline, the charts, store warnings;</li>
 *   <li>{@code glue_<backbone>}, {@code superglue_<backbone>}, {@code other_<backbone>}: results;</li>
 *   <li>{@code ablation_<backbone>}, {@code transfer_zero-shot_<backbone>},
 *       {@code transfer_few-shot_<backbone>}, {@code timing_<backbone>},
 *       {@code significance_<backbone>}, {@code claims_<backbone>} (when the config lists claims);</li>
 *   <li>{@code params_measured}, {@code params_analytic} (whenever the config has computed counts);</li>
 *   <li>{@code layer_sweep_<task>} (+ {@code _<backbone>} when a task was swept on several
 *       backbones): table and {@code .png} chart.</li>
 * </ul>
 * Each table is written as {@code .md} and {@code .csv}. Files of tables that no longer apply are
 * not deleted.
 */
public final class ReportGenerator {

    /** Size of layer-sweep charts in pixels. */
    public static final int CHART_WIDTH = 960;
    public static final int CHART_HEIGHT = 540;

    /** Replaces a whole file with new content, so that a reader never sees a torn file. */
    @FunctionalInterface
    public interface FileWriter {
        void write(Path target, byte[] content) throws IOException;
    }

    private final ReportConfig config;
    private final FileWriter files;

    public ReportGenerator(ReportConfig config, FileWriter files) {
        this.config = Objects.requireNonNull(config, "config");
        this.files = Objects.requireNonNull(files, "files");
    }

    /** Reads {@code storeFile} and writes every applicable report into {@code outDir}. */
    public GeneratedReport generate(Path storeFile, Path outDir) throws IOException {
        StoreContents contents = new ResultsStore(storeFile).read();
        List<RunRecord> runs = contents.latestPerCell();
        Results results = new Results(runs);

        List<String> warnings = new ArrayList<>(contents.warnings());
        if (contents.supersededCount() > 0) {
            warnings.add(contents.supersededCount() + " record(s) superseded by a later record of the "
                    + "same cell; only the latest of each cell is used");
        }
        warnings.addAll(results.warnings());

        List<Table> tables = new ArrayList<>();
        for (String backbone : results.backbones()) {
            tables.addAll(ResultTables.main(results, backbone, config));
            tables.addAll(ResultTables.ablation(results, backbone, config));
            tables.addAll(ResultTables.transfer(results, backbone, config));
            addIfPresent(tables, SignificanceTable.build(results, backbone, config));
            addIfPresent(tables, ClaimsTable.build(results, backbone, config));
            addIfPresent(tables, TimingTable.build(results, backbone, config));
        }
        addIfPresent(tables, ParameterTables.measured(results, config));
        addIfPresent(tables, ParameterTables.analytic(config));
        List<LayerSweep.Sweep> sweeps = LayerSweep.build(results, config);

        List<Path> written = new ArrayList<>();
        for (Table t : tables) {
            writeTable(outDir, t, written);
        }
        for (LayerSweep.Sweep s : sweeps) {
            writeTable(outDir, s.table(), written);
            Path png = outDir.resolve(s.id() + ".png");
            files.write(png, s.chart().png(CHART_WIDTH, CHART_HEIGHT));
            written.add(png);
        }
        Path index = outDir.resolve("report.md");
        writeString(index, index(storeFile, contents, runs, tables, sweeps, warnings));
        written.add(index);
        return new GeneratedReport(index, written, warnings);
    }

    private static void addIfPresent(List<Table> tables, Table t) {
        if (t != null) {
            tables.add(t);
        }
    }

    private void writeTable(Path outDir, Table t, List<Path> written) throws IOException {
        Path md = outDir.resolve(t.id() + ".md");
        Path csv = outDir.resolve(t.id() + ".csv");
        writeString(md, MarkdownTable.render(t));
        writeString(csv, CsvTable.render(t));
        written.add(md);
        written.add(csv);
    }

    private void writeString(Path target, String content) throws IOException {
        files.write(target, content.getBytes(StandardCharsets.UTF_8));
    }

    private static String index(Path storeFile, StoreContents contents, List<RunRecord> runs,
                                List<Table> tables, List<LayerSweep.Sweep> sweeps, List<String> warnings) {
        StringBuilder s = new StringBuilder("# ID-SPAM results\n\n");
        TreeSet<String> experiments = new TreeSet<>();
        runs.forEach(r -> experiments.add(r.experiment()));
        s.append("Generated from `").append(storeFile.getFileName()).append("`: ")
                .append(contents.records().size()).append(" record(s), ").append(runs.size())
                .append(" distinct run(s)");
        if (!experiments.isEmpty()) {
            s.append(", experiments: ").append(String.join(", ", experiments));
        }
        s.append(".\n\n");
        if (runs.isEmpty()) {
            s.append("No runs recorded yet; only the computed parameter counts are shown.\n\n");
        }
        s.append("## Contents\n\n");
        for (Table t : tables) {
            link(s, t, "");
        }
        for (LayerSweep.Sweep sw : sweeps) {
            link(s, sw.table(), " · [chart](" + sw.id() + ".png)");
        }
        if (!warnings.isEmpty()) {
            s.append("\n## Warnings\n\n");
            warnings.forEach(w -> s.append("- ").append(w.replace("\n", " ")).append('\n'));
        }
        for (Table t : tables) {
            s.append('\n').append(MarkdownTable.render(t));
        }
        for (LayerSweep.Sweep sw : sweeps) {
            s.append('\n').append(MarkdownTable.render(sw.table()));
            s.append("\n![").append(sw.table().title()).append("](").append(sw.id()).append(".png)\n");
        }
        return s.toString();
    }

    private static void link(StringBuilder s, Table t, String extra) {
        s.append("- [").append(t.title()).append("](").append(t.id()).append(".md) · [csv](")
                .append(t.id()).append(".csv)").append(extra).append('\n');
    }
}
