package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.idspam.eval.report.params.BackboneSizes;
import dev.idspam.eval.report.params.MethodParams;
import dev.idspam.eval.report.params.ParameterCounts;
import dev.idspam.eval.report.params.ParameterSheet;

/**
 * A report config as the application layer builds it, written out for the report tests: the paper's
 * names and row order, ID-SPAM as the reference, mean-pooling as its ablation, and a parameter sheet
 * with two methods whose counts follow the paper's formulas (t = 10, c = 192, LoRA r = 8), and the paper's
 * pairwise claims plus one whose methods the fixture never ran together (fine-tuning).
 */
final class PaperReportConfig {
    private PaperReportConfig() {
    }

    static ReportConfig get() {
        Map<String, String> names = new LinkedHashMap<>();
        names.put("full", "Fine-tuning");
        names.put("lora", "LoRA");
        names.put("prompt-tuning", "Prompt Tuning");
        names.put("lpt", "LPT");
        names.put("idspam-meanpool", "Mean-pooling");
        names.put("idspam", "ID-SPAM");
        names.put("probe", "Frozen probe");
        return new ReportConfig("idspam", Set.of("idspam-meanpool"), names, 1, sheet(), List.of(
                new Claim("idspam", "lpt", Claim.Kind.ABOVE),
                new Claim("lpt", "prompt-tuning", Claim.Kind.ABOVE),
                new Claim("idspam", "idspam-meanpool", Claim.Kind.ABOVE),
                new Claim("idspam", "lora", Claim.Kind.AT_LEAST),
                new Claim("full", "idspam", Claim.Kind.ABOVE)));
    }

    private static ParameterSheet sheet() {
        List<ParameterSheet.Row> rows = new ArrayList<>();
        for (BackboneSizes b : BackboneSizes.known()) {
            long n = b.hidden();
            long c = 192;
            long head = ParameterCounts.head(b.hidden(), 2);
            rows.add(new ParameterSheet.Row(b, List.of(
                    new MethodParams("idspam", 3 * (n * n + n) + (n * c + c) + (c * 10 * n + 10 * n), head),
                    new MethodParams("lora", b.layers() * 2L * (2 * n * 8), head))));
        }
        return new ParameterSheet(rows, "t = 10, c = 192, LoRA r = 8", List.of("lora"));
    }
}
