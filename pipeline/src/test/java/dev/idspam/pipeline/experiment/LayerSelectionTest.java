package dev.idspam.pipeline.experiment;

import dev.idspam.datasets.task.Task;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Device;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Successive halving over layers on a tiny 3-block backbone and 48 CB pairs: the rounds' budgets,
 * the halving, the compute it reports, that the chosen layer's score is its grid score at the full
 * budget (a paused run resumes bit-identically), and that a second invocation trains nothing
 * (everything comes from the results store).
 */
class LayerSelectionTest {
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    @TempDir
    static Path dir;
    private static Path backbone;

    @BeforeAll
    static void tinyBackbone() throws IOException {
        backbone = TinyBackbone.write(dir);
    }

    private static LayerSelection.Spec spec(List<Integer> layers, int budget, boolean grid, Path out) {
        return new LayerSelection.Spec(backbone.toString(), "idspam", Task.CB, layers, budget, 16, 1e-2, 5, 48, 64, grid,
                out, List.of(Path.of(System.getProperty("idspam.data", "../data"))), new RunSettings(Device.CPU, 1));
    }

    @Test
    void roundsDoubleTheEpochsUpToTheBudget() {
        assertThat(LayerSelection.roundEpochs(6, 8)).containsExactly(1, 2, 4, 8);
        assertThat(LayerSelection.roundEpochs(3, 4)).containsExactly(1, 2, 4);
        assertThat(LayerSelection.roundEpochs(12, 8)).containsExactly(1, 1, 2, 4, 8);
        assertThat(LayerSelection.roundEpochs(2, 3)).containsExactly(1, 3);
        assertThat(LayerSelection.roundEpochs(1, 5)).containsExactly(5);
    }

    @Test
    void selectsByHalvingAndItsChoiceScoresAsInTheGrid() throws IOException {
        Path out = dir.resolve("selection");
        LayerSelection.Result r = new LayerSelection(spec(List.of(), 4, true, out), QUIET).run();
        // every layer of the backbone is a candidate; rounds train up to 1, 2 and 4 epochs
        assertThat(r.standings()).filteredOn(s -> s.round() == 0).extracting(LayerSelection.Standing::layer)
                .containsExactly(0, 1, 2);
        assertThat(r.standings()).filteredOn(s -> s.round() == 1).hasSize(2);
        List<LayerSelection.Standing> first = r.standings().stream().filter(s -> s.round() == 0)
                .sorted((a, b) -> Double.compare(b.score(), a.score()) != 0 ? Double.compare(b.score(), a.score())
                        : Integer.compare(a.layer(), b.layer())).toList();
        assertThat(r.standings()).filteredOn(s -> s.round() == 1).extracting(LayerSelection.Standing::layer)
                .containsExactlyInAnyOrder(first.get(0).layer(), first.get(1).layer());
        // compute: the round-0 loser 1 epoch, the round-1 loser 2, the winner 4, against 3 × 4 for the grid
        assertThat(r.epochsUsed()).isEqualTo(7);
        assertThat(r.gridEpochs()).isEqualTo(12);
        // the chosen layer's score is exactly its run in the grid at the full budget
        assertThat(r.grid()).containsOnlyKeys(0, 1, 2);
        assertThat(r.grid().get(r.chosen())).isEqualTo(r.chosenScore());
        assertThat(out.resolve(LayerSelection.REPORT_MD)).content().contains("**Chosen: m = " + r.chosen() + "**")
                .contains("a grid search at the full budget trains 12");
        assertThat(out.resolve(LayerSelection.REPORT_JSON)).isRegularFile();

        // a second invocation finds every (layer, epochs) in the store and trains nothing
        ResultsStore store = new ResultsStore(out.resolve(LayerSelection.STORE));
        List<RunRecord> before = store.read().records();
        assertThat(before).hasSize(3 + 2 + 1 + 2);   // rounds 0, 1, 2, then the grid's two other layers
        LayerSelection.Result again = new LayerSelection(spec(List.of(), 4, true, out), QUIET).run();
        assertThat(store.read().records()).hasSize(before.size());
        assertThat(again.chosen()).isEqualTo(r.chosen());
        assertThat(again.chosenScore()).isEqualTo(r.chosenScore());
        assertThat(again.grid()).isEqualTo(r.grid());
    }

    @Test
    void refusesLayersTheBackboneDoesNotHaveAndRepeatedOnes() {
        assertThatThrownBy(() -> new LayerSelection(spec(List.of(1, 3), 2, false, dir.resolve("bad")), QUIET).run())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--layers: 3 is not a layer of");
        assertThatThrownBy(() -> spec(List.of(1, 1), 2, false, dir.resolve("bad")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("listed twice");
        assertThat(Files.exists(dir.resolve("bad").resolve(LayerSelection.STORE))).isFalse();
    }
}
