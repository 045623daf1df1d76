package dev.idspam.datasets.tokenize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.idspam.datasets.Fixtures;
import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HfTokenizerTest {

    private static HfTokenizer miniLm;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load() throws IOException {
        miniLm = HfTokenizer.fromStream(new ByteArrayInputStream(Fixtures.miniLmTokenizerJson()), "all-minilm-l6-v2");
    }

    @AfterAll
    static void close() {
        if (miniLm != null) {
            miniLm.close();
        }
    }

    @Test
    void encodesKnownSentences() {
        Encoding e = miniLm.encode("Hello, world!", null, 128);
        assertThat(e.ids()).containsExactly(101, 7592, 1010, 2088, 999, 102);
        assertThat(miniLm.encode("A cafe.", "Café!", 128).typeIds()).containsExactly(0, 0, 0, 0, 0, 1, 1, 1);
        assertThat(miniLm.specialTokens()).isEqualTo(new SpecialTokens(SpecialTokensStyle.BERT, 101, 102, 0));
    }

    @Test
    void fileSettingsForPaddingAndTruncationAreIgnored() {
        // the MiniLM file asks for fixed padding to 128 and truncation at 128
        String longText = "word ".repeat(300);
        assertThat(miniLm.encode("short", null, 512).length()).isEqualTo(3);
        assertThat(miniLm.encode(longText, null, 512).length()).isEqualTo(302);
    }

    @Test
    void vocabularyAccess() {
        assertThat(miniLm.vocabSize()).isEqualTo(30522);
        assertThat(miniLm.padId()).isZero();
        assertThat(miniLm.decodeToken(101)).isEqualTo("[CLS]");
        assertThat(miniLm.tokenId("[SEP]")).isEqualTo(102);
        assertThat(miniLm.hasToken("##ing")).isTrue();
        assertThat(miniLm.hasToken("Hello")).isFalse(); // uncased
        assertThatThrownBy(() -> miniLm.tokenId("Hello")).hasMessage("token 'Hello' is not in the vocabulary");
        assertThatThrownBy(() -> miniLm.decodeToken(30522)).hasMessageContaining("not in the vocabulary");
    }

    /** Our truncation and framing must equal what the native library does when it adds them itself. */
    @ParameterizedTest
    @ValueSource(ints = {8, 17, 32, 64, 128})
    void truncationMatchesTheNativeLongestFirst(int maxLength) throws IOException {
        Path json = Files.write(tmp.resolve("tokenizer.json"), Fixtures.miniLmTokenizerJson());
        List<Example> rte = DatasetReader.read(Task.RTE, Split.DEV, Fixtures.dataFile("RTE/dev.tsv"),
                ReadOptions.strict()).examples();
        List<Example> sst = DatasetReader.read(Task.SST2, Split.DEV, Fixtures.dataFile("SST-2/dev.tsv"),
                ReadOptions.strict()).examples().subList(0, 150);
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.builder().optTokenizerPath(json)
                .optAddSpecialTokens(true).optTruncation(true).optPadding(false).optMaxLength(maxLength).build()) {
            int truncated = 0;
            for (Example e : rte) {
                var expected = reference.encode(e.textA(), e.textB());
                Encoding actual = miniLm.encode(e.textA(), e.textB(), maxLength);
                assertThat(actual.ids()).as("RTE %s at %d", e.id(), maxLength).containsExactly(expected.getIds());
                assertThat(actual.typeIds()).containsExactly(expected.getTypeIds());
                assertThat(actual.length()).isLessThanOrEqualTo(maxLength);
                truncated += actual.length() == maxLength ? 1 : 0;
            }
            for (Example e : sst) {
                var expected = reference.encode(e.textA());
                assertThat(miniLm.encode(e.textA(), null, maxLength).ids()).containsExactly(expected.getIds());
            }
            if (maxLength <= 64) {
                assertThat(truncated).as("pairs that needed truncation").isGreaterThan(50);
            }
        }
    }

    @Test
    void encodeAllEqualsEncode() {
        List<String> a = List.of("first sentence", "second one here", "third");
        List<String> b = Arrays.asList("with a pair", null, "another pair that is long enough to be cut");
        List<Encoding> all = miniLm.encodeAll(a, b, 10);
        List<Encoding> one = new ArrayList<>();
        for (int i = 0; i < a.size(); i++) {
            one.add(miniLm.encode(a.get(i), b.get(i), 10));
        }
        assertThat(all).isEqualTo(one);
        assertThat(miniLm.encodeAll(a, null, 10).get(1)).isEqualTo(miniLm.encode("second one here", null, 10));
    }

    @Test
    void closedTokenizerSaysSo() throws IOException {
        HfTokenizer t = HfTokenizer.fromStream(new ByteArrayInputStream(Fixtures.miniLmTokenizerJson()), "minilm");
        t.close();
        t.close();
        assertThatThrownBy(() -> t.encode("x", null, 8))
                .isInstanceOf(IllegalStateException.class).hasMessage("HfTokenizer is closed");
    }

    @Test
    void robertaFramingIsDerivedFromThePostProcessor() throws IOException {
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + special(0, "<s>") + "," + special(1, "<pad>") + "," + special(2, "</s>") + "," + special(3, "<unk>")
                + "],\"normalizer\":null,\"pre_tokenizer\":{\"type\":\"Whitespace\"},"
                + "\"post_processor\":{\"type\":\"RobertaProcessing\",\"sep\":[\"</s>\",2],\"cls\":[\"<s>\",0],"
                + "\"trim_offsets\":true,\"add_prefix_space\":false},\"decoder\":null,"
                + "\"model\":{\"type\":\"WordLevel\",\"vocab\":{\"<s>\":0,\"<pad>\":1,\"</s>\":2,\"<unk>\":3,"
                + "\"hello\":4,\"world\":5,\"good\":6,\"bye\":7},\"unk_token\":\"<unk>\"}}";
        Path file = Files.writeString(tmp.resolve("roberta.json"), json, StandardCharsets.UTF_8);
        try (HfTokenizer t = HfTokenizer.fromFile(file);
             HuggingFaceTokenizer reference = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                     .optAddSpecialTokens(true).optTruncation(false).optPadding(false).build()) {
            assertThat(t.specialTokens()).isEqualTo(new SpecialTokens(SpecialTokensStyle.ROBERTA, 0, 2, 1));
            Encoding e = t.encode("hello world", "good bye", 16);
            assertThat(e.ids()).containsExactly(0, 4, 5, 2, 2, 6, 7, 2);
            assertThat(e.ids()).containsExactly(reference.encode("hello world", "good bye").getIds());
            assertThat(e.typeIds()).containsOnly(0);
            assertThat(t.encode("hello nope", null, 16).ids()).containsExactly(0, 4, 3, 2);
        }
    }

    /**
     * A byte-level BPE file in GPT-2's layout (ByteLevel pre-tokenizer and post-processor, one special
     * token, no padding): the native library splits it, the framing is GPT-2's, padding is end-of-text.
     */
    @Test
    void gpt2ByteLevelBpeIsFramedWithEndOfText() throws IOException {
        String byteLevel = "{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":true,\"use_regex\":true}";
        String json = "{\"version\":\"1.0\",\"truncation\":null,\"padding\":null,\"added_tokens\":["
                + special(10, "<|endoftext|>") + "],\"normalizer\":null,\"pre_tokenizer\":" + byteLevel
                + ",\"post_processor\":" + byteLevel + ",\"decoder\":" + byteLevel + ","
                + "\"model\":{\"type\":\"BPE\",\"dropout\":null,\"unk_token\":null,\"continuing_subword_prefix\":\"\","
                + "\"end_of_word_suffix\":\"\",\"fuse_unk\":false,\"byte_fallback\":false,"
                + "\"vocab\":{\"\u0120\":0,\"t\":1,\"h\":2,\"e\":3,\"c\":4,\"a\":5,\"\u0120t\":6,\"he\":7,"
                + "\"\u0120the\":8,\"at\":9,\"<|endoftext|>\":10},"
                + "\"merges\":[\"\u0120 t\",\"h e\",\"\u0120t he\",\"a t\"]}}";
        Path file = Files.writeString(tmp.resolve("gpt2.json"), json, StandardCharsets.UTF_8);
        try (HfTokenizer t = HfTokenizer.fromFile(file);
             HuggingFaceTokenizer reference = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                     .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            assertThat(t.specialTokens()).isEqualTo(new SpecialTokens(SpecialTokensStyle.GPT2, 10, 10, 10));
            // "the cat" → the, Ġc, at ("Ġ" is the byte-level symbol of the space)
            assertThat(t.pieceIds("the cat")).containsExactly(1, 7, 0, 4, 9)
                    .containsExactly(reference.encode("the cat").getIds());
            assertThat(t.encode("the cat", null, 16).ids()).containsExactly(1, 7, 0, 4, 9, 10);
            assertThat(t.encode("the cat", " the", 16).ids()).containsExactly(1, 7, 0, 4, 9, 10, 8, 10);
            assertThat(t.encode("the cat", " the", 16).typeIds()).containsOnly(0);
        }
        try (HfTokenizer asked = HfTokenizer.fromFile(file, SpecialTokensStyle.GPT2)) {
            assertThat(asked.specialTokens().style()).isEqualTo(SpecialTokensStyle.GPT2);
        }
    }

    private static String special(int id, String content) {
        return "{\"id\":" + id + ",\"content\":\"" + content + "\",\"single_word\":false,\"lstrip\":false,"
                + "\"rstrip\":false,\"normalized\":false,\"special\":true}";
    }
}
