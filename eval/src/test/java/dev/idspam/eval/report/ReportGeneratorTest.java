package dev.idspam.eval.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.idspam.eval.report.chart.LineChart;
import dev.idspam.eval.stats.PairedTests;

class ReportGeneratorTest {

    @TempDir
    Path dir;

    /** A plain writer: the tests check content, not crash safety. */
    static void write(Path target, byte[] content) throws IOException {
        Files.createDirectories(target.getParent());
        Files.write(target, content);
    }

    private GeneratedReport generate() throws IOException {
        Path store = SyntheticStore.standard(dir);
        return new ReportGenerator(PaperReportConfig.get(), ReportGeneratorTest::write).generate(store, dir.resolve("out"));
    }

    private String read(String name) throws IOException {
        return Files.readString(dir.resolve("out").resolve(name));
    }

    /** The Markdown row whose first cell is {@code first}. */
    private static String row(String markdown, String first) {
        return markdown.lines().filter(l -> l.startsWith("| " + first + " |")).findFirst()
                .orElseThrow(() -> new AssertionError("no row '" + first + "' in\n" + markdown));
    }

    @Test
    void glueTableHasBoldBestPlusMinusCellsAndFootnotes() throws IOException {
        generate();
        String md = read("glue_roberta-base.md");
        assertThat(md).startsWith("## GLUE results (roberta-base)");
        assertThat(md).contains("| Method | MRPC | RTE | Mean |"); // the paper's column order
        // ID-SPAM's best RTE configuration is layer 11: 79.0 ± 1.0, the column's best.
        assertThat(row(md, "ID-SPAM")).isEqualTo("| ID-SPAM | 82.8 ± 1.0 | **79.0 ± 1.0** | **80.9** |");
        assertThat(row(md, "LPT")).isEqualTo("| LPT | **84.3 ± 1.0** | 73.6 ± 1.0 | 78.9 |");
        // LoRA trained MRPC on a subset: dagger and note.
        assertThat(row(md, "LoRA")).isEqualTo("| LoRA | 79.3 ± 1.0† | 77.6 ± 1.0 | 78.5 |");
        assertThat(md).contains("† Trained on a subset of the training set: MRPC (LoRA): first 2000 of 3668 examples.");
        assertThat(md).contains("Metrics (× 100): MRPC acc_and_f1, RTE accuracy.");
        assertThat(md).contains("a cell shows the one with the best mean score");
        // Rows in the paper's order; the ablation variant is not in the main table.
        assertThat(md.indexOf("| LoRA |")).isLessThan(md.indexOf("| Prompt Tuning |"));
        assertThat(md.indexOf("| LPT |")).isLessThan(md.indexOf("| ID-SPAM |"));
        assertThat(md).doesNotContain("Mean-pooling");

        String csv = read("glue_roberta-base.csv");
        assertThat(csv.lines().findFirst().orElseThrow())
                .isEqualTo("Method,MRPC mean,MRPC sd,MRPC n,MRPC note,RTE mean,RTE sd,RTE n,RTE note,Mean");
        assertThat(csv).contains("ID-SPAM,82.8000,1.0000,3,\"m=11, lr=1e-3\",79.0000,1.0000,3,"
                + "\"m=11, lr=1e-3; best of 2 configurations\",80.9\r\n");
        assertThat(csv).contains("LoRA,79.3000,1.0000,3,† lr=1e-3,77.6000");
    }

    @Test
    void unusualSeedCountIsShown() throws IOException {
        generate();
        String md = read("superglue_roberta-base.md");
        assertThat(row(md, "Prompt Tuning")).contains("63.1 ± 0.7 (n=2)");
        assertThat(row(md, "ID-SPAM")).contains("**69.9 ± 1.0**").doesNotContain("(n=");
        assertThat(md).contains("(n=k): number of seeds behind the cell, shown where it differs from the usual 3.");
    }

