package dev.idspam.graphs.methods.prompttuning;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

/** Prompt Tuning as a {@link Method}: a static prompt prepended at m = 0. */
public final class PromptTuningMethod implements Method {
    private final PromptTuningConfig cfg;

    public PromptTuningMethod(PromptTuningConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "prompt-tuning";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        // no "layer": the prompt always enters at m = 0 and is not a setting, so runs record no layer,
        // as the results store does for every method without a --layer option
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("prompt_dropout", cfg.promptDropout());
        return o;
    }

    /** The prompt enters at m = 0: no layer below it to cache. */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return cfg.promptTokens();
    }

    @Override
    public Injection injection(MethodContext ctx) {
        var initial = PromptTuning.initialPrompt(ctx.backbone().get(TensorNames.WORD), cfg.promptTokens(),
                ctx.seed());
        return Injection.prepend(0, (b, at) -> {
            var s = PromptTuning.build(b, cfg, initial, at.hidden(), ctx.training());
            ctx.declareTrainable(PromptTuning.PARAMETER);
            return s;
        });
    }
}
