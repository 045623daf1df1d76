package dev.idspam.eval.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.idspam.eval.report.table.Cell;
import dev.idspam.eval.report.table.Table;

class ScoreTableTest {

    @TempDir
    Path dir;

    private Results results(SyntheticStore s) throws Exception {
        return new Results(s.store().read().latestPerCell());
    }

    @Test
    void printedTiesAreAllBoldAndIncompleteRowsHaveNoMean() throws Exception {
        SyntheticStore s = new SyntheticStore(dir.resolve("r.jsonl"));
        s.seeds("idspam", "rte", 11, 0.80, null, 3);
        s.seeds("lpt", "rte", 11, 0.80004, null, 3); // prints as 80.0 too
        s.seeds("lpt", "mrpc", 11, 0.70, null, 3);
        Table t = ResultTables.main(results(s), SyntheticStore.BACKBONE, PaperReportConfig.get()).get(0);
        assertThat(t.header()).containsExactly("Method", "MRPC", "RTE", "Mean");
        assertThat(t.rows()).hasSize(2);
        List<Cell> lpt = t.rows().get(0);
        List<Cell> idspam = t.rows().get(1);
        assertThat(lpt.get(2).bold()).isTrue();
        assertThat(idspam.get(2).bold()).isTrue();
        assertThat(idspam.get(1).text()).isEqualTo(Cell.MISSING);
        assertThat(idspam.get(3).text()).isEqualTo(Cell.MISSING);
        assertThat(lpt.get(3).text()).isEqualTo("75.0");
        assertThat(lpt.get(3).bold()).isTrue();
    }

    @Test
    void selectionPrefersBetterMeanThenMoreSeeds() throws Exception {
        SyntheticStore s = new SyntheticStore(dir.resolve("r.jsonl"));
        s.seeds("idspam", "rte", 3, 0.75, null, 2);
        s.seeds("idspam", "rte", 7, 0.75, null, 3);
        s.seeds("idspam", "rte", 9, 0.70, null, 3);
        Map<Results.MethodTask, Choice> best = results(s).best(Results.inTask(SyntheticStore.BACKBONE),
                Results.MethodTask::of);
        Choice c = best.get(new Results.MethodTask("idspam", "rte"));
        assertThat(c.candidates()).isEqualTo(3);
        assertThat(c.group().key().layer()).isEqualTo(7);
        assertThat(c.group().seeds()).isEqualTo(3);
    }

    @Test
    void subsetFootnotesGroupMethodsSharingASubset() throws Exception {
        SyntheticStore s = new SyntheticStore(dir.resolve("r.jsonl"));
        s.seeds("idspam", "sst2", 3, 0.80, "first 2000 of 67349 examples", 3);
        s.seeds("lpt", "sst2", 3, 0.78, "first 2000 of 67349 examples", 3);
        s.seeds("idspam", "mrpc", 3, 0.70, "first 900 of 3668 examples", 3);
        s.seeds("lpt", "mrpc", 3, 0.71, null, 3);
        Table t = ResultTables.main(results(s), SyntheticStore.BACKBONE, PaperReportConfig.get()).get(0);
        assertThat(t.notes()).anySatisfy(n -> assertThat(n).isEqualTo("† Trained on a subset of the training set: "
                + "SST-2 (every method): first 2000 of 67349 examples | MRPC (ID-SPAM): first 900 of 3668 examples."));
    }

    @Test
    void namesAreSafeFileStems() {
        assertThat(Names.slug("GLUE_RoBERTa Large/v2")).isEqualTo("glue_roberta-large-v2");
        assertThat(Names.slug("--x--")).isEqualTo("x");
    }
}