    @Test
    void ablationTransferSignificanceTimingAndParameterTables() throws IOException {
        generate();
        String ablation = read("ablation_roberta-base.md");
        assertThat(ablation).contains("| Method | MRPC | RTE | Mean |");
        assertThat(row(ablation, "Mean-pooling")).isEqualTo("| Mean-pooling | 82.3 ± 1.0 | 75.2 ± 1.0 | 78.8 |");
        assertThat(row(ablation, "ID-SPAM")).contains("**79.0 ± 1.0**");
        assertThat(ablation).doesNotContain("LPT");

        String zero = read("transfer_zero-shot_roberta-base.md");
        assertThat(zero).contains("| Method | SST-2 → IMDB |");
        assertThat(row(zero, "ID-SPAM")).contains("**89.1 ± 1.0**");
        String few = read("transfer_few-shot_roberta-base.md");
        assertThat(few).contains("QQP → MRPC (100-shot)");

        String sig = read("significance_roberta-base.md");
        assertThat(sig).contains("| ID-SPAM vs | MRPC | RTE | BoolQ |");
        // ID-SPAM − Prompt Tuning on RTE: 21.1 points, identical spread → zero-variance differences.
        assertThat(row(sig, "Prompt Tuning")).contains("Δ +21.1, p <0.001*");
        assertThat(row(sig, "LoRA")).contains("Δ +1.4");

        String timing = read("timing_roberta-base.md");
        assertThat(timing).contains("| Task | Method | Train ms/sample | Inference ms/sample |");
        assertThat(row(timing, "RTE")).contains("5.00 ± 0.00").contains("1.50 ± 0.00").contains("102.0 ± 1.0");
        assertThat(timing).containsPattern("Device: cpu \\(\\d+ runs\\)\\.");

        assertThat(read("params_analytic.md")).contains("| bert-base | 109,482,240 |");
        String measured = read("params_measured.md");
        assertThat(measured).contains("| LoRA | 3,994,000 (3.10%) |");
        // The fixture's transfer runs record a different count: shown as a range.
        assertThat(measured).contains("| ID-SPAM | 3,993,794–3,994,000 |");
    }

    @Test
    void layerSweepChartIsAReadablePng() throws IOException {
        GeneratedReport report = generate();
        Path png = dir.resolve("out/layer_sweep_rte.png");
        assertThat(report.files()).contains(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isEqualTo(ReportGenerator.CHART_WIDTH);
        assertThat(image.getHeight()).isEqualTo(ReportGenerator.CHART_HEIGHT);
        int background = LineChart.BACKGROUND.getRGB();
        int drawn = 0;
        int coloured = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                if (rgb != background) {
                    drawn++;
                }
                int r = (rgb >> 16) & 0xFF;
                int g = (rgb >> 8) & 0xFF;
                int b = rgb & 0xFF;
                if (Math.max(r, Math.max(g, b)) - Math.min(r, Math.min(g, b)) > 80) {
                    coloured++;
                }
            }
        }
        assertThat(drawn).isGreaterThan(5_000);
        assertThat(coloured).as("pixels of the series lines").isGreaterThan(300);

