package dev.idspam.graphs.methods.full;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** Full fine-tuning for the method registry; it has no settings. */
public final class FullFineTuningProvider implements MethodProvider<FullFineTuningProvider.Settings> {
    /** Full fine-tuning's (empty) config. */
    public record Settings() { }

    @Override
    public String id() {
        return "full";
    }

    @Override
    public String description() {
        return "full fine-tuning: every backbone weight trains with the head";
    }

    @Override
    public String displayName() {
        return "Fine-tuning";
    }

    @Override
    public int tableRow() {
        return 10;
    }

    @Override
    public List<MethodOption> options() {
        return List.of();
    }

    @Override
    public Settings config(MethodSpec s) {
        return new Settings();
    }

    @Override
    public Method create(Settings config) {
        return new FullFineTuningMethod();
    }

    /** The whole backbone. */
    @Override
    public long trainableParameters(Settings cfg, ModelSizes sizes) {
        return sizes.backboneParameters();
    }
}
