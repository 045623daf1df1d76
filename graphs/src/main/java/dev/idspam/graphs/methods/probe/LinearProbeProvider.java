package dev.idspam.graphs.methods.probe;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** The frozen-backbone probe for the method registry; it has no settings. */
public final class LinearProbeProvider implements MethodProvider<LinearProbeProvider.Settings> {
    /** The probe's (empty) config. */
    public record Settings() { }

    @Override
    public String id() {
        return "probe";
    }

    @Override
    public String description() {
        return "frozen probe: only the task head trains";
    }

    @Override
    public String displayName() {
        return "Frozen probe";
    }

    @Override
    public int tableRow() {
        return 100;
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
        return new LinearProbeMethod();
    }

    /** Nothing besides the head. */
    @Override
    public long trainableParameters(Settings cfg, ModelSizes sizes) {
        return 0;
    }
}
