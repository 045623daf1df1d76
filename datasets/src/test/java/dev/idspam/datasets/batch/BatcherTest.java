package dev.idspam.datasets.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.datasets.tokenize.HfTokenizer;
import dev.idspam.datasets.tokenize.WordPieceConfig;
import dev.idspam.datasets.tokenize.WordPieceTokenizer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatcherTest {

    /** Vocabulary: special tokens then single letters; "a b c" has three tokens. */
    private static final WordPieceTokenizer LETTERS = WordPieceTokenizer.fromVocabulary(
            List.of("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "a", "b", "c", "d", "e"),
            WordPieceConfig.uncased());

    /** {@code n} examples with seeded random word counts in [1, 40]; label = word count % 2. */
    private static List<Example> randomExamples(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int words = 1 + random.nextInt(40);
            String text = String.join(" ", IntStream.range(0, words).mapToObj(k -> "abcde".substring(k % 5, k % 5 + 1))
                    .toList());
            out.add(Example.classification("ex" + i, text, null, words % 2));
        }
        return out;
    }

    @Test
    void evaluationBatchesAreSequentialAndPaddedToTheLongestRow() {
        List<Example> examples = List.of(
                Example.classification("0", "a b c", null, 1),
                Example.classification("1", "a", "b c d e", 0),
                Example.classification("2", "e", null, 1));
        EncodedDataset data = EncodedDataset.encode(examples, LETTERS, 64);
        Batcher batcher = new Batcher(data, BatchingOptions.evaluation(2));
        List<TokenBatch> batches = new ArrayList<>();
        batcher.batches(0).forEach(batches::add);
        assertThat(batches).hasSize(2);

        TokenBatch first = batches.get(0);
        assertThat(first.batchSize()).isEqualTo(2);
        assertThat(first.seqLen()).isEqualTo(8); // [CLS] a [SEP] b c d e [SEP]
        assertThat(first.inputIds()).containsExactly(
                2, 5, 6, 7, 3, 0, 0, 0,
                2, 5, 3, 6, 7, 8, 9, 3);
        assertThat(first.attentionMask()).containsExactly(
                1, 1, 1, 1, 1, 0, 0, 0,
                1, 1, 1, 1, 1, 1, 1, 1);
        assertThat(first.tokenTypeIds()).containsExactly(
                0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1, 1, 1, 1, 1);
        assertThat(first.labels()).containsExactly(1, 0);
        assertThat(first.targets()).isNull();
        assertThat(first.exampleIndex()).containsExactly(0, 1);
        assertThat(first.shape()).containsExactly(2, 8);

        TokenBatch last = batches.get(1);
        assertThat(last.batchSize()).isEqualTo(1);
        assertThat(last.seqLen()).isEqualTo(3);
        assertThat(last.exampleIndex()).containsExactly(2);
    }

    @Test
    void trainingPlanIsDeterministicPerSeedAndEpoch() {
        EncodedDataset data = EncodedDataset.encode(randomExamples(1000, 1), LETTERS, 32);
        Batcher a = new Batcher(data, BatchingOptions.training(16, 7).withBucketBatches(5));
        Batcher b = new Batcher(data, BatchingOptions.training(16, 7).withBucketBatches(5));
        assertThat(batches(a, 0)).isEqualTo(batches(b, 0));
        assertThat(a.plan(3)).usingRecursiveComparison().isEqualTo(b.plan(3));
        assertThat(flatten(a.plan(0))).isNotEqualTo(flatten(a.plan(1)));
        Batcher otherSeed = new Batcher(data, BatchingOptions.training(16, 8).withBucketBatches(5));
        assertThat(flatten(a.plan(0))).isNotEqualTo(flatten(otherSeed.plan(0)));
    }

    @Test
    void everyRowAppearsOncePerEpoch() {
        EncodedDataset data = EncodedDataset.encode(randomExamples(1003, 2), LETTERS, 32);
        Batcher batcher = new Batcher(data, BatchingOptions.training(32, 3));
        for (int epoch = 0; epoch < 3; epoch++) {
            List<int[]> plan = batcher.plan(epoch);
            assertThat(plan).hasSize(batcher.batchCount()).hasSize(32);
            assertThat(flatten(plan)).hasSize(1003).doesNotHaveDuplicates()
                    .allMatch(r -> r >= 0 && r < 1003);
            assertThat(plan).allMatch(rows -> rows.length <= 32);
        }
    }

    @Test
    void lengthBucketingReducesPadding() {
        EncodedDataset data = EncodedDataset.encode(randomExamples(2000, 3), LETTERS, 64);
        long bucketed = padding(new Batcher(data, BatchingOptions.training(16, 1)));
        long random = padding(new Batcher(data, BatchingOptions.training(16, 1).withBucketBatches(1)));
        assertThat(bucketed).isLessThan(random / 4);
    }

    @Test
    void sampleIsASeededSubsetThatKeepsExampleIndices() {
        EncodedDataset data = EncodedDataset.encode(randomExamples(500, 4), LETTERS, 32);
        EncodedDataset s1 = data.sample(100, 11);
        EncodedDataset s2 = data.sample(100, 11);
        assertThat(s1.size()).isEqualTo(100);
        int[] idx1 = IntStream.range(0, 100).map(s1::exampleIndex).toArray();
        int[] idx2 = IntStream.range(0, 100).map(s2::exampleIndex).toArray();
        assertThat(idx1).containsExactly(idx2).isSorted().doesNotHaveDuplicates();
        assertThat(IntStream.range(0, 100).map(data.sample(100, 12)::exampleIndex).toArray()).isNotEqualTo(idx1);
        for (int r = 0; r < 100; r++) {
            assertThat(s1.encoding(r)).isEqualTo(data.encoding(s1.exampleIndex(r)));
            assertThat(s1.label(r)).isEqualTo(data.label(s1.exampleIndex(r)));
        }
        assertThat(data.sample(500, 1)).isSameAs(data);
        TokenBatch b = new Batcher(s1, BatchingOptions.evaluation(100)).assemble(new int[] {0, 1});
        assertThat(b.exampleIndex()).containsExactly(idx1[0], idx1[1]);
    }

    @Test
    void regressionBatchesCarryTargets() {
        List<Example> examples = List.of(Example.regression("0", "a", "b", 4.5f), Example.regression("1", "c", "d e", 0.25f));
        EncodedDataset data = EncodedDataset.encode(examples, LETTERS, 16);
        TokenBatch batch = new Batcher(data, BatchingOptions.evaluation(8)).assemble(new int[] {1, 0});
        assertThat(batch.regression()).isTrue();
        assertThat(batch.labels()).isNull();
        assertThat(batch.targets()).containsExactly(0.25f, 4.5f);
        assertThatThrownBy(() -> EncodedDataset.encode(
                List.of(examples.get(0), Example.classification("x", "a", null, 0)), LETTERS, 16))
                .hasMessageContaining("example x (position 1) is a classification example");
    }

    @Test
    void batchValidatesItsShape() {
        assertThatThrownBy(() -> new TokenBatch(new long[5], new long[6], new long[6], 2, 3, new long[2], null, new int[2]))
                .hasMessage("inputIds has 5 entries, expected 6");
        assertThatThrownBy(() -> new TokenBatch(new long[6], new long[6], new long[6], 2, 3, new long[2], new float[2],
                new int[2])).hasMessageContaining("exactly one of labels and targets");
    }

    @Test
    void realSst2DevWithMiniLm() throws IOException {
        List<Example> dev = DatasetReader.read(Task.SST2, Split.DEV, Fixtures.dataFile("SST-2/dev.tsv"),
                ReadOptions.strict()).examples();
        try (HfTokenizer tokenizer = HfTokenizer.fromStream(
                new ByteArrayInputStream(Fixtures.miniLmTokenizerJson()), "all-minilm-l6-v2")) {
            EncodedDataset data = EncodedDataset.encode(dev, tokenizer, 48);
            assertThat(data.size()).isEqualTo(872);
            assertThat(data.rowsAtMaxLength()).isPositive().isLessThan(100);
            Batcher batcher = new Batcher(data, BatchingOptions.evaluation(32));
            int rows = 0;
            for (TokenBatch batch : batcher.batches(0)) {
                assertThat(batch.seqLen()).isLessThanOrEqualTo(48);
                long[] ids = batch.inputIds();
                for (int r = 0; r < batch.batchSize(); r++) {
                    assertThat(ids[r * batch.seqLen()]).isEqualTo(101);
                }
                rows += batch.batchSize();
            }
            assertThat(rows).isEqualTo(872);
            assertThat(batcher.batchCount()).isEqualTo(28);
        }
    }

    private static List<TokenBatch> batches(Batcher batcher, int epoch) {
        List<TokenBatch> out = new ArrayList<>();
        batcher.batches(epoch).forEach(out::add);
        return out;
    }

    private static List<Integer> flatten(List<int[]> plan) {
        List<Integer> rows = new ArrayList<>();
        for (int[] batch : plan) {
            for (int r : batch) {
                rows.add(r);
            }
        }
        return rows;
    }

    private static long padding(Batcher batcher) {
        long pad = 0;
        for (TokenBatch b : batcher.batches(0)) {
            for (long m : b.attentionMask()) {
                pad += m == 0 ? 1 : 0;
            }
        }
        return pad;
    }
}
