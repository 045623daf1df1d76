package dev.idspam.pipeline.experiment;

import dev.idspam.datasets.task.Task;
import dev.idspam.eval.store.CellKey;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.pipeline.run.RunSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Experiment specs: per-method options, old files, and refused keys named with their file. */
class ExperimentSpecTest {
    @TempDir
    Path dir;

    private ExperimentSpec read(String json) throws IOException {
        Path f = dir.resolve("spec.json");
        Files.writeString(f, json);
        return ExperimentSpec.read(f);
    }

    private ExperimentRunner runner(ExperimentSpec spec) {
        return new ExperimentRunner(spec, dir, List.of(), new RunSettings(dev.idspam.runtime.Device.CPU, 1), false,
                new PrintStream(OutputStream.nullOutputStream()), dev.idspam.runtime.TrainingListener.NONE);
    }

    @Test
    void everyShippedSpecStillReads() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("..", "experiments"))) {
            List<Path> specs = files.filter(p -> p.toString().endsWith(".json")).toList();
            assertThat(specs).isNotEmpty();
            for (Path p : specs) {
                ExperimentSpec s = ExperimentSpec.read(p);
                assertThat(s.methods()).as(p.toString()).isNotEmpty();
            }
        }
    }

    @Test
    void patienceAndHeadPoolingReachTheRunsAndTellCellsApart() throws IOException {
        ExperimentSpec plain = read("""
                {"tasks": [{"task": "rte", "epochs": 30}], "methods": ["idspam"]}
                """);
        ExperimentSpec protocol = read("""
                {"tasks": [{"task": "rte", "epochs": 30, "patience": 5}], "methods": ["idspam"], "head_pooling": "mean"}
                """);
        assertThat(plain.tasks().get(0).patience()).isZero();
        assertThat(plain.headPooling()).as("absent: the backbone's default").isNull();
        assertThat(protocol.tasks().get(0).patience()).isEqualTo(5);
        assertThat(protocol.headPooling()).isEqualTo(dev.idspam.graphs.methods.head.HeadConfig.Pooling.MEAN);
        var plainKey = runner(plain).key(runner(plain).cells().get(0), plain.tasks().get(0).task(), null);
        var protocolKey = runner(protocol).key(runner(protocol).cells().get(0), protocol.tasks().get(0).task(), null);
        assertThat(plainKey.hyperparameters()).doesNotContainKeys("patience", "head_pooling");
        assertThat(protocolKey.hyperparameters()).containsEntry("patience", "5").containsEntry("head_pooling", "mean");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte", "patience": -1}], "methods": ["idspam"]}
                """)).hasMessageContaining("field 'tasks[0].patience': must be >= 0");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": ["idspam"], "head_pooling": "max"}
                """)).hasMessageContaining("field 'head_pooling': must be first, mean or last, got 'max'");
    }

    @Test
    void minimumEpochsReachTheRunAndTellCellsApart() throws IOException {
        ExperimentSpec held = read("""
                {"tasks": [{"task": "cb", "epochs": 20, "patience": 5, "min_epochs": 10}], "methods": ["idspam"]}
                """);
        ExperimentSpec unheld = read("""
                {"tasks": [{"task": "cb", "epochs": 20, "patience": 5}], "methods": ["idspam"]}
                """);
        assertThat(held.tasks().get(0).minEpochs()).isEqualTo(10);
        assertThat(unheld.tasks().get(0).minEpochs()).isZero();
        var heldKey = runner(held).key(runner(held).cells().get(0), held.tasks().get(0).task(), null);
        var unheldKey = runner(unheld).key(runner(unheld).cells().get(0), unheld.tasks().get(0).task(), null);
        assertThat(heldKey.hyperparameters()).containsEntry("min_epochs", "10").containsEntry("patience", "5");
        assertThat(unheldKey.hyperparameters()).doesNotContainKey("min_epochs");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "cb", "epochs": 20, "min_epochs": 10}], "methods": ["idspam"]}
                """)).hasMessageContaining("field 'tasks[0].min_epochs': holds off early stopping, but the task has none");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "cb", "epochs": 20, "patience": 5, "min_epochs": 21}], "methods": ["idspam"]}
                """)).hasMessageContaining("field 'tasks[0].min_epochs': must be in [0, epochs = 20], got 21");
    }

    @Test
    void aMethodMayHaveItsOwnLearningRateGrid() throws IOException {
        ExperimentSpec s = read("""
                {"tasks": [{"task": "rte"}], "learning_rates": [0.001, 0.0005],
                 "methods": ["idspam", {"id": "lora", "learning_rates": [0.0005, 0.0001, 0.00005]}]}
                """);
        List<ExperimentRunner.Cell> cells = runner(s).cells();
        assertThat(cells.stream().filter(c -> c.method().method().equals("idspam")).map(ExperimentRunner.Cell::lr))
                .containsExactly(0.001, 0.0005);
        assertThat(cells.stream().filter(c -> c.method().method().equals("lora")).map(ExperimentRunner.Cell::lr))
                .containsExactly(0.0005, 0.0001, 0.00005);
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": [{"id": "lora", "learning_rates": [0]}]}
                """)).hasMessageContaining("field 'methods[0].learning_rates[0]': expected a number > 0");
    }

    @Test
    void methodsTakeTheirOwnOptions() throws IOException {
        ExperimentSpec s = read("""
                {"tasks": [{"task": "rte"}], "prompt_tokens": 12,
                 "methods": [{"id": "idspam", "prompt_tokens": 20, "bottleneck": 64, "layers": [2, 4]},
                             "lora", {"method": "lpt", "layer": 5, "lpt_rank": 32}, {"id": "lora", "lora_rank": 4}]}
                """);
        ExperimentRunner r = runner(s);
        List<ExperimentRunner.Cell> cells = r.cells();
        assertThat(cells).hasSize(5);
        MethodSpec idspam = r.methodSpec(cells.get(1));
        assertThat(idspam.layer()).hasValue(4);
        assertThat(idspam.integer("prompt-tokens")).isEqualTo(20);
        assertThat(idspam.integer("bottleneck")).isEqualTo(64);
        MethodSpec lpt = r.methodSpec(cells.get(3));
        assertThat(lpt.integer("prompt-tokens")).as("the spec's prompt length").isEqualTo(12);
        assertThat(lpt.integer("lpt-rank")).isEqualTo(32);
        assertThat(lpt.layer()).hasValue(5);
        assertThat(r.methodSpec(cells.get(4)).integer("lora-rank")).isEqualTo(4);

        // entries of the same method with different options are different cells
        CellKey plain = r.key(cells.get(2), Task.RTE, null);
        CellKey rank4 = r.key(cells.get(4), Task.RTE, null);
        assertThat(plain).isNotEqualTo(rank4);
        assertThat(rank4.hyperparameters()).containsEntry("lora_rank", "4");
        assertThat(r.key(cells.get(1), Task.RTE, null).hyperparameters()).containsEntry("prompt_tokens", "20");
    }

    @Test
    void anOldSpecKeepsItsCellKeys() throws IOException {
        ExperimentSpec s = read("""
                {"tasks": [{"task": "rte"}], "methods": [{"method": "idspam", "layers": [3]}, {"method": "lora"}]}
                """);
        ExperimentRunner r = runner(s);
        CellKey k = r.key(r.cells().get(1), Task.RTE, null);
        assertThat(k.layer()).isNull();
        assertThat(k.hyperparameters()).containsOnlyKeys("lr", "batch_size", "weight_decay", "epochs", "prompt_tokens",
                "max_length").containsEntry("prompt_tokens", "10");
        assertThat(r.methodSpec(r.cells().get(0)).layer()).hasValue(3);
    }

    @Test
    void unknownKeysAreRefusedNamingKeyAndFile() {
        String file = dir.resolve("spec.json").toString();
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": ["lora"], "batch_size": [8]}
                """)).hasMessageStartingWith(file + ": field 'batch_size': unknown key");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte", "epoch": 2}], "methods": ["lora"]}
                """)).hasMessageStartingWith(file + ": field 'tasks[0].epoch': unknown key");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": [{"id": "lora", "prompt_tokens": 5}]}
                """)).hasMessageStartingWith(file + ": field 'methods[0].prompt_tokens': method 'lora' has no option"
                + " 'prompt_tokens'; it takes [id, learning_rates, lora_alpha, lora_rank]");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": [{"method": "prompt-tuning", "layers": [1]}]}
                """)).hasMessageStartingWith(file + ": field 'methods[0].layers': method 'prompt-tuning' has no injection layer");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": [{"id": "idspam", "prompt_tokens": 0}]}
                """)).hasMessageStartingWith(file + ": field 'methods[0].prompt_tokens': prompt tokens (--prompt-tokens) must be"
                + " in [1, 1024], got 0");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": ["bert"]}
                """)).hasMessageStartingWith(file + ": field 'methods[0].id': 'bert' is not one of [idspam,");
        assertThatThrownBy(() -> read("""
                {"tasks": [{"task": "rte"}], "methods": [{"id": "idspam", "layers": [-1]}]}
                """)).hasMessageStartingWith(file + ": field 'methods[0].layers[0]': layer (--layer) must be >= 0");
    }
}
