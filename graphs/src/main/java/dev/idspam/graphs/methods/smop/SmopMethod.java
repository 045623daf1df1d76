package dev.idspam.graphs.methods.smop;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

/** SMoP as a {@link Method}: a routed prompt prepended at m = 0. */
public final class SmopMethod implements Method {
    private final SmopConfig cfg;

    public SmopMethod(SmopConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "smop";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("prompts", cfg.prompts());
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("router_noise", cfg.routerNoise());
        o.addProperty("router_init_std", cfg.routerInitStd());
        return o;
    }

    /** The router reads the token embeddings and the prompt enters at m = 0: nothing to cache. */
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
        var initial = SmopRouter.initialPrompts(ctx.backbone().get(TensorNames.WORD), cfg, ctx.seed());
        return Injection.prepend(0, (b, at) -> {
            var s = SmopRouter.build(b, cfg, ctx.init(), initial, at.wordEmbeddings(), at.maskFloat(),
                    ctx.config().hidden(), ctx.training(), ctx.seed());
            ctx.declareTrainable(SmopRouter.PARAMETERS);
            return s;
        });
    }
}
