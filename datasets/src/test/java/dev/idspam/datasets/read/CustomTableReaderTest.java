package dev.idspam.datasets.read;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.datasets.task.CustomTask;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reader of users' own CSV, TSV and JSON-lines files, the label order, the seeded dev split and the spec JSON. */
class CustomTableReaderTest {
    @TempDir
    Path tmp;

    private Path write(String name, String content) throws IOException {
        Path p = tmp.resolve(name);
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return p;
    }

    private static CustomTask spec(Path train, Path dev, double split, long seed, String pair, boolean regression) {
        return new CustomTask("mine", train, dev, split, seed, "text", pair, "label", List.of(), regression);
    }

    /** A classification task with its labels fixed from the training rows, as generate does. */
    private static Task fixed(CustomTask s) throws IOException {
        return Task.custom(s.withLabels(CustomTask.labelsFrom(CustomTableReader.trainingLabelValues(s))));
    }

    @Test
    void csvWithQuotedCommasQuotesAndLineBreaks() throws IOException {
        Path f = write("a.csv", "id,text,label\n1,\"a, b\",pos\n2,\"say \"\"hi\"\"\",neg\n3,\"two\nlines\",pos\n");
        Task t = fixed(spec(f, f, 0, 0, null, false));
        ReadResult r = DatasetReader.read(t, Split.TRAIN, f, ReadOptions.strict());
        assertThat(r.examples()).extracting(Example::textA).containsExactly("a, b", "say \"hi\"", "two\nlines");
        // labels in sorted order of the training values: neg = 0, pos = 1
        assertThat(t.labels()).containsExactly("neg", "pos");
        assertThat(t.labelNames()).containsExactly("neg", "pos");
        assertThat(r.examples()).extracting(Example::label).containsExactly(1, 0, 1);
    }

    @Test
    void tsvAndJsonLinesReadTheSameRowsAsCsv() throws IOException {
        Path csv = write("a.csv", "text,other,label\nfirst one,x,b\nsecond,y,a\nthird,z,c\n");
        Path tsv = write("a.tsv", "text\tother\tlabel\nfirst one\tx\tb\nsecond\ty\ta\nthird\tz\tc\n");
        Path jsonl = write("a.jsonl", "{\"text\":\"first one\",\"label\":\"b\",\"n\":1}\n\n{\"text\":\"second\",\"label\":\"a\"}\n"
                + "{\"text\":\"third\",\"label\":\"c\"}\n");
        List<List<Object>> seen = new ArrayList<>();
        for (Path f : List.of(csv, tsv, jsonl)) {
            Task t = fixed(spec(f, f, 0, 0, null, false));
            ReadResult r = DatasetReader.read(t, Split.DEV, f, ReadOptions.strict());
            List<Object> rows = new ArrayList<>();
            r.examples().forEach(e -> rows.add(e.textA() + "=" + t.labels().get(e.label())));
            seen.add(rows);
        }
        assertThat(seen.get(0)).containsExactly("first one=b", "second=a", "third=c");
        assertThat(seen.get(1)).isEqualTo(seen.get(0));
        assertThat(seen.get(2)).isEqualTo(seen.get(0));
    }

    @Test
    void pairsAndRegressionTargets() throws IOException {
        Path f = write("s.tsv", "text\tsecond\tlabel\na cat\ta dog\t3.5\nrain\tsun\t-1e-1\n");
        Task t = Task.custom(spec(f, f, 0, 0, "second", true));
        ReadResult r = DatasetReader.read(t, Split.TRAIN, f, ReadOptions.strict());
        assertThat(t.regression()).isTrue();
        assertThat(t.pair()).isTrue();
        assertThat(r.examples()).extracting(Example::textB).containsExactly("a dog", "sun");
        assertThat(r.examples()).extracting(Example::target).containsExactly(3.5f, -0.1f);
    }

    @Test
    void theDevSplitIsFixedByTheSeedAndDisjointFromTrain() throws IOException {
        StringBuilder sb = new StringBuilder("text,label\n");
        for (int i = 0; i < 200; i++) {
            sb.append("row ").append(i).append(',').append(i % 2 == 0 ? "even" : "odd").append('\n');
        }
        Path f = write("all.csv", sb.toString());
        List<String> dev7 = texts(fixed(spec(f, null, 0.1, 7, null, false)), Split.DEV, f);
        List<String> train7 = texts(fixed(spec(f, null, 0.1, 7, null, false)), Split.TRAIN, f);
        assertThat(dev7).hasSize(20);
        assertThat(train7).hasSize(180);
        Set<String> all = new HashSet<>(dev7);
        all.addAll(train7);
        assertThat(all).hasSize(200);
        // same file, ratio and seed: the same rows, in file order; another seed: other rows
        assertThat(texts(fixed(spec(f, null, 0.1, 7, null, false)), Split.DEV, f)).isEqualTo(dev7);
        assertThat(dev7).isSortedAccordingTo((a, b) -> Integer.compare(Integer.parseInt(a.substring(4)),
                Integer.parseInt(b.substring(4))));
        assertThat(texts(fixed(spec(f, null, 0.1, 8, null, false)), Split.DEV, f)).isNotEqualTo(dev7);
    }

    private static List<String> texts(Task t, Split split, Path f) throws IOException {
        return DatasetReader.read(t, split, f, ReadOptions.strict()).examples().stream().map(Example::textA).toList();
    }

