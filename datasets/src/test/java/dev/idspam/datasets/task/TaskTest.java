package dev.idspam.datasets.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

class TaskTest {

    @Test
    void labelOrdersAreFixed() {
        assertThat(Task.SST2.labels()).containsExactly("0", "1");
        assertThat(Task.MRPC.labels()).containsExactly("0", "1");
        assertThat(Task.RTE.labels()).containsExactly("entailment", "not_entailment");
        assertThat(Task.CB.labels()).containsExactly("entailment", "contradiction", "neutral");
        assertThat(Task.MNLI.labels()).containsExactly("contradiction", "entailment", "neutral");
        assertThat(Task.BOOLQ.labels()).containsExactly("false", "true");
        assertThat(Task.RTE.labelIndex("not_entailment")).isEqualTo(1);
        assertThat(Task.RTE.labelIndex("entailed")).isEqualTo(-1);
        assertThat(Task.STSB.regression()).isTrue();
        assertThat(Task.STSB.labels()).isEmpty();
        assertThat(Task.STSB.numOutputs()).isEqualTo(1);
        assertThat(Task.CB.numOutputs()).isEqualTo(3);
    }

    @Test
    void officialFileNames() {
        assertThat(Task.SST2.fileName(Split.TRAIN)).isEqualTo("train.tsv");
        assertThat(Task.SST2.fileName(Split.DEV)).isEqualTo("dev.tsv");
        assertThat(Task.MNLI.fileName(Split.DEV)).isEqualTo("dev_matched.tsv");
        assertThat(Task.MNLI.fileName(Split.DEV_MISMATCHED)).isEqualTo("dev_mismatched.tsv");
        assertThat(Task.MNLI.devSplits()).containsExactly(Split.DEV, Split.DEV_MISMATCHED);
        assertThat(Task.CB.fileName(Split.DEV)).isEqualTo("val.jsonl");
        assertThat(Task.IMDB.fileName(Split.DEV)).isEqualTo("test");
        assertThat(Task.MRPC.textColumns()).containsExactly("#1 String", "#2 String");
        assertThat(Task.COLA.headerlessColumns()).hasSize(4);
        assertThatThrownBy(() -> Task.SST2.fileName(Split.DEV_MISMATCHED))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("sst2 has no split dev_mismatched");
    }

    static Task[] builtIn() {
        return Task.values();
    }

    @ParameterizedTest
    @org.junit.jupiter.params.provider.MethodSource("builtIn")
    void everyTaskIsComplete(Task task) {
        assertThat(task.splits()).startsWith(Split.TRAIN).contains(Split.DEV);
        assertThat(task.layout()).contains(task.folder()).contains(task.fileName(Split.TRAIN));
        assertThat(Task.parse(task.shortName())).isSameAs(task);
        assertThat(Task.parse(task.folder())).isSameAs(task);
        if (!task.regression()) {
            assertThat(task.labels()).hasSizeGreaterThanOrEqualTo(2).doesNotHaveDuplicates();
            assertThat(task.labelNames()).hasSameSizeAs(task.labels()).doesNotHaveDuplicates();
        }
        if (task.grouped()) {
            assertThat(task).isIn(Task.COPA, Task.MULTIRC);
        }
    }

    @Test
    void downloadUrlsOnlyForPublicZips() {
        assertThat(Task.RTE.downloadUrl()).hasValueSatisfying(
                u -> assertThat(u.toString()).isEqualTo("https://dl.fbaipublicfiles.com/glue/data/RTE.zip"));
        assertThat(Task.CB.downloadUrl()).hasValueSatisfying(
                u -> assertThat(u.toString()).endsWith("/superglue/data/v2/CB.zip"));
        assertThat(Task.MRPC.downloadUrl()).isEmpty();
        assertThat(Task.IMDB.downloadUrl()).isEmpty();
    }

    @Test
    void parseNamesAndSplits() {
        assertThat(Task.parse("SST-2")).isSameAs(Task.SST2);
        assertThat(Task.parse("sts-b")).isSameAs(Task.STSB);
        assertThat(Task.parse("MultiRC")).isSameAs(Task.MULTIRC);
        assertThat(Split.parse("validation")).isSameAs(Split.DEV);
        assertThatThrownBy(() -> Task.parse("wnli")).hasMessageContaining("known tasks: [cola, sst2");
    }

    @Test
    void layoutDescribesFolders() {
        assertThat(Task.RTE.layout())
                .contains("DIR/RTE/train.tsv", "DIR/RTE/dev.tsv", "sentence1, sentence2",
                        "entailment, not_entailment");
        assertThat(Task.COLA.layout()).contains("no header row");
        assertThat(Task.IMDB.layout()).contains("DIR/aclImdb/train/pos/*.txt");
    }
}
