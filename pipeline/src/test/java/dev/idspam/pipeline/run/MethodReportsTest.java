package dev.idspam.pipeline.run;

import dev.idspam.eval.report.Claim;
import dev.idspam.eval.report.ReportConfig;
import dev.idspam.eval.report.params.BackboneSizes;
import dev.idspam.eval.report.params.MethodParams;
import dev.idspam.eval.report.params.ParameterCounts;
import dev.idspam.eval.report.params.ParameterSheet;
import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.ModelSizes;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The reports' view of the method registry: names, order, roles and the computed counts. */
class MethodReportsTest {

    @Test
    void configNamesEveryRegisteredMethodInThePapersOrder() {
        ReportConfig c = MethodReports.config();
        assertThat(c.methodNames().keySet()).containsExactlyInAnyOrderElementsOf(MethodRegistry.ids());
        assertThat(c.methodNames().keySet()).containsSubsequence("full", "lora", "prompt-tuning", "ptuning-v2", "smop",
                "dept", "lpt", "idspam-meanpool", "idspam", "probe");
        assertThat(c.referenceMethod()).isEqualTo("idspam");
        assertThat(c.ablationMethods()).containsExactly("idspam-meanpool");
        assertThat(c.displayName("idspam")).isEqualTo("ID-SPAM");
        assertThat(c.displayName("full")).isEqualTo("Fine-tuning");
    }

    @Test
    void thePapersClaimsComeFromTheProviders() {
        assertThat(MethodReports.config().claims()).containsExactly(
                new Claim("idspam", "lpt", Claim.Kind.ABOVE),
                new Claim("idspam", "prompt-tuning", Claim.Kind.ABOVE),
                new Claim("idspam", "lora", Claim.Kind.AT_LEAST),
                new Claim("idspam", "idspam-meanpool", Claim.Kind.ABOVE),
                new Claim("lpt", "prompt-tuning", Claim.Kind.ABOVE));
    }

    @Test
    void computedCountsFollowTheMethodsEquationsOnRobertaBase() {
        ParameterSheet sheet = MethodReports.sheet();
        ParameterSheet.Row row = sheet.rows().stream().filter(r -> r.backbone() == BackboneSizes.ROBERTA_BASE).findFirst()
                .orElseThrow();
        Map<String, Long> own = row.methods().stream().collect(Collectors.toMap(MethodParams::method, MethodParams::methodParams));
        long n = 768;
        // 3(n² + n) + (n·c + c) + (c·t·n + t·n) with t = 10, c = 192
        assertThat(own.get("idspam")).isEqualTo(3 * (n * n + n) + (n * 192 + 192) + (192 * 10 * n + 10 * n))
                .isEqualTo(3_401_664L);
        assertThat(own.get("idspam-meanpool")).isEqualTo(3_401_664L - 3 * (n * n + n));
        assertThat(own.get("prompt-tuning")).isEqualTo(7_680L);
        assertThat(own.get("lpt")).isEqualTo(2_170_624L);
        assertThat(own.get("lora")).isEqualTo(294_912L);
        assertThat(own.get("full")).isEqualTo(BackboneSizes.ROBERTA_BASE.totalParamsWithoutPooler());
        // P-Tuning v2: N·t·n = 12·10·768
        assertThat(own.get("ptuning-v2")).isEqualTo(12L * 10 * n).isEqualTo(92_160L);
        // SMoP: K·t·n + n·K + K with K = 4, t = 5
        assertThat(own.get("smop")).isEqualTo(4L * 5 * n + n * 4 + 4).isEqualTo(18_436L);
        // DEPT: t·n + V·r + r·n with t = 6, r = 8 and RoBERTa's V = 50,265
        assertThat(own.get("dept")).isEqualTo(6L * n + 50_265L * 8 + 8 * n).isEqualTo(412_872L);
        assertThat(own).as("the probe trains the head alone: the Head column").doesNotContainKey("probe");
        assertThat(sheet.ratios()).containsExactly("lora");
        assertThat(row.methods()).allSatisfy(p -> assertThat(p.headParams()).isEqualTo(ParameterCounts.head(768, 2)));
        assertThat(sheet.sizes()).contains("--prompt-tokens 10").contains("--lpt-rank 256").contains("--lora-rank 8");
    }

    @Test
    void theTablesSizeSheetCountsWhatTheGraphBuilderBuilds() {
        // The size sheet (eval) and the architecture (graphs) are two records; on an encoder they must
        // count the same weights, or the Fine-tuning column would disagree with a built graph.
        BackboneSizes s = BackboneSizes.BERT_BASE;
        BackboneConfig built = BackboneConfig.bert(s.layers(), s.hidden(), s.heads(), s.intermediate(), s.vocab(),
                s.maxPositions(), s.typeVocab(), 1e-12);
        assertThat(built.parameterCount()).isEqualTo(s.totalParamsWithoutPooler()).isEqualTo(108_891_648L);
        assertThat(ModelSizes.of(built)).isEqualTo(new ModelSizes(s.hidden(), s.layers(), s.vocab(), s.totalParamsWithoutPooler()));
    }

    @Test
    void theComputedTableMatchesTheOnePublishedBeforeTheRegistry(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws java.io.IOException {
        MethodReports.generator().generate(dir.resolve("none.jsonl"), dir);
        java.util.List<String> now = java.nio.file.Files.readAllLines(dir.resolve("params_analytic.md"));
        java.util.List<String> published = java.nio.file.Files.readAllLines(
                java.nio.file.Path.of("..", "docs", "results", "minilm-glue-h200", "params_analytic.md"));
        // title, header, separator and one row per backbone (the notes under the table say how sizes were
        // chosen); methods added since then are new columns, so the published columns are compared by name
        assertThat(now.get(0)).isEqualTo(published.get(0));
        java.util.List<String> header = cells(published.get(2));
        java.util.List<String> nowHeader = cells(now.get(2));
        assertThat(nowHeader).containsAll(header);
        for (int line = 4; line < 10; line++) {
            java.util.List<String> was = cells(published.get(line));
            java.util.List<String> is = cells(now.get(line));
            for (int col = 0; col < header.size(); col++) {
                assertThat(is.get(nowHeader.indexOf(header.get(col)))).as("line %d, column %s", line, header.get(col))
                        .isEqualTo(was.get(col));
            }
        }
    }

    /** The cells of a markdown table row. */
    private static java.util.List<String> cells(String row) {
        return java.util.Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::trim).toList();
    }

    @Test
    void theDefaultBottleneckFollowsTheHiddenSize() {
        // c = n/2 below n = 384: a 16-wide backbone gets c = 8 (no qkv: the mean-pool ablation, t = 10)
        var tiny = new dev.idspam.graphs.methods.ModelSizes(16, 2, 100, 1000);
        long t = 10;
        assertThat(dev.idspam.graphs.methods.MethodSpec.defaults("idspam-meanpool").trainableParameters(tiny))
                .isEqualTo(16 * 8 + 8 + 8 * t * 16 + t * 16);
    }
}
