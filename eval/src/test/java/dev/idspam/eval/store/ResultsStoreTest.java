package dev.idspam.eval.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResultsStoreTest {

    @TempDir
    Path dir;

    static CellKey key(String method, long seed) {
        return CellKey.builder().method(method).task("rte").backbone("roberta-base").layer(11).seed(seed)
                .hyperparameter("lr", "1e-3").hyperparameter("batch", "32").build();
    }

    static RunRecord record(CellKey key, double accuracy) {
        return RunRecord.builder().experiment("glue-base").cell(key).metric("accuracy", accuracy)
                .params(3_401_664, 124_645_632).trainSeconds(120.5).trainSamplesPerSecond(250)
                .inferenceMsPerSample(1.75).bestEpoch(7, 80.25)
                .timestamp(Instant.parse("2025-03-01T12:00:00.123456Z")).build();
    }

    @Test
    void appendThenReadGivesTheSameRecords() throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("sub/results.jsonl"));
        RunRecord a = record(key("idspam", 1), 0.79);
        CellKey transferKey = CellKey.builder().method("lpt").task("imdb").backbone("roberta-large")
                .seed(2).transfer("sst2", 0).build();
        RunRecord b = RunRecord.builder().experiment("transfer").cell(transferKey)
                .metric("accuracy", 0.9).metric("f1_macro", 0.88).metric("acc_and_f1", 0.89)
                .primaryMetric("acc_and_f1").trainSubset("first 1000 of 67349 examples").device("cuda:0")
                .timestamp(Instant.parse("2025-03-02T00:00:00Z")).build();
        store.append(a);
        store.append(b);

        StoreContents read = store.read();
        assertThat(read.warnings()).isEmpty();
        assertThat(read.records()).containsExactly(a, b);
        assertThat(read.records().get(1).trainSeconds()).isNaN();
        assertThat(read.records().get(1).bestEpoch()).isNull();
        assertThat(read.records().get(1).cell().transfer()).isEqualTo(new Transfer("sst2", "imdb", 0));
        assertThat(read.records().get(1).device()).isEqualTo("cuda:0");
        assertThat(read.records().get(0).device()).as("records without a device read as null").isNull();

        List<String> lines = Files.readAllLines(store.file());
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"schema\":1,\"experiment\":\"glue-base\",\"cell\":{\"method\":\"idspam\"")
                .contains("\"hyperparameters\":{\"batch\":\"32\",\"lr\":\"1e-3\"}")
                .contains("\"train_samples_per_second\":250.0")
                .doesNotContain("train_subset").doesNotContain("device");
        assertThat(Files.readString(store.file())).endsWith("\n");
    }

    @Test
    void containsSupportsResume() throws Exception {
        Path file = dir.resolve("results.jsonl");
        ResultsStore store = new ResultsStore(file);
        assertThat(store.contains(key("idspam", 1))).isFalse();
        store.append(record(key("idspam", 1), 0.8));
        assertThat(store.contains(key("idspam", 1))).isTrue();
        assertThat(store.contains(key("idspam", 2))).isFalse();
        CellKey otherLr = CellKey.builder().method("idspam").task("rte").backbone("roberta-base").layer(11)
                .seed(1).hyperparameter("lr", "5e-4").hyperparameter("batch", "32").build();
        assertThat(store.contains(otherLr)).isFalse();
        // A new process sees the same cells.
        assertThat(new ResultsStore(file).cells()).containsExactly(key("idspam", 1));
    }

    @Test
    void crashedTailIsSkippedWithAWarningAndTheNextAppendStartsANewLine() throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("results.jsonl"));
        RunRecord first = record(key("idspam", 1), 0.8);
        store.append(first);
        String full = RecordJson.write(record(key("idspam", 2), 0.81));
        Files.writeString(store.file(), full.substring(0, full.length() / 2), StandardOpenOption.APPEND);

        StoreContents afterCrash = store.read();
        assertThat(afterCrash.records()).containsExactly(first);
        assertThat(afterCrash.warnings()).singleElement().asString()
                .contains("line 2").contains("incomplete last line");

        RunRecord third = record(key("idspam", 3), 0.82);
        store.append(third);
        List<String> lines = Files.readAllLines(store.file());
        assertThat(lines).hasSize(3);
        assertThat(lines.get(2)).isEqualTo(RecordJson.write(third));

        StoreContents later = store.read();
        assertThat(later.records()).containsExactly(first, third);
        assertThat(later.warnings()).singleElement().asString()
                .contains("line 2").contains("truncated record");
        assertThat(store.contains(key("idspam", 2))).isFalse();
        assertThat(store.contains(key("idspam", 3))).isTrue();
    }

    @Test
    void tailCutInsideAMultiByteCharacterIsStillOnlyAWarning() throws Exception {
        Path file = dir.resolve("results.jsonl");
        ResultsStore store = new ResultsStore(file);
        RunRecord r = RunRecord.builder().experiment("é-experiment").cell(key("idspam", 1))
                .metric("accuracy", 0.5).trainSubset("ünïcode").build();
        byte[] line = RecordJson.write(r).getBytes(StandardCharsets.UTF_8);
        int cut = RecordJson.write(r).indexOf('é') + 1; // inside the two bytes of 'é'
        Files.write(file, java.util.Arrays.copyOf(line, cut));
        assertThat(store.read().records()).isEmpty();
        assertThat(store.read().warnings()).hasSize(1);
        store.append(r);
        assertThat(store.read().records()).containsExactly(r);
    }

    @Test
    void malformedLineInTheMiddleNamesFileAndLine() throws Exception {
        Path file = dir.resolve("results.jsonl");
        ResultsStore store = new ResultsStore(file);
        store.append(record(key("idspam", 1), 0.8));
        Files.writeString(file, "{\"schema\":1,,\"experiment\":\"x\"}\n", StandardOpenOption.APPEND);
        store.append(record(key("idspam", 2), 0.8));
        assertThatThrownBy(store::read).isInstanceOf(StoreFormatException.class)
                .hasMessageContaining(file.toString() + " line 2: malformed JSON");
    }

    @Test
    void wrongFieldInTheMiddleNamesTheField() throws Exception {
        Path file = dir.resolve("results.jsonl");
        ResultsStore store = new ResultsStore(file);
        store.append(record(key("idspam", 1), 0.8));
        String bad = RecordJson.write(record(key("idspam", 2), 0.8)).replace("\"frozen_params\":124645632,", "");
        Files.writeString(file, "\n" + bad + "\n", StandardOpenOption.APPEND);
        assertThatThrownBy(store::read).isInstanceOf(StoreFormatException.class)
                .hasMessageContaining("line 3: field 'frozen_params' is missing");

        Files.writeString(file, RecordJson.write(record(key("idspam", 1), 0.8)).replace("\"seed\":1", "\"seed\":\"one\"") + "\n");
        assertThatThrownBy(store::read).hasMessageContaining("line 1, cell: field 'seed' should be an integer");
    }

    @Test
    void rerunOfACellSupersedesTheOlderLine() throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("results.jsonl"));
        store.append(record(key("idspam", 1), 0.70));
        store.append(record(key("lpt", 1), 0.60));
        store.append(record(key("idspam", 1), 0.75));
        StoreContents c = store.read();
        assertThat(c.records()).hasSize(3);
        assertThat(c.supersededCount()).isEqualTo(1);
        assertThat(c.latestPerCell()).extracting(RunRecord::primaryValue).containsExactly(0.75, 0.60);
    }

    @Test
    void concurrentAppendsNeverInterleave() throws Exception {
        Path file = dir.resolve("results.jsonl");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String method = "m" + t;
                // Separate store objects on one file, as separate runners would have.
                ResultsStore store = new ResultsStore(file);
                futures.add(pool.submit(() -> {
                    for (int s = 0; s < 20; s++) {
                        store.append(record(key(method, s), 0.5));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        StoreContents c = new ResultsStore(file).read();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.records()).hasSize(80);
        assertThat(c.latestPerCell()).hasSize(80);
    }

    @Test
    void blankLinesAndMissingFileAreFine() throws Exception {
        ResultsStore store = new ResultsStore(dir.resolve("none.jsonl"));
        assertThat(store.read().records()).isEmpty();
        assertThat(store.contains(key("idspam", 1))).isFalse();
        Files.writeString(store.file(), "\n\n" + RecordJson.write(record(key("idspam", 1), 0.8)) + "\n\n");
        assertThat(store.read().records()).hasSize(1);
    }

    @Test
    void cutShortDetection() {
        assertThat(ResultsStore.isCutShort("{\"a\":{\"b\":1}")).isTrue();
        assertThat(ResultsStore.isCutShort("{\"a\":\"x}")).isTrue();
        assertThat(ResultsStore.isCutShort("{\"a\":\"\\\"}\"}")).isFalse();
        assertThat(ResultsStore.isCutShort("{\"a\":1,,}")).isFalse();
        assertThat(ResultsStore.isCutShort("garbage")).isFalse();
    }

    @Test
    void recordsValidateThemselves() {
        assertThatThrownBy(() -> RunRecord.builder().experiment("e").cell(key("idspam", 1)).build())
                .hasMessageContaining("has no metrics");
        assertThatThrownBy(() -> RunRecord.builder().experiment("e").cell(key("idspam", 1))
                .metric("accuracy", 0.5).primaryMetric("f1").build())
                .hasMessageContaining("primary metric 'f1' is not among");
        assertThatThrownBy(() -> CellKey.builder().method("idspam").task("rte").backbone("b").build())
                .hasMessageContaining("needs a seed");
        assertThatThrownBy(() -> new CellKey("idspam", "imdb", "b", null, 1, null, new Transfer("sst2", "mrpc", 0)))
                .hasMessageContaining("must equal the cell's task");
        assertThat(key("idspam", 1).configLabel()).isEqualTo("m=11, batch=32, lr=1e-3");
    }
}
