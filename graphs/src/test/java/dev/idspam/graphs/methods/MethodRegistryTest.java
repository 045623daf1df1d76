package dev.idspam.graphs.methods;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry's invariants and how a {@link MethodSpec} reads a provider's option schema. */
class MethodRegistryTest {

    @Test
    void idsAreUniqueAndEveryOptionHasOneMeaning() {
        List<String> ids = MethodRegistry.ids();
        assertThat(ids).doesNotHaveDuplicates().isNotEmpty();
        assertThat(MethodRegistry.reference().role()).isEqualTo(MethodProvider.Role.REFERENCE);
        // an option name shared by several methods is the same option (one default, one range)
        for (MethodOption o : MethodRegistry.allOptions()) {
            for (MethodProvider<?> p : MethodRegistry.providers()) {
                p.options().stream().filter(q -> q.name().equals(o.name()))
                        .forEach(q -> assertThat(q).as(p.id() + " --" + o.name()).isSameAs(o));
            }
        }
        for (MethodProvider<?> p : MethodRegistry.providers()) {
            assertThat(p.description()).as(p.id()).isNotBlank();
            assertThat(p.displayName()).as(p.id()).isNotBlank();
            MethodSpec d = MethodSpec.defaults(p.id());
            assertThat(d.create().id()).as("the method built by " + p.id()).isEqualTo(p.id());
            assertThat(d.values().keySet()).containsExactlyElementsOf(p.options().stream().map(MethodOption::name).toList());
        }
    }

    @Test
    void aLayerIsRecordedExactlyForMethodsWithALayerOption() {
        for (MethodProvider<?> p : MethodRegistry.providers()) {
            MethodSpec d = MethodSpec.defaults(p.id());
            JsonObject config = d.create().config();
            assertThat(config.has("layer")).as("layer in the manifest config of " + p.id()).isEqualTo(d.layer().isPresent());
            d.layer().ifPresent(m -> assertThat(config.get("layer").getAsInt()).isEqualTo(m));
        }
    }

    @Test
    void specsTakeDefaultsAndRefuseWhatTheMethodDoesNotRead() {
        MethodSpec s = MethodSpec.of("lpt", Map.of("lpt-rank", 32));
        assertThat(s.integer("lpt-rank")).isEqualTo(32);
        assertThat(s.integer("prompt-tokens")).isEqualTo(10);
        assertThat(s.layer()).hasValue(3);
        assertThat(s.withLayer(1).layer()).hasValue(1);
        assertThat(MethodSpec.defaults("lora").withLayer(1).layer()).isEmpty();
        assertThatThrownBy(() -> MethodSpec.of("lora", Map.of("prompt-tokens", 5)))
                .hasMessage("--prompt-tokens does not apply to method lora; it takes --lora-rank, --lora-alpha");
        assertThatThrownBy(() -> MethodSpec.of("probe", Map.of("layer", 1)))
                .hasMessage("--layer does not apply to method probe, which has no settings");
        assertThatThrownBy(() -> MethodSpec.of("idspam", Map.of("prompt-tokens", 2.5)))
                .hasMessage("prompt tokens (--prompt-tokens) must be a whole number, got 2.5");
        assertThatThrownBy(() -> MethodSpec.defaults("bert")).hasMessageStartingWith("unknown method 'bert'; choose one of [");
    }

    @Test
    void rangesAreWrittenOnceAndReadAsUsersWriteThem() {
        assertThat(MethodSettings.PROMPT_TOKENS.rangeText()).isEqualTo("[1, 1024]");
        assertThat(MethodSettings.LAYER.rangeText()).isEqualTo(">= 0");
        assertThat(MethodSettings.PROMPT_DROPOUT.rangeText()).isEqualTo("[0, 1)");
        assertThat(MethodSettings.PROMPT_DROPOUT.defaultText()).isEqualTo("0.1");
        assertThat(MethodSettings.PROMPT_TOKENS.key()).isEqualTo("prompt_tokens");
        assertThatThrownBy(() -> MethodSettings.PROMPT_DROPOUT.check(1))
                .hasMessage("prompt dropout (--prompt-dropout) must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> MethodOption.whole("bad", "bad", 0, 1, 5, "help"))
                .as("a default outside its own range").hasMessageContaining("must be in [1, 5], got 0");
    }

    @Test
    void registrationsAreCheckedAndUndone() {
        List<String> before = MethodRegistry.ids();
        MethodProvider<?> twice = MethodRegistry.get("lora");
        assertThatThrownBy(() -> MethodRegistry.register(twice)).hasMessage("method id 'lora' is registered twice");
        assertThat(MethodRegistry.ids()).isEqualTo(before);
    }
}
