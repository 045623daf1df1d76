package dev.idspam.datasets.tokenize;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
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
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The pure-Java WordPiece tokenizer must give the native tokenizer's ids for the same vocabulary. */
class WordPieceParityTest {

    @TempDir
    static Path tmp;

    private static HfTokenizer hf;
    private static WordPieceTokenizer wordPiece;

    @BeforeAll
    static void load() throws IOException {
        byte[] json = Fixtures.miniLmTokenizerJson();
        hf = HfTokenizer.fromStream(new ByteArrayInputStream(json), "all-minilm-l6-v2");
        JsonObject vocab = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject()
                .getAsJsonObject("model").getAsJsonObject("vocab");
        String[] tokens = new String[vocab.size()];
        for (Map.Entry<String, JsonElement> e : vocab.entrySet()) {
            tokens[e.getValue().getAsInt()] = e.getKey();
        }
        Path vocabTxt = Files.write(tmp.resolve("vocab.txt"), List.of(tokens), StandardCharsets.UTF_8);
        wordPiece = WordPieceTokenizer.fromVocabFile(vocabTxt, WordPieceConfig.uncased());
    }

    @AfterAll
    static void close() {
        if (hf != null) {
            hf.close();
        }
    }

    @Test
    void sameVocabularyAndSpecialTokens() {
        assertThat(wordPiece.vocabSize()).isEqualTo(hf.vocabSize());
        assertThat(wordPiece.specialTokens()).isEqualTo(hf.specialTokens());
        for (long id : new long[] {0, 100, 101, 102, 103, 1996, 2023, 29612, 30521}) {
            assertThat(wordPiece.decodeToken(id)).isEqualTo(hf.decodeToken(id));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {512, 40})
    void identicalIdsOnRealGlueText(int maxLength) throws IOException {
        List<Example> examples = new ArrayList<>();
        examples.addAll(read(Task.SST2, "SST-2/dev.tsv"));
        examples.addAll(read(Task.RTE, "RTE/dev.tsv"));
        examples.addAll(read(Task.MRPC, "MRPC/dev.tsv"));
        examples.addAll(read(Task.CB, "CB/val.jsonl"));
        assertThat(examples).hasSizeGreaterThan(1500);
        List<String> a = examples.stream().map(Example::textA).toList();
        List<String> b = examples.stream().map(Example::textB).toList();
        List<Encoding> expected = hf.encodeAll(a, b, maxLength);
        for (int i = 0; i < examples.size(); i++) {
            Encoding actual = wordPiece.encode(a.get(i), b.get(i), maxLength);
            assertThat(actual).as("example %d: %s | %s", i, a.get(i), b.get(i)).isEqualTo(expected.get(i));
        }
    }

    @Test
    void identicalIdsOnHardCases() {
        List<String> cases = List.of(
                "Café Müller's naïve façade — ÉCOLE",
                "中文字符 mixed with 日本語 and 한국어",
                "don't stop… “quoted” (parens) [brackets] {braces} a/b a\\b a|b ~tilde^ `tick`",
                "control\u0000chars\u200Band\tzero\u00A0width\u2003space\u3000ideographic",
                "a".repeat(99) + " " + "b".repeat(100) + " " + "c".repeat(101),
                "literal [SEP] and [MASK] and [CLS]x and [unk]",
                "emoji ❤️ 🍕 and symbols € £ ¥ © ® ™ ± ×",
                "Σίσυφος ΣΟΦΙΑ Москва İstanbul straße ǅ",
                "numbers 3.14 1,000,000 $5.00 50% #hashtag @user",
                "##ing prefixes ##",
                "\uD86E\uDC20 \uD86E\uDD20 extension-E ideographs",
                "ab\uD86E\uDC20cd ab\uD86E\uDD20cd ab\u4E00cd ab\uF900cd", // which blocks get isolated
                "antidisestablishmentarianism pneumonoultramicroscopicsilicovolcanoconiosis",
                "",
                "   ",
                "\u0301 combining mark alone, e\u0301 composed");
        for (String text : cases) {
            assertThat(wordPiece.pieceIds(text)).as("ids of '%s'", text).containsExactly(hf.pieceIds(text));
        }
    }

    private static List<Example> read(Task task, String file) throws IOException {
        return DatasetReader.read(task, Split.DEV, Fixtures.dataFile(file), ReadOptions.strict()).examples();
    }
}