    @Test
    void errorsNameFileLineAndField() throws IOException {
        Path train = write("train.csv", "text,label\ngood,pos\nbad,neg\n");
        Task t = fixed(spec(train, train, 0, 0, null, false));

        Path noColumn = write("nocol.csv", "sentence,label\ngood,pos\n");
        assertThatThrownBy(() -> DatasetReader.read(t, Split.DEV, noColumn, ReadOptions.strict()))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessage(noColumn + " line 1: no column 'text'; the header has [sentence, label]");

        Path emptyText = write("empty.csv", "text,label\ngood,pos\n\"  \",neg\n");
        assertThatThrownBy(() -> DatasetReader.read(t, Split.DEV, emptyText, ReadOptions.strict()))
                .hasMessage(emptyText + " line 3: column 'text' is empty; expected a text")
                .extracting(e -> ((DatasetFormatException) e).field()).isEqualTo("text");

        Path unknown = write("unknown.tsv", "text\tlabel\ngood\tpos\nodd\tmixed\n");
        Task tsvTask = fixed(spec(train, unknown, 0, 0, null, false));
        assertThatThrownBy(() -> DatasetReader.read(tsvTask, Split.DEV, unknown, ReadOptions.strict()))
                .hasMessageStartingWith(unknown + " line 3: column 'label': label 'mixed' is not one of the task's labels [neg, pos]");

        Path target = write("target.jsonl", "{\"text\":\"a\",\"label\":1}\n{\"text\":\"b\",\"label\":\"high\"}\n");
        Task reg = Task.custom(spec(target, target, 0, 0, null, true));
        assertThatThrownBy(() -> DatasetReader.read(reg, Split.TRAIN, target, ReadOptions.strict()))
                .hasMessage(target + " line 2: column 'label': 'high' is not a finite number")
                .extracting(e -> ((DatasetFormatException) e).field()).isEqualTo("label");

        Path suffix = write("suffix.csv", "text,label\na,2.5\nb,1f\n");
        Task suffixTask = Task.custom(spec(suffix, suffix, 0, 0, null, true));
        assertThatThrownBy(() -> DatasetReader.read(suffixTask, Split.TRAIN, suffix, ReadOptions.strict()))
                .hasMessage(suffix + " line 3: column 'label': '1f' is not a finite number");

        Path jsonMissing = write("miss.jsonl", "{\"text\":\"a\",\"label\":\"pos\"}\n{\"label\":\"neg\"}\n");
        assertThatThrownBy(() -> DatasetReader.read(t, Split.DEV, jsonMissing, ReadOptions.strict()))
                .hasMessage(jsonMissing + " line 2: field 'text' is missing");

        Path unclosed = write("open.csv", "text,label\n\"never closed,pos\n");
        assertThatThrownBy(() -> DatasetReader.read(t, Split.DEV, unclosed, ReadOptions.strict()))
                .hasMessageStartingWith(unclosed + " line 2: a quoted field is not closed");

        // lenient reading skips the bad rows and counts them
        ReadResult lenient = DatasetReader.read(t, Split.DEV, emptyText, ReadOptions.skipBadRows(true));
        assertThat(lenient.examples()).hasSize(1);
        assertThat(lenient.skippedRows()).isEqualTo(1);
    }

    @Test
    void theSpecJsonRoundTripsAndKeepsAGivenLabelOrder() throws IOException {
        Path train = write("t.csv", "text,label\na,pos\nb,neg\n");
        JsonObject spec = JsonParser.parseString("{\"name\":\"reviews\",\"train\":\"t.csv\",\"dev_split\":0.5,\"seed\":3,"
                + "\"text_col\":\"text\",\"label_col\":\"label\",\"labels\":[\"pos\",\"neg\"]}").getAsJsonObject();
        CustomTask c = CustomTask.fromJson(spec, tmp, "task.json");
        assertThat(c.train()).isEqualTo(train.toAbsolutePath().normalize());
        assertThat(c.labels()).containsExactly("pos", "neg"); // the listed order, not the sorted one
        Task t = Task.custom(c);
        assertThat(t.labelIndex("pos")).isZero();
        assertThat(t.labelIndex("neg")).isEqualTo(1);
        assertThat(CustomTask.fromJson(c.toJson(), Path.of("/elsewhere"), "manifest.json")).isEqualTo(c);

        assertThatThrownBy(() -> CustomTask.fromJson(JsonParser.parseString("{\"train\":\"t.csv\",\"dev\":\"t.csv\","
                + "\"text_col\":\"text\",\"label_col\":\"label\",\"colour\":1}").getAsJsonObject(), tmp, "task.json"))
                .hasMessageStartingWith("task.json: field 'colour' is not a known key");
        assertThatThrownBy(() -> CustomTask.fromJson(JsonParser.parseString("{\"train\":\"t.csv\",\"dev\":\"t.csv\","
                + "\"label_col\":\"label\"}").getAsJsonObject(), tmp, "task.json"))
                .hasMessage("task.json: field 'text_col' is missing");
        assertThatThrownBy(() -> spec(train, null, 1.5, 0, null, false))
                .hasMessageContaining("must be in (0, 1)");
        assertThatThrownBy(() -> new CustomTask("sst2", train, train, 0, 0, "text", null, "label", List.of(), false))
                .hasMessageContaining("that is a built-in task");
    }
}
