package dev.idspam.graphs.methods.ptuningv2;

import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodSettings;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.List;

/** P-Tuning v2 (deep prompt tuning) for the method registry. */
public final class PTuningV2Provider implements MethodProvider<PTuningV2Config> {
    @Override
    public String id() {
        return "ptuning-v2";
    }

    @Override
    public String description() {
        return "P-Tuning v2: t trainable prompt vectors at every layer (deep prompt tuning)";
    }

    @Override
    public String displayName() {
        return "P-Tuning v2";
    }

    @Override
    public int tableRow() {
        return 40;
    }

    @Override
    public List<MethodOption> options() {
        return List.of(MethodSettings.PROMPT_TOKENS, PTuningV2Config.INIT_STD);
    }

    @Override
    public PTuningV2Config config(MethodSpec s) {
        return new PTuningV2Config(s.integer(MethodSettings.PROMPT_TOKENS.name()), s.number(PTuningV2Config.INIT_STD.name()));
    }

    @Override
    public Method create(PTuningV2Config config) {
        return new PTuningV2Method(config);
    }

    /** A prompt P_i [t, n] for each of the N layers: N·t·n. */
    @Override
    public long trainableParameters(PTuningV2Config cfg, ModelSizes sizes) {
        return (long) sizes.layers() * cfg.promptTokens() * sizes.hidden();
    }
}
