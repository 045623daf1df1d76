package dev.idspam.datasets.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuperGlueReaderTest {

    @TempDir
    Path tmp;

    @Test
    void realCbHasOfficialSizesAndAllLabels() throws IOException {
        ReadResult train = DatasetReader.read(Task.CB, Split.TRAIN, Fixtures.dataFile("CB/train.jsonl"),
                ReadOptions.strict());
        ReadResult val = DatasetReader.read(Task.CB, Split.DEV, Fixtures.dataFile("CB/val.jsonl"),
                ReadOptions.strict());
        assertThat(train.examples()).hasSize(250);
        assertThat(val.examples()).hasSize(56);
        assertThat(train.labelCounts(3)).containsExactly(115, 119, 16); // entailment, contradiction, neutral
        assertThat(val.labelCounts(3)).containsExactly(23, 28, 5);
        Example first = val.examples().get(0);
        assertThat(first.id()).isEqualTo("0");
        assertThat(first.textB()).isEqualTo("Valence was helping");
        assertThat(first.label()).isEqualTo(Task.CB.labelIndex("contradiction"));
    }

    @Test
    void badLabelNamesFileLineAndField() throws IOException {
        Path file = Fixtures.write(tmp, "CB/train.jsonl",
                "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 0}\n"
                        + "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"entailed\", \"idx\": 1}\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.CB, Split.TRAIN, file, ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("CB/train.jsonl line 2: label 'entailed' is not one of "
                        + "[entailment, contradiction, neutral]");
    }

    @Test
    void structuralProblemsAreReportedAndSkippable() throws IOException {
        Path file = Fixtures.write(tmp, "CB/val.jsonl", String.join("\n",
                "{\"premise\": \"ok\", \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 0}",
                "{\"premise\": \"p\", \"label\": \"neutral\", \"idx\": 1}",
                "{\"premise\": 3, \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 2}",
                "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\"",
                "[1, 2]",
                "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\"} trailing",
                "{\"premise\": \"ok too\", \"hypothesis\": \"h\", \"label\": \"entailment\", \"idx\": 6}"));
        ReadResult r = DatasetReader.read(Task.CB, Split.DEV, file, ReadOptions.skipBadRows(true)
                .withMaxReportedReasons(10));
        assertThat(r.examples()).extracting(Example::textA).containsExactly("ok", "ok too");
        assertThat(r.skippedRows()).isEqualTo(5);
        assertThat(r.skipReasons().get(0)).isEqualTo("CB/val.jsonl line 2: field 'hypothesis' is missing");
        assertThat(r.skipReasons().get(1)).isEqualTo("CB/val.jsonl line 3: field 'premise' must be a string but was 3");
        assertThat(r.skipReasons().get(2)).startsWith("CB/val.jsonl line 4: not valid JSON");
        assertThat(r.skipReasons().get(3)).isEqualTo("CB/val.jsonl line 5: expected a JSON object but found [1,2]");
        assertThat(r.skipReasons().get(4)).startsWith("CB/val.jsonl line 6: not valid JSON");
    }

    @Test
    void malformedJsonIsDescribedWithoutParserTypeNames() throws IOException {
        Path file = Fixtures.write(tmp, "CB/val.jsonl", "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\"\n"
                + "{\"premise\": \"p\" \"hypothesis\": \"h\"}\n");
        ReadResult r = DatasetReader.read(Task.CB, Split.DEV, file, ReadOptions.skipBadRows(true));
        assertThat(r.skipReasons()).containsExactly(
                "CB/val.jsonl line 1: not valid JSON: the line ends before the object does (column 55)",
                "CB/val.jsonl line 2: not valid JSON at column 18");
    }

    @Test
    void emptyTextFieldsAreRefusedOrSkippedButEmptyMultiRcAnswersAreKept() throws IOException {
        Path cb = Fixtures.write(tmp, "CB/val.jsonl", String.join("\n",
                "{\"premise\": \"p\", \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 0}",
                "{\"premise\": \"  \", \"hypothesis\": \"h\", \"label\": \"neutral\", \"idx\": 1}",
                "{\"premise\": \"p\", \"hypothesis\": \"\", \"label\": \"neutral\", \"idx\": 2}"));
        assertThatThrownBy(() -> DatasetReader.read(Task.CB, Split.DEV, cb, ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage("CB/val.jsonl line 2: field 'premise' is empty");
        ReadResult r = DatasetReader.read(Task.CB, Split.DEV, cb, ReadOptions.skipBadRows(true));
        assertThat(r.examples()).hasSize(1);
        assertThat(r.skippedRows()).isEqualTo(2);
        assertThat(r.skipReasons()).containsExactly("CB/val.jsonl line 2: field 'premise' is empty",
                "CB/val.jsonl line 3: field 'hypothesis' is empty");

        // the real MultiRC training set has a few empty answers: the (question + answer) segment is still text
        Path multirc = Fixtures.write(tmp, "MultiRC/val.jsonl", "{\"idx\": 0, \"passage\": {\"text\": \"a text\", "
                + "\"questions\": [{\"question\": \"why?\", \"idx\": 0, \"answers\": [{\"text\": \"\", \"label\": 0, "
                + "\"idx\": 0}]}]}}\n");
        ReadResult m = DatasetReader.read(Task.MULTIRC, Split.DEV, multirc, ReadOptions.strict());
        assertThat(m.examples()).singleElement().satisfies(e -> assertThat(e.textB()).isEqualTo("why? "));
    }

    @Test
    void boolqAndWicUseBooleanLabels() throws IOException {
        Path boolq = Fixtures.write(tmp, "BoolQ/val.jsonl",
                "{\"question\": \"is it?\", \"title\": \"t\", \"passage\": \"It is.\", \"idx\": 0, \"label\": true}\n"
                        + "{\"question\": \"is it not?\", \"title\": \"t\", \"passage\": \"No.\", \"idx\": 1, \"label\": false}\n");
        ReadResult b = DatasetReader.read(Task.BOOLQ, Split.DEV, boolq, ReadOptions.strict());
        assertThat(b.examples()).extracting(Example::label).containsExactly(1, 0);
        assertThat(b.examples().get(0).textA()).isEqualTo("is it?");
        assertThat(b.examples().get(0).textB()).isEqualTo("It is.");

        Path wic = Fixtures.write(tmp, "WiC/train.jsonl",
                "{\"word\": \"place\", \"sentence1\": \"Do you want to come over to my place later?\", "
                        + "\"sentence2\": \"A political system with no place for the less prominent groups.\", "
                        + "\"idx\": 0, \"label\": false, \"start1\": 31, \"start2\": 27, \"end1\": 36, \"end2\": 32}\n");
        Example w = DatasetReader.read(Task.WIC, Split.TRAIN, wic, ReadOptions.strict()).examples().get(0);
        assertThat(w.textA()).isEqualTo("place: Do you want to come over to my place later?");
        assertThat(w.label()).isZero();
    }

    @Test
    void copaBecomesOneExamplePerChoiceGroupedByQuestion() throws IOException {
        Path file = Fixtures.write(tmp, "COPA/val.jsonl",
                "{\"premise\": \"The man turned on the faucet.\", \"choice1\": \"The toilet filled with water.\", "
                        + "\"choice2\": \"Water flowed from the spout.\", \"question\": \"effect\", \"idx\": 0, \"label\": 1}\n"
                        + "{\"premise\": \"My body cast a shadow over the grass.\", \"choice1\": \"The sun was rising.\", "
                        + "\"choice2\": \"The grass was cut.\", \"question\": \"cause\", \"idx\": 1, \"label\": 0}\n");
        List<Example> ex = DatasetReader.read(Task.COPA, Split.DEV, file, ReadOptions.strict()).examples();
        assertThat(ex).hasSize(4);
        assertThat(ex.get(0).textA()).isEqualTo("The man turned on the faucet. so");
        assertThat(ex.get(0).textB()).isEqualTo("The toilet filled with water.");
        assertThat(ex.get(2).textA()).isEqualTo("My body cast a shadow over the grass. because");
        assertThat(ex).extracting(Example::label).containsExactly(0, 1, 1, 0);
        assertThat(ex).extracting(Example::group).containsExactly("0", "0", "1", "1");
        assertThat(ex).extracting(Example::id).containsExactly("0-choice1", "0-choice2", "1-choice1", "1-choice2");

        // scores for class 1: question 0 picks choice2 (right), question 1 picks choice2 (wrong)
        float[] scores = {0.1f, 0.9f, 0.2f, 0.3f};
        assertThat(ExampleGroups.bestPerGroup(ex, scores)).containsExactly(1, 3);
        assertThat(ExampleGroups.choiceAccuracy(ex, scores)).isEqualTo(0.5);
        assertThat(ExampleGroups.choiceAccuracy(ex, new float[] {0, 1, 1, 0})).isEqualTo(1.0);
    }

    @Test
    void copaRejectsUnknownQuestionType() throws IOException {
        Path file = Fixtures.write(tmp, "COPA/train.jsonl",
                "{\"premise\": \"p\", \"choice1\": \"a\", \"choice2\": \"b\", \"question\": \"reason\", \"idx\": 0, \"label\": 1}\n");
        assertThatThrownBy(() -> DatasetReader.read(Task.COPA, Split.TRAIN, file, ReadOptions.strict()))
                .hasMessage("COPA/train.jsonl line 1: question 'reason' is not one of [cause, effect]");
    }

    @Test
    void multiRcFlattensAnswersAndGroupsByQuestion() throws IOException {
        String line = "{\"idx\": 0, \"version\": 1.1, \"passage\": {\"text\": \"Sent 1: Bob went home.\", "
                + "\"questions\": ["
                + "{\"question\": \"Where did Bob go?\", \"idx\": 0, \"answers\": ["
                + "{\"text\": \"Home\", \"idx\": 0, \"label\": 1}, {\"text\": \"School\", \"idx\": 1, \"label\": 0}]},"
                + "{\"question\": \"Who went home?\", \"idx\": 1, \"answers\": ["
                + "{\"text\": \"Bob\", \"idx\": 2, \"label\": 1}]}]}}\n";
        Path file = Fixtures.write(tmp, "MultiRC/val.jsonl", line);
        List<Example> ex = DatasetReader.read(Task.MULTIRC, Split.DEV, file, ReadOptions.strict()).examples();
        assertThat(ex).hasSize(3);
        assertThat(ex).allMatch(e -> e.textA().equals("Sent 1: Bob went home."));
        assertThat(ex).extracting(Example::textB)
                .containsExactly("Where did Bob go? Home", "Where did Bob go? School", "Who went home? Bob");
        assertThat(ex).extracting(Example::label).containsExactly(1, 0, 1);
        assertThat(ex).extracting(Example::group).containsExactly("0-q0", "0-q0", "0-q1");
        assertThat(ExampleGroups.of(ex)).hasSize(2);
        assertThat(ExampleGroups.of(ex).get(0).members()).containsExactly(0, 1);
    }

    @Test
    void multiRcNestedErrorNamesThePath() throws IOException {
        String line = "{\"idx\": 0, \"passage\": {\"text\": \"t\", \"questions\": ["
                + "{\"question\": \"q\", \"idx\": 0, \"answers\": [{\"text\": \"a\", \"idx\": 0, \"label\": 1},"
                + "{\"text\": \"b\", \"idx\": 1, \"label\": 2}]}]}}\n";
        Path file = Fixtures.write(tmp, "MultiRC/train.jsonl", line);
        assertThatThrownBy(() -> DatasetReader.read(Task.MULTIRC, Split.TRAIN, file, ReadOptions.strict()))
                .isInstanceOfSatisfying(DatasetFormatException.class, e -> {
                    assertThat(e.field()).isEqualTo("passage.questions[0].answers[1].label");
                    assertThat(e).hasMessage("MultiRC/train.jsonl line 1: passage.questions[0].answers[1].label "
                            + "'2' is not one of [0, 1]");
                });
        ReadResult skipped = DatasetReader.read(Task.MULTIRC, Split.TRAIN, file, ReadOptions.skipBadRows(true));
        assertThat(skipped.examples()).isEmpty(); // the whole line goes, not half of it
        assertThat(skipped.skippedRows()).isEqualTo(1);
    }

    @Test
    void groupsNeedGroupedExamples() {
        List<Example> ungrouped = List.of(Example.classification("a", "x", null, 0));
        assertThatThrownBy(() -> ExampleGroups.of(ungrouped)).hasMessageContaining("has no group");
        List<Example> twoRight = List.of(Example.grouped("a", "x", "y", 1, "g"), Example.grouped("b", "x", "z", 1, "g"));
        assertThatThrownBy(() -> ExampleGroups.choiceAccuracy(twoRight, new float[] {1, 2}))
                .hasMessageContaining("group g has 2 correct choices");
    }
}
