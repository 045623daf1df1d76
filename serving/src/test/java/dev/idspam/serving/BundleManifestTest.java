package dev.idspam.serving;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import dev.idspam.datasets.task.Task;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** bundle.json validation: every field the predictor relies on, by name and type, with one-line messages. */
class BundleManifestTest {
    private static final Path FILE = Path.of("/b/bundle.json");
    private static final String SHA = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    private static JsonObject valid() {
        JsonObject t = new JsonObject();
        t.addProperty("kind", "WORDPIECE_VOCAB");
        t.addProperty("file", "vocab.txt");
        t.addProperty("sha256", SHA);
        t.addProperty("lowercase", true);
        t.addProperty("style", "BERT");
        JsonObject m = new JsonObject();
        m.addProperty("format", Bundle.FORMAT);
        m.addProperty("format_version", Bundle.FORMAT_VERSION);
        m.addProperty("task", "cb");
        JsonArray labels = new JsonArray();
        Task.CB.labels().forEach(labels::add);
        m.add("labels", labels);
        m.addProperty("regression", false);
        m.addProperty("pair", true);
        m.addProperty("max_length", 64);
        m.addProperty("method", "idspam");
        m.add("tokenizer", t);
        m.addProperty("output", "logits");
        m.addProperty("checkpoint", "best.ckpt");
        m.addProperty("model_sha256", SHA);
        return m;
    }

    private static BundleManifest parse(Consumer<JsonObject> edit) throws IOException {
        JsonObject m = valid();
        edit.accept(m);
        return BundleManifest.parse(m.toString(), FILE);
    }

    private static void assertRefused(Consumer<JsonObject> edit, String message) {
        assertThatThrownBy(() -> parse(edit)).isInstanceOf(IOException.class).hasMessage(FILE + ": " + message);
    }

    @Test
    void readsAValidManifest() throws IOException {
        BundleManifest m = parse(o -> { });
        assertThat(m.task()).isSameAs(Task.CB);
        assertThat(m.labels()).containsExactly("entailment", "contradiction", "neutral");
        assertThat(m.pair()).isTrue();
        assertThat(m.maxLength()).isEqualTo(64);
        assertThat(m.modelSha256()).isEqualTo(SHA);
        assertThat(m.tokenizer().file()).isEqualTo("vocab.txt");
        assertThat(m.checkpoint()).isEqualTo("best.ckpt");
    }

    @Test
    void olderBundlesWithoutPairTakeItFromTheTask() throws IOException {
        assertThat(parse(o -> o.remove("pair")).pair()).isTrue();
        assertThat(parse(o -> {
            o.remove("pair");
            o.addProperty("task", "sst2");
            JsonArray labels = new JsonArray();
            labels.add("0");
            labels.add("1");
            o.add("labels", labels);
        }).pair()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"format", "format_version", "task", "labels", "regression", "max_length", "output", "model_sha256",
            "tokenizer"})
    void eachRequiredFieldIsNamedWhenMissing(String field) {
        assertRefused(o -> o.remove(field), "field '" + field + "' is missing");
        assertRefused(o -> o.add(field, com.google.gson.JsonNull.INSTANCE), "field '" + field + "' is missing");
    }

    @ParameterizedTest
    @ValueSource(strings = {"kind", "file", "sha256", "lowercase", "style"})
    void eachTokenizerFieldIsNamedWhenMissing(String field) {
        assertRefused(o -> o.getAsJsonObject("tokenizer").remove(field), "field 'tokenizer." + field + "' is missing");
    }

    @Test
    void wrongTypesAreNamedWithWhatWasFound() {
        assertRefused(o -> o.addProperty("labels", 3), "field 'labels' must be an array of strings, found 3");
        assertRefused(o -> o.addProperty("max_length", "64"), "field 'max_length' must be a whole number, found the string '64'");
        assertRefused(o -> o.addProperty("max_length", 6.5), "field 'max_length' must be a whole number, found 6.5");
        assertRefused(o -> o.addProperty("regression", "no"), "field 'regression' must be true or false, found the string 'no'");
        assertRefused(o -> o.addProperty("task", 7), "field 'task' must be a string, found 7");
        assertRefused(o -> o.add("tokenizer", new JsonPrimitive("vocab.txt")),
                "field 'tokenizer' must be an object, found the string 'vocab.txt'");
        assertRefused(o -> o.addProperty("max_length", 1e12), "field 'max_length' must be in [2, 65536], found 1.0E12");
    }

