package dev.idspam.datasets.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class GlueTsvReaderTest {

    @TempDir
    Path tmp;

    static Stream<Arguments> officialSizes() {
        return Stream.of(
                Arguments.of(Task.SST2, Split.TRAIN, 67349), Arguments.of(Task.SST2, Split.DEV, 872),
                Arguments.of(Task.MRPC, Split.TRAIN, 3668), Arguments.of(Task.MRPC, Split.DEV, 408),
                Arguments.of(Task.RTE, Split.TRAIN, 2490), Arguments.of(Task.RTE, Split.DEV, 277));
    }

    @ParameterizedTest
    @MethodSource("officialSizes")
    void realFilesHaveOfficialSizes(Task task, Split split, int rows) throws IOException {
        ReadResult r = DatasetReader.read(task, split,
                Fixtures.dataFile(task.folder() + "/" + task.fileName(split)), ReadOptions.strict());
        assertThat(r.examples()).hasSize(rows);
        assertThat(r.skippedRows()).isZero();
        assertThat(r.source()).isEqualTo(task.folder() + "/" + task.fileName(split));
        for (Example e : r.examples()) {
            assertThat(e.textA()).isNotBlank();
            assertThat(e.isPair()).isEqualTo(task.pair());
        }
    }

    @Test
    void sst2LabelsAreBothPresentAndTextKeepsQuotes() throws IOException {
        ReadResult train = DatasetReader.read(Task.SST2, Split.TRAIN,
                Fixtures.dataFile("SST-2/train.tsv"), ReadOptions.strict());
        int[] counts = train.labelCounts(2);
        // SST-2 train is about 44% negative, 56% positive
        assertThat(counts[1] / (double) train.size()).isCloseTo(0.558, within(0.01));
        assertThat(train.examples().get(0).textA()).startsWith("hide new secretions");
        assertThat(train.examples().get(0).label()).isZero();
        assertThat(train.examples().get(0).id()).isEqualTo("train-0");
    }

    @Test
    void mrpcHeaderWithByteOrderMarkIsFound() throws IOException {
        ReadResult dev = DatasetReader.read(Task.MRPC, Split.DEV, Fixtures.dataFile("MRPC/dev.tsv"),
                ReadOptions.strict());
        Example first = dev.examples().get(0);
        assertThat(first.label()).isEqualTo(1);
        assertThat(first.textA()).startsWith("He said the foodservice pie business");
        // a leading quote is text, not a CSV quote
        assertThat(first.textB()).startsWith("\" The foodservice pie business");
        int[] counts = dev.labelCounts(2);
        assertThat(counts[1]).isEqualTo(279); // 68.4% paraphrases
    }

    @Test
    void rteLabelsAndIds() throws IOException {
        ReadResult dev = DatasetReader.read(Task.RTE, Split.DEV, Fixtures.dataFile("RTE/dev.tsv"),
                ReadOptions.strict());
        assertThat(dev.examples().get(0).id()).isEqualTo("0");
        assertThat(dev.examples().get(0).label()).isEqualTo(1);
        int[] counts = dev.labelCounts(2);
        assertThat(counts[0]).isEqualTo(146);
        assertThat(counts[1]).isEqualTo(131);
    }

    @Test
    void badLabelNamesFileLineAndField() throws IOException {
        Path file = Fixtures.write(tmp, "RTE/train.tsv", "index\tsentence1\tsentence2\tlabel\n"
                + "0\tA man sleeps.\tA man rests.\tentailment\n"
                + "1\tA cat.\tA dog.\tentailed\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.RTE, Split.TRAIN, file, ReadOptions.strict()))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> {
                    assertThat(e).hasMessage(
                            "RTE/train.tsv line 3: label 'entailed' is not one of [entailment, not_entailment]");
                    assertThat(e.file()).isEqualTo("RTE/train.tsv");
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.field()).isEqualTo("label");
                });
    }

    @Test
    void wrongColumnCountNamesExpectedAndFound() throws IOException {
        Path file = Fixtures.write(tmp, "MRPC/dev.tsv", "\uFEFFQuality\t#1 ID\t#2 ID\t#1 String\t#2 String\n"
                + "1\t1\t2\tOne sentence .\tAnother one .\n"
                + "0\t3\t4\tOnly one sentence .\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.MRPC, Split.DEV, file, ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("MRPC/dev.tsv line 3: expected 5 tab-separated columns "
                        + "[Quality, #1 ID, #2 ID, #1 String, #2 String] but found 4");
    }

    @Test
    void skipBadRowsCountsAndReportsThem() throws IOException {
        StringBuilder sb = new StringBuilder("sentence\tlabel\n");
        for (int i = 0; i < 10; i++) {
            sb.append("good row ").append(i).append('\t').append(i % 2).append('\n');
        }
        sb.append("bad label\t2\n").append("no label column\n").append("also bad\tpositive\n");
        sb.append("last good\t1\n");
        Path file = Fixtures.write(tmp, "SST-2/train.tsv", sb.toString());

        ReadResult r = DatasetReader.read(Task.SST2, Split.TRAIN, file,
                ReadOptions.skipBadRows(true).withMaxReportedReasons(2));
        assertThat(r.examples()).hasSize(11);
        assertThat(r.skippedRows()).isEqualTo(3);
        assertThat(r.skipReasons()).containsExactly(
                "SST-2/train.tsv line 12: label '2' is not one of [0, 1]",
                "SST-2/train.tsv line 13: expected 2 tab-separated columns [sentence, label] but found 1");
        assertThat(r.summary()).contains("3 bad rows skipped", "... and 1 more");
        // row ordinals stay stable when rows are skipped
        assertThat(r.examples().get(10).id()).isEqualTo("train-13");

        assertThatThrownBy(() -> DatasetReader.read(Task.SST2, Split.TRAIN, file, ReadOptions.strict()))
                .hasMessageStartingWith("SST-2/train.tsv line 12:");
    }

    @Test
    void missingHeaderColumnIsFatalEvenWhenSkipping() throws IOException {
        Path file = Fixtures.write(tmp, "RTE/dev.tsv", "index\tpremise\thypothesis\tlabel\n0\ta\tb\tentailment\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.RTE, Split.DEV, file, ReadOptions.skipBadRows(true)))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("RTE/dev.tsv line 1: header has no column 'sentence1'; found "
                        + "[index, premise, hypothesis, label]");
    }

    @Test
    void invalidUtf8IsReportedWithItsLineAndCanBeSkipped() throws IOException {
        byte[] head = "sentence\tlabel\nfine\t1\nbro".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] tail = "ken\t0\nfine again\t0\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] bytes = new byte[head.length + 1 + tail.length];
        System.arraycopy(head, 0, bytes, 0, head.length);
        bytes[head.length] = (byte) 0xC3; // a lead byte without continuation
        System.arraycopy(tail, 0, bytes, head.length + 1, tail.length);
        Path file = Fixtures.write(tmp, "SST-2/dev.tsv", bytes);

        assertThatThrownBy(() -> DatasetReader.read(Task.SST2, Split.DEV, file, ReadOptions.strict()))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(3);
                    assertThat(e.field()).isEqualTo("encoding");
                });
        ReadResult r = DatasetReader.read(Task.SST2, Split.DEV, file, ReadOptions.skipBadRows(true));
        assertThat(r.examples()).extracting(Example::textA).containsExactly("fine", "fine again");
        assertThat(r.skippedRows()).isEqualTo(1);
    }

    @Test
    void lineEndingsAndBlankLines() throws IOException {
        Path file = Fixtures.write(tmp, "SST-2/dev.tsv",
                "sentence\tlabel\r\nwindows line\t1\r\n\nwith a lone \r inside\t0\n   \nno final newline\t1");
        ReadResult r = DatasetReader.read(Task.SST2, Split.DEV, file, ReadOptions.strict());
        assertThat(r.examples()).extracting(Example::textA)
                .containsExactly("windows line", "with a lone \r inside", "no final newline");
        assertThat(r.examples()).extracting(Example::label).containsExactly(1, 0, 1);
        assertThat(r.blankLines()).isEqualTo(2);

        Path tabs = Fixtures.write(tmp, "tabs/dev.tsv", "sentence\tlabel\nok\t1\n\t\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.SST2, Split.DEV, tabs, ReadOptions.strict()))
                .hasMessage("tabs/dev.tsv line 3: text column 'sentence' is empty");
    }

    @Test
    void emptyOrBlankTextIsRefusedNamingFileLineAndColumnOrSkippedAndCounted() throws IOException {
        Path file = Fixtures.write(tmp, "SST-2/dev.tsv", "sentence\tlabel\nfine\t1\n \t0\nalso fine\t0\n\t1\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.SST2, Split.DEV, file, ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("SST-2/dev.tsv line 3: text column 'sentence' is empty");
        ReadResult r = DatasetReader.read(Task.SST2, Split.DEV, file, ReadOptions.skipBadRows(true));
        assertThat(r.examples()).extracting(Example::textA).containsExactly("fine", "also fine");
        assertThat(r.skippedRows()).isEqualTo(2);
        assertThat(r.skipReasons()).containsExactly("SST-2/dev.tsv line 3: text column 'sentence' is empty",
                "SST-2/dev.tsv line 5: text column 'sentence' is empty");

        Path pairs = Fixtures.write(tmp, "RTE/dev.tsv", "index\tsentence1\tsentence2\tlabel\n0\ta\t  \tentailment\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.RTE, Split.DEV, pairs, ReadOptions.strict()))
                .hasMessage("RTE/dev.tsv line 2: text column 'sentence2' is empty");
    }

    @Test
    void colaHasNoHeader() throws IOException {
        Path file = Fixtures.write(tmp, "CoLA/train.tsv",
                "gj04\t1\t\tOur friends won't buy this analysis.\n"
                        + "gj04\t0\t*\tThey drank the pub.\n");
        ReadResult r = DatasetReader.read(Task.COLA, Split.TRAIN, file, ReadOptions.strict());
        assertThat(r.examples()).extracting(Example::textA)
                .containsExactly("Our friends won't buy this analysis.", "They drank the pub.");
        assertThat(r.examples()).extracting(Example::label).containsExactly(1, 0);
        assertThat(r.examples().get(0).textB()).isNull();
    }

    @Test
    void stsbIsRegression() throws IOException {
        String header = "index\tgenre\tfilename\tyear\told_index\tsource1\tsource2\tsentence1\tsentence2\tscore\n";
        Path file = Fixtures.write(tmp, "STS-B/dev.tsv", header
                + "0\tmain-captions\tMSRvid\t2012test\t0000\tnone\tnone\tA man with a hard hat is dancing.\t"
                + "A man wearing a hard hat is dancing.\t5.000\n"
                + "1\tmain-captions\tMSRvid\t2012test\t0002\tnone\tnone\tA young child is riding a horse.\t"
                + "A child is riding a horse.\t4.750\n");
        ReadResult r = DatasetReader.read(Task.STSB, Split.DEV, file, ReadOptions.strict());
        assertThat(r.examples()).allMatch(Example::isRegression);
        assertThat(r.examples()).extracting(Example::target).containsExactly(5.0f, 4.75f);
        assertThat(r.examples()).extracting(Example::id).containsExactly("0", "1");

        Path bad = Fixtures.write(tmp, "bad/dev.tsv", header
                + "0\tg\tf\ty\to\ts\ts\ta\tb\tfive\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.STSB, Split.DEV, bad, ReadOptions.strict()))
                .hasMessage("bad/dev.tsv line 2: score 'five' is not a number");
    }

    @Test
    void missingFileExplainsTheLayout() {
        assertThatThrownBy(() -> DatasetReader.read(Task.RTE, Split.TRAIN, tmp.resolve("nope.tsv"),
                ReadOptions.strict()))
                .isInstanceOf(java.nio.file.NoSuchFileException.class)
                .hasMessageContaining("DIR/RTE/train.tsv");
    }
}
