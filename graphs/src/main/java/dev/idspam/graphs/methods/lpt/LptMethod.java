package dev.idspam.graphs.methods.lpt;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

/** Late Prompt Tuning with the NPG generator as a {@link Method}. */
public final class LptMethod implements Method {
    private final LptConfig cfg;

    public LptMethod(LptConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "lpt";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("layer", cfg.layer());
        o.addProperty("rank", cfg.rank());
        o.addProperty("prompt_dropout", cfg.promptDropout());
        o.addProperty("init_std", cfg.initStd());
        return o;
    }

    /** Layers 0..m−1 are the frozen backbone's; LPT's generator reads X_m and its prompt enters at m. */
    @Override
    public int frozenPrefixLayers() {
        return cfg.layer();
    }

    @Override
    public int promptTokens() {
        return cfg.promptTokens();
    }

    @Override
    public Injection injection(MethodContext ctx) {
        cfg.validateFor(ctx.config().layers());
        return Injection.prepend(cfg.layer(), (b, at) -> {
            var s = LptGenerator.build(b, cfg, ctx.init(), at.hidden(),
                    ctx.config().family().isDecoder() ? at.maskFloat() : null, ctx.config().hidden(), ctx.training());
            ctx.declareTrainable(LptGenerator.PARAMETERS);
            return s;
        });
    }
}
