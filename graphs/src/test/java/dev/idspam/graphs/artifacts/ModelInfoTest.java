package dev.idspam.graphs.artifacts;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModelInfoTest {
    private static final Path MANIFEST = Path.of("run", "manifest.json");

    static ModelInfo sample(String maven) {
        JsonObject config = new JsonObject();
        config.addProperty("layer", 3);
        config.addProperty("prompt_tokens", 10);
        ModelInfo.BackboneInfo backbone = new ModelInfo.BackboneInfo("minilm-l6", "SAFETENSORS", "/cache/model.safetensors",
                maven, "BERT", 6, 384, 12, 1536, 30522, 512, 2, 22_565_376L);
        return new ModelInfo("hf:minilm", "idspam", config, 10, 2, false, 0.1, 42, backbone, "sst2",
                List.of("negative", "positive"), 128, null);
    }

    /** The section exactly as the hand-built JSON of earlier builds: same members, order and number forms. */
    @Test
    void writesTheSectionAsEarlierBuildsDid() {
        JsonObject earlier = new JsonObject();
        earlier.addProperty("backbone_origin", "hf:minilm");
        earlier.addProperty("method", "idspam");
        JsonObject config = new JsonObject();
        config.addProperty("layer", 3);
        config.addProperty("prompt_tokens", 10);
        earlier.add("method_config", config);
        earlier.addProperty("prompt_tokens", 10);
        earlier.addProperty("head_outputs", 2);
        earlier.addProperty("regression", false);
        earlier.addProperty("head_dropout", 0.1);
        earlier.addProperty("seed", 42L);
        JsonObject b = new JsonObject();
        b.addProperty("id", "minilm-l6");
        b.addProperty("format", "SAFETENSORS");
        b.addProperty("location", "/cache/model.safetensors");
        b.addProperty("family", "BERT");
        b.addProperty("layers", 6);
        b.addProperty("hidden", 384);
        b.addProperty("heads", 12);
        b.addProperty("intermediate", 1536);
        b.addProperty("vocab_size", 30522);
        b.addProperty("max_positions", 512);
        b.addProperty("type_vocab_size", 2);
        b.addProperty("parameters", 22_565_376L);
        earlier.add("backbone", b);
        earlier.addProperty("task", "sst2");
        JsonArray labels = new JsonArray();
        labels.add("negative");
        labels.add("positive");
        earlier.add("labels", labels);
        earlier.addProperty("max_length", 128);

        var manifestGson = new GsonBuilder().setPrettyPrinting().serializeNulls().disableHtmlEscaping().create();
        assertThat(manifestGson.toJson(sample(null).toJson())).isEqualTo(manifestGson.toJson(earlier));
    }

    @Test
    void keepsMavenCoordinatesOnlyWhenThereAreSome() {
        assertThat(sample(null).toJson().getAsJsonObject("backbone").has("maven")).isFalse();
        assertThat(sample("org.example:minilm:1").toJson().getAsJsonObject("backbone").get("maven").getAsString())
                .isEqualTo("org.example:minilm:1");
    }

    @Test
    void readsBackWhatItWrote() throws Exception {
        ModelInfo m = sample("org.example:minilm:1");
        JsonObject reparsed = JsonParser.parseString(m.toJson().toString()).getAsJsonObject();
        assertThat(ModelInfo.parse(reparsed, MANIFEST)).isEqualTo(m);
    }

    @Test
    void ignoresMembersItDoesNotKnow() throws Exception {
        JsonObject o = sample(null).toJson();
        o.addProperty("written_by_a_later_build", true);
        assertThat(ModelInfo.parse(o, MANIFEST).task()).isEqualTo("sst2");
    }

    @Test
    void namesTheFileAndTheMissingField() {
        JsonObject noTask = sample(null).toJson();
        noTask.remove("task");
        assertThatThrownBy(() -> ModelInfo.parse(noTask, MANIFEST)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(MANIFEST + ": field 'model.task' is missing; regenerate the artifacts");
        JsonObject noId = sample(null).toJson();
        noId.getAsJsonObject("backbone").remove("id");
        assertThatThrownBy(() -> ModelInfo.parse(noId, MANIFEST))
                .hasMessage(MANIFEST + ": field 'model.backbone.id' is missing; regenerate the artifacts");
        JsonObject noLength = sample(null).toJson();
        noLength.remove("max_length");
        assertThatThrownBy(() -> ModelInfo.parse(noLength, MANIFEST))
                .hasMessageStartingWith(MANIFEST + ": field 'model.max_length' is missing or not a positive number");
    }

    @Test
    void namesTheFieldOfTheWrongType() {
        JsonObject o = sample(null).toJson();
        o.getAsJsonObject("backbone").addProperty("layers", "six");
        assertThatThrownBy(() -> ModelInfo.parse(o, MANIFEST)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(MANIFEST + ": field 'model.backbone.layers' must be a whole number, found the string 'six';"
                        + " regenerate the artifacts");
        JsonObject labels = sample(null).toJson();
        labels.addProperty("labels", "negative");
        assertThatThrownBy(() -> ModelInfo.parse(labels, MANIFEST))
                .hasMessage(MANIFEST + ": field 'model.labels' must be an array, found the string 'negative';"
                        + " regenerate the artifacts");
        JsonObject config = sample(null).toJson();
        config.add("method_config", new JsonArray());
        assertThatThrownBy(() -> ModelInfo.parse(config, MANIFEST))
                .hasMessage(MANIFEST + ": field 'model.method_config' must be an object, found an array; regenerate the artifacts");
    }

    @Test
    void refusesRepeatedLabels() {
        JsonObject o = sample(null).toJson();
        JsonArray twice = new JsonArray();
        twice.add("yes");
        twice.add("yes");
        o.add("labels", twice);
        assertThatThrownBy(() -> ModelInfo.parse(o, MANIFEST))
                .hasMessageStartingWith(MANIFEST + ": field 'model.labels' must list distinct strings, found [yes, yes]");
    }
}
