package dev.idspam.eval.report.table;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.idspam.eval.stats.Summary;

class TableRenderingTest {

    private static Table sample() {
        return new Table("t", "Sample", List.of("Method", "RTE", "Note"),
                List.of(List.of(Cell.text("A|B"), Cell.stat(Summary.of(80, 82), 1).bolded().marked("†"),
                                Cell.text("x, \"y\"")),
                        List.of(Cell.text("C"), Cell.missing(), Cell.text("plain"))),
                List.of("first note", "† second note"));
    }

    @Test
    void markdownHasBoldMarksEscapesAndNotes() {
        String md = MarkdownTable.render(sample());
        assertThat(md).isEqualTo("""
                ## Sample

                | Method | RTE | Note |
                | --- | ---: | ---: |
                | A\\|B | **81.0 ± 1.4**† | x, "y" |
                | C | — | plain |

                first note\\
                † second note
                """);
    }

    @Test
    void csvExpandsStatisticsAndQuotes() {
        String csv = CsvTable.render(sample());
        assertThat(csv).isEqualTo("Method,RTE mean,RTE sd,RTE n,RTE note,Note\r\n"
                + "A|B,81.0000,1.4142,2,†,\"x, \"\"y\"\"\"\r\n"
                + "C,,,,,plain\r\n");
    }

    @Test
    void rowsMustMatchTheHeader() {
        assertThatThrownBy(() -> new Table("t", "T", List.of("a", "b"), List.of(List.of(Cell.text("x"))), List.of()))
                .hasMessageContaining("row 0 has 1 cells but the header has 2 columns");
        assertThatThrownBy(() -> new Table("Bad Id", "T", List.of("a"), List.of(), List.of()))
                .hasMessageContaining("table id 'Bad Id'");
    }
}
