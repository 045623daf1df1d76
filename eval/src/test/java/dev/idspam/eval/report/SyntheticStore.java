package dev.idspam.eval.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import dev.idspam.eval.store.CellKey;
import dev.idspam.eval.store.ResultsStore;
import dev.idspam.eval.store.RunRecord;

/**
 * A small results store made by code for report tests. Scores are exact so tests can state the
 * expected cells: score = base + 0.01·seed offset, with seed offsets −1, 0, +1 for seeds 1, 2, 3
 * (mean = base, sd = 1 point).
 */
final class SyntheticStore {

    static final String BACKBONE = "roberta-base";

    private final ResultsStore store;
    private long clock;

    SyntheticStore(Path file) {
        this.store = new ResultsStore(file);
    }

    ResultsStore store() {
        return store;
    }

    /** Writes the standard fixture and returns its file. */
    static Path standard(Path dir) throws IOException {
        SyntheticStore s = new SyntheticStore(dir.resolve("results.jsonl"));
        // GLUE: RTE (accuracy) and MRPC (acc_and_f1). ID-SPAM swept over layers 5 and 11.
        s.seeds("idspam", "rte", 11, 0.790, null, 3);
        s.seeds("idspam", "rte", 5, 0.760, null, 3);
        s.seeds("lpt", "rte", 11, 0.736, null, 3);
        s.seeds("lpt", "rte", 5, 0.700, null, 3);
        s.seeds("prompt-tuning", "rte", 0, 0.579, null, 3);
        s.seeds("lora", "rte", null, 0.776, null, 3);
        s.seeds("idspam", "mrpc", 11, 0.828, null, 3);
        s.seeds("lpt", "mrpc", 11, 0.843, null, 3);
        s.seeds("prompt-tuning", "mrpc", 0, 0.744, null, 3);
        s.seeds("lora", "mrpc", null, 0.793, "first 2000 of 3668 examples", 3);
        // SuperGLUE: BoolQ with a two-seed cell.
        s.seeds("idspam", "boolq", 11, 0.699, null, 3);
        s.seeds("prompt-tuning", "boolq", 0, 0.636, null, 2);
        // Ablation.
        s.seeds("idspam-meanpool", "rte", 11, 0.752, null, 3);
        s.seeds("idspam-meanpool", "mrpc", 11, 0.823, null, 3);
        // Transfer.
        s.transfer("idspam", "sst2", "imdb", 0, 0.891);
        s.transfer("lpt", "sst2", "imdb", 0, 0.671);
        s.transfer("idspam", "qqp", "mrpc", 100, 0.725);
        s.transfer("lpt", "qqp", "mrpc", 100, 0.694);
        return s.store.file();
    }

    /** Runs for seeds 1..count at base ± 0.01 (seed 1: −0.01, seed 2: 0, seed 3: +0.01). */
    void seeds(String method, String task, Integer layer, double base, String subset, int count) throws IOException {
        for (int seed = 1; seed <= count; seed++) {
            CellKey key = CellKey.builder().method(method).task(task).backbone(BACKBONE).layer(layer)
                    .seed(seed).hyperparameter("lr", "1e-3").build();
            store.append(run(key, base + 0.01 * (seed - 2), subset));
        }
    }

    void transfer(String method, String source, String target, int shots, double base) throws IOException {
        for (int seed = 1; seed <= 3; seed++) {
            CellKey key = CellKey.builder().method(method).task(target).backbone(BACKBONE).layer(11)
                    .seed(seed).transfer(source, shots).build();
            store.append(RunRecord.builder().experiment("transfer").cell(key)
                    .metric("accuracy", base).metric("acc_and_f1", base + 0.01 * (seed - 2))
                    .primaryMetric("acc_and_f1").params(3_401_664 + 592_130, 124_645_632)
                    .timestamp(Instant.EPOCH.plusSeconds(clock++)).build());
        }
    }

    private RunRecord run(CellKey key, double score, String subset) {
        String primary = key.task().equals("mrpc") ? "acc_and_f1" : "accuracy";
        boolean finetune = key.method().equals("full");
        return RunRecord.builder().experiment("glue").cell(key).metric(primary, score)
                .params(finetune ? 125_000_000 : 3_994_000, finetune ? 0 : 124_645_632)
                .trainSeconds(100 + key.seed()).trainSamplesPerSecond(200).inferenceMsPerSample(1.5)
                .bestEpoch(5, 50.0 + key.seed()).trainSubset(subset).device("cpu")
                .timestamp(Instant.EPOCH.plusSeconds(clock++)).build();
    }
}
