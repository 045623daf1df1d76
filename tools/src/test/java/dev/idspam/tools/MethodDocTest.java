package dev.idspam.tools;

import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.dept.DeptConfig;
import dev.idspam.graphs.methods.head.HeadConfig;
import dev.idspam.graphs.methods.idspam.IdSpamConfig;
import dev.idspam.graphs.methods.smop.SmopConfig;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The "Defaults" table of docs/METHOD.md against the code that holds each default: every method
 * option of the registry, the numeric options of {@code generate} and {@code train}, and the fixed
 * values (AdamW, head, generator initialisation) must have a row, and every row must name something
 * the code knows and state its value.
 */
class MethodDocTest {
    private static final Path DOC = Path.of("..").toAbsolutePath().normalize().resolve("docs/METHOD.md");
    private static final String HEADING = "## Defaults";
    /** Options of these commands that the table must list (besides every method option). */
    private static final List<String> RUN_OPTIONS = List.of("weight-decay", "max-length", "epochs", "batch-size", "lr",
            "warmup-ratio", "grad-accumulation", "seed");

    @Test
    void theDefaultsTableMatchesTheCode() throws IOException {
        assertThat(DOC).exists();
        assertThat(problems(Files.readString(DOC))).isEmpty();
    }

    @Test
    void aWrongOrMissingRowIsReported() throws IOException {
        String doc = Files.readString(DOC);
        assertThat(doc).contains("| `--prompt-tokens` | 10 |", "| `AdamW beta2` | 0.98 |");
        String wrong = doc.replace("| `--prompt-tokens` | 10 |", "| `--prompt-tokens` | 20 |")
                .replace("| `AdamW beta2` | 0.98 |", "| `AdamW beta2` | 0.999 |");
        assertThat(problems(wrong)).hasSize(2).anyMatch(p -> p.contains("--prompt-tokens"))
                .anyMatch(p -> p.contains("AdamW beta2"));
        String missing = doc.replaceAll("(?m)^\\| `--lpt-rank` .*\\n", "");
        assertThat(problems(missing)).singleElement().asString().contains("--lpt-rank", "no row");
        String unknown = doc.replace("| `--lr` |", "| `--learning-rate` |");
        assertThat(problems(unknown)).anyMatch(p -> p.contains("--learning-rate"));
    }

    /** Every disagreement between the table in {@code doc} and the code, one line each. */
    private static List<String> problems(String doc) {
        Map<String, Double> expected = codeDefaults();
        Map<String, String> rows = table(doc);
        List<String> out = new ArrayList<>();
        if (rows.isEmpty()) {
            out.add("docs/METHOD.md has no table under '" + HEADING + "'");
            return out;
        }
        for (Map.Entry<String, String> row : rows.entrySet()) {
            Double code = expected.get(row.getKey());
            if (code == null) {
                out.add("row '" + row.getKey() + "' names no default the code has");
                continue;
            }
            double stated;
            try {
                stated = Double.parseDouble(row.getValue());
            } catch (NumberFormatException e) {
                out.add("row '" + row.getKey() + "': '" + row.getValue() + "' is not a number");
                continue;
            }
            if (Math.abs(stated - code) > 1e-6 * Math.max(Math.abs(stated), Math.abs(code))) {
                out.add("row '" + row.getKey() + "' says " + row.getValue() + ", the code uses " + code);
            }
        }
        for (String key : expected.keySet()) {
            if (!rows.containsKey(key)) {
                out.add("'" + key + "' has no row");
            }
        }
        return out;
    }

    /** Setting name (first cell, without backticks) to stated default (second cell), in table order. */
    private static Map<String, String> table(String doc) {
        Map<String, String> rows = new LinkedHashMap<>();
        int at = doc.indexOf("\n" + HEADING + "\n");
        if (at < 0) {
            return rows;
        }
        List<String> lines = doc.substring(at + HEADING.length() + 2).lines().toList();
        boolean inTable = false;
        for (String line : lines) {
            if (line.startsWith("## ")) {
                break;
            }
            if (!line.startsWith("|")) {
                if (inTable) {
                    break;
                }
                continue;
            }
            inTable = true;
            String[] cells = line.split("\\|");
            if (cells.length < 3) {
                continue;
            }
            String key = cells[1].trim();
            if (!key.startsWith("`") || !key.endsWith("`")) {
                continue; // header and separator rows
            }
            rows.put(key.substring(1, key.length() - 1), cells[2].trim());
        }
        return rows;
    }

    /** What the code uses when nothing is given, keyed as the table names it. */
    private static Map<String, Double> codeDefaults() {
        Map<String, Double> m = new LinkedHashMap<>();
        for (MethodOption o : MethodRegistry.allOptions()) {
            m.put("--" + o.name(), o.defaultValue());
        }
        Map<String, String> run = new LinkedHashMap<>(Cli.command("generate").defaults());
        run.putAll(Cli.command("train").defaults());
        for (String name : RUN_OPTIONS) {
            assertThat(run).as("default of --" + name).containsKey(name);
            m.put("--" + name, Double.parseDouble(run.get(name)));
        }
        AdamWConfig adamw = AdamWConfig.defaults();
        m.put("AdamW beta1", (double) adamw.beta1());
        m.put("AdamW beta2", (double) adamw.beta2());
        m.put("AdamW epsilon", (double) adamw.epsilon());
        HeadConfig head = HeadConfig.classification(2);
        m.put("head dropout", head.dropout());
        m.put("head init std", head.initStd());
        m.put("generator init std", IdSpamConfig.INIT_STD);
        m.put("SMoP router init std", SmopConfig.ROUTER_INIT_STD);
        m.put("DEPT B init std", DeptConfig.INIT_STD);
        return m;
    }
}