        String table = read("layer_sweep_rte.md");
        assertThat(table).contains("| Layer m | LPT | ID-SPAM |");
        assertThat(row(table, "5")).isEqualTo("| 5 | 70.0 ± 1.0 | 76.0 ± 1.0 |");
        assertThat(row(table, "11")).isEqualTo("| 11 | **73.6 ± 1.0** | **79.0 ± 1.0** |");
    }

    @Test
    void claimsTableGivesAVerdictPerTaskAndCountsThem() throws IOException {
        generate();
        String claims = read("claims_roberta-base.md");
        // BoolQ has no claim with both methods run; fine-tuning was never run, so its claim has no row
        assertThat(claims).contains("| Claim | MRPC | RTE | Tasks |").doesNotContain("Fine-tuning");
        assertThat(row(claims, "ID-SPAM > LPT")).isEqualTo("| ID-SPAM > LPT | contradicted: Δ -1.5, p <0.001"
                + " | supported: Δ +5.4, p <0.001 | supported on 1 of 2, contradicted on 1 |");
        assertThat(row(claims, "LPT > Prompt Tuning")).contains("supported: Δ +9.9").contains("supported: Δ +15.7")
                .endsWith("| supported on 2 of 2, contradicted on 0 |");
        assertThat(row(claims, "ID-SPAM > Mean-pooling")).contains("supported: Δ +0.5").contains("supported: Δ +3.8");
        assertThat(row(claims, "ID-SPAM ≥ LoRA")).contains("supported: Δ +3.5").contains("supported: Δ +1.4");
        assertThat(read("report.md")).contains("[Pairwise claims (roberta-base)](claims_roberta-base.md)");
    }

    @Test
    void claimVerdictsFollowTheSignAndThePValue() {
        Map<Long, Double> base = Map.of(1L, 0.70, 2L, 0.72, 3L, 0.74);
        Map<Long, Double> slightlyAbove = Map.of(1L, 0.72, 2L, 0.71, 3L, 0.76); // Δ +1, spread 2 points: n.s.
        Map<Long, Double> clearlyBelow = Map.of(1L, 0.60, 2L, 0.63, 3L, 0.64);
        Map<Long, Double> one = Map.of(1L, 0.9);
        Map<Long, Double> other = Map.of(1L, 0.5);
        // kind, better's scores, worse's scores, the verdict
        Object[][] cases = {
            {Claim.Kind.ABOVE, slightlyAbove, base, ClaimsTable.Verdict.SAME_DIRECTION},
            {Claim.Kind.AT_LEAST, slightlyAbove, base, ClaimsTable.Verdict.SUPPORTED},
            {Claim.Kind.ABOVE, base, slightlyAbove, ClaimsTable.Verdict.OPPOSITE},
            {Claim.Kind.AT_LEAST, base, slightlyAbove, ClaimsTable.Verdict.OPPOSITE},
            {Claim.Kind.AT_LEAST, clearlyBelow, base, ClaimsTable.Verdict.CONTRADICTED},
            {Claim.Kind.ABOVE, base, clearlyBelow, ClaimsTable.Verdict.SUPPORTED},
            {Claim.Kind.ABOVE, base, base, ClaimsTable.Verdict.OPPOSITE},
            {Claim.Kind.ABOVE, one, other, ClaimsTable.Verdict.UNTESTED},
        };
        for (Object[] c : cases) {
            @SuppressWarnings("unchecked")
            ClaimsTable.Verdict v = ClaimsTable.verdict((Claim.Kind) c[0],
                    PairedTests.compare((Map<Long, Double>) c[1], (Map<Long, Double>) c[2]));
            assertThat(v).as(c[0] + " " + c[1] + " vs " + c[2]).isEqualTo(c[3]);
        }
        assertThatThrownBy(() -> new Claim("idspam", "idspam", Claim.Kind.ABOVE)).hasMessageContaining("twice");
    }

    @Test
    void indexLinksEveryTableAndRegenerationIsByteIdentical() throws IOException {
        GeneratedReport first = generate();
        String index = Files.readString(first.index());
        for (Path p : first.files()) {
            String name = p.getFileName().toString();
            if (!name.equals("report.md")) {
                assertThat(index).as("link to " + name).contains("(" + name + ")");
            }
        }
        assertThat(index).contains("![Layer sweep: RTE (roberta-base)](layer_sweep_rte.png)");
        assertThat(first.warnings()).isEmpty();

        List<byte[]> before = new ArrayList<>();
        for (Path p : first.files()) {
            before.add(Files.readAllBytes(p));
        }
        GeneratedReport second = new ReportGenerator(PaperReportConfig.get(), ReportGeneratorTest::write).generate(dir.resolve("results.jsonl"), dir.resolve("out"));
        assertThat(second.files()).isEqualTo(first.files());
        for (int i = 0; i < before.size(); i++) {
            assertThat(Files.readAllBytes(second.files().get(i))).as(second.files().get(i).toString())
                    .isEqualTo(before.get(i));
        }
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void emptyStoreStillWritesIndexAndComputedCounts() throws IOException {
        GeneratedReport r = new ReportGenerator(PaperReportConfig.get(), ReportGeneratorTest::write).generate(dir.resolve("missing.jsonl"), dir.resolve("out"));
        assertThat(r.files()).extracting(p -> p.getFileName().toString())
                .containsExactly("params_analytic.md", "params_analytic.csv", "report.md");
        assertThat(Files.readString(r.index())).contains("No runs recorded yet");
    }

    @Test
    void storeWarningsReachTheIndex() throws IOException {
        Path store = SyntheticStore.standard(dir);
        Files.writeString(store, Files.readString(store) + "{\"schema\":1,\"exp");
        SyntheticStore again = new SyntheticStore(store);
        again.seeds("idspam", "rte", 11, 0.80, null, 1); // re-run of seed 1 supersedes the older line
        GeneratedReport r = new ReportGenerator(PaperReportConfig.get(), ReportGeneratorTest::write).generate(store, dir.resolve("out"));
        assertThat(r.warnings()).hasSize(2);
        assertThat(r.warnings().get(0)).contains("truncated record ignored");
        assertThat(r.warnings().get(1)).contains("1 record(s) superseded");
        assertThat(Files.readString(r.index())).contains("## Warnings");
    }
}
