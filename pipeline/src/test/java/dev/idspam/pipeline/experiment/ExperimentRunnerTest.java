package dev.idspam.pipeline.experiment;

import dev.idspam.eval.report.GeneratedReport;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;
import dev.idspam.pipeline.run.RunSettings;
import dev.idspam.runtime.Device;
import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.Trainer;
import dev.idspam.runtime.TrainingListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code idspam experiment} end to end on a tiny 3-block backbone and 48 CB pairs: every cell lands in
 * the store with the spec's settings in its key, the stopping rule reaches the trainer (no run stops
 * before its minimum epochs), the run listener sees each run's notes and epochs, checkpoints are
 * removed unless kept, the report is generated, and a second invocation trains nothing.
 */
class ExperimentRunnerTest {
    @TempDir
    Path dir;

    /** Records what a run listener is told, run by run. */
    private static final class Recorder implements TrainingListener {
        final List<String> notes = new ArrayList<>();
        final List<List<EpochSummary>> runs = new ArrayList<>();

        @Override
        public void onStart(Plan plan) {
            runs.add(new ArrayList<>());
        }

        @Override
        public void onEpochEnd(EpochSummary summary) {
            runs.get(runs.size() - 1).add(summary);
        }

        @Override
        public void onNote(String line) {
            notes.add(line);
        }
    }

    private static ExperimentRunner runner(Path spec, Path out, ByteArrayOutputStream log, TrainingListener listener)
            throws IOException {
        return new ExperimentRunner(ExperimentSpec.read(spec), out,
                List.of(Path.of(System.getProperty("idspam.data", "../data"))), new RunSettings(Device.CPU, 1), false,
                new PrintStream(log, true, StandardCharsets.UTF_8), listener);
    }

    @Test
    void runsEveryCellIntoTheStoreAndResumesWithoutTraining() throws IOException {
        // patience 1 would stop a run after its second epoch at the latest; min_epochs 3 holds it to three
        Path backbone = TinyBackbone.write(dir);
        Path spec = dir.resolve("tiny-cb.json");
        Files.writeString(spec, """
                {"id": "tiny-cb", "backbone": "%s",
                 "methods": [{"method": "idspam", "layers": [1]}],
                 "tasks": [{"task": "cb", "epochs": 4, "max_train_samples": 48, "patience": 1, "min_epochs": 3}],
                 "seeds": [1, 2], "learning_rates": [0.01], "batch_sizes": [16], "max_length": 64}
                """.formatted(backbone.toString().replace("\\", "\\\\")));
        Path out = dir.resolve("out");
        Recorder recorder = new Recorder();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        GeneratedReport report = runner(spec, out, log, recorder).run(false);

        List<RunRecord> records = new ResultsStore(out.resolve(ExperimentRunner.STORE)).read().records();
        assertThat(records).extracting(r -> r.cell().seed()).containsExactly(1L, 2L);
        for (RunRecord r : records) {
            assertThat(r.experiment()).isEqualTo("tiny-cb");
            assertThat(r.cell().method()).isEqualTo("idspam");
            assertThat(r.cell().layer()).isEqualTo(1);
            assertThat(r.cell().hyperparameters()).containsEntry("patience", "1").containsEntry("min_epochs", "3")
                    .containsEntry("max_train_samples", "48").containsEntry("lr", "0.01").containsEntry("epochs", "4");
            assertThat(r.primaryMetric()).isEqualTo("acc_and_f1");
            assertThat(r.metrics()).containsKey("acc_and_f1");
            assertThat(r.bestEpoch()).isBetween(1, 4);
        }
        // the listener saw both runs; neither stopped before its third epoch
        assertThat(recorder.runs).hasSize(2);
        assertThat(recorder.runs).allSatisfy(epochs -> assertThat(epochs.size()).isBetween(3, 4));
        assertThat(recorder.notes).anySatisfy(n -> assertThat(n).startsWith("prefix cache: "));
        // each record's best epoch is the run's best dev epoch as the listener saw it
        for (int i = 0; i < 2; i++) {
            List<EpochSummary> epochs = recorder.runs.get(i);
            EpochSummary lastBest = epochs.stream().filter(EpochSummary::best).reduce((a, b) -> b).orElseThrow();
            assertThat(records.get(i).bestEpoch()).isEqualTo(lastBest.epoch() + 1);
            assertThat(100 * records.get(i).metrics().get("acc_and_f1")).isCloseTo(100 * lastBest.dev().metric(),
                    org.assertj.core.data.Offset.offset(1e-6));
        }
        assertThat(log.toString(StandardCharsets.UTF_8)).contains("2 cells, 0 already in").contains("frozen unchanged true");
        assertThat(report.index()).isRegularFile();
        // checkpoints are removed after each cell unless kept
        try (Stream<Path> files = Files.walk(out.resolve("runs"))) {
            assertThat(files.filter(p -> p.getFileName().toString().equals(Trainer.LAST_CHECKPOINT))).isEmpty();
        }

        // a second invocation finds both cells in the store and trains nothing
        Recorder again = new Recorder();
        ByteArrayOutputStream log2 = new ByteArrayOutputStream();
        runner(spec, out, log2, again).run(false);
        assertThat(again.runs).isEmpty();
        assertThat(log2.toString(StandardCharsets.UTF_8)).contains("2 cells, 2 already in").contains("0 to run");
        assertThat(new ResultsStore(out.resolve(ExperimentRunner.STORE)).read().records()).isEqualTo(records);
    }
}