    @Test
    void enumValuesListWhatIsAccepted() {
        assertRefused(o -> o.addProperty("task", "cb2"), "field 'task' is 'cb2'; accepted values: [cola, sst2, mrpc, stsb, qqp,"
                + " mnli, qnli, rte, cb, boolq, copa, multirc, wic, imdb]");
        assertRefused(o -> o.getAsJsonObject("tokenizer").addProperty("kind", "BPE"),
                "field 'tokenizer.kind' is 'BPE'; accepted values: [HF_JSON, WORDPIECE_VOCAB]");
        assertRefused(o -> o.getAsJsonObject("tokenizer").addProperty("style", "GPT"),
                "field 'tokenizer.style' is 'GPT'; accepted values: [BERT, ROBERTA, GPT2]");
        assertRefused(o -> o.addProperty("format", "onnx"), "field 'format' is 'onnx'; accepted values: [" + Bundle.FORMAT + "]");
        assertRefused(o -> o.addProperty("output", "probs"), "field 'output' is 'probs'; accepted values: [logits]");
    }

    @Test
    void labelsMustFitTheTask() {
        assertRefused(o -> o.add("labels", new JsonArray()), "field 'labels' is empty; a classifier needs one label per output");
        assertRefused(o -> o.add("labels", JsonParser.parseString("[\"a\", \"a\"]")), "field 'labels' repeats a value: [a, a]");
        assertRefused(o -> o.addProperty("regression", true), "field 'regression' is true, but task cb is a classification task");
        assertRefused(o -> o.addProperty("pair", false), "field 'pair' is false, but task cb takes a pair of texts");
    }

    @Test
    void versionAndChecksumsAreChecked() {
        assertRefused(o -> o.addProperty("format_version", 2),
                "field 'format_version' is 2, this build reads 1; re-export the bundle with this build");
        assertRefused(o -> o.addProperty("model_sha256", "abc"),
                "field 'model_sha256' must be a SHA-256 digest (64 lower-case hex digits), found 'abc'");
        assertRefused(o -> o.getAsJsonObject("tokenizer").addProperty("sha256", SHA.toUpperCase(java.util.Locale.ROOT)),
                "field 'tokenizer.sha256' must be a SHA-256 digest (64 lower-case hex digits), found '" + SHA.toUpperCase(
                        java.util.Locale.ROOT) + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../vocab.txt", "/etc/passwd", "sub/vocab.txt", "..", ".", "", "sub\\\\vocab.txt", "C:vocab.txt"})
    void theTokenizerFileMustBeAPlainNameInTheBundle(String file) {
        assertRefused(o -> o.getAsJsonObject("tokenizer").addProperty("file", file),
                "field 'tokenizer.file' must be a plain file name in /b, found '" + file + "'");
    }

    @Test
    void malformedJsonIsOneLineWithoutParserTypeNames() {
        assertThatThrownBy(() -> BundleManifest.parse("{ \"format\": ", FILE)).hasMessage(FILE
                + ": malformed JSON: the text ends early near line 1 column 13");
        assertThatThrownBy(() -> BundleManifest.parse("{ \"format\" \"x\" }", FILE)).hasMessage(FILE
                + ": malformed JSON near line 1 column 13");
        assertThatThrownBy(() -> BundleManifest.parse("{} {}", FILE)).hasMessage(FILE + ": malformed JSON near line 1 column 5");
        assertThatThrownBy(() -> BundleManifest.parse(" \n", FILE)).hasMessage(FILE + ": the file is empty; expected a JSON object");
        assertThatThrownBy(() -> BundleManifest.parse("[1]", FILE)).hasMessage(FILE + ": expected a JSON object, found an array");
    }
}
