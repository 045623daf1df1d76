package dev.idspam.graphs.methods.idspam;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

/** ID-SPAM (and, with {@code meanPoolOnly}, its mean-pool ablation) as a {@link Method}. */
public final class IdSpamMethod implements Method {
    private final IdSpamConfig cfg;

    public IdSpamMethod(IdSpamConfig cfg) {
        this.cfg = cfg;
    }

    public IdSpamConfig settings() {
        return cfg;
    }

    @Override
    public String id() {
        return cfg.meanPoolOnly() ? "idspam-meanpool" : "idspam";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("layer", cfg.layer());
        o.addProperty("bottleneck", cfg.bottleneck());
        o.addProperty("heads", cfg.heads());
        o.addProperty("qkv_bias", cfg.qkvBias());
        o.addProperty("generator_input", cfg.generatorInput().name());
        o.addProperty("prompt_activation", cfg.promptActivation().name());
        o.addProperty("prompt_dropout", cfg.promptDropout());
        o.addProperty("mean_pool_only", cfg.meanPoolOnly());
        o.addProperty("init_std", cfg.initStd());
        return o;
    }

    /** Layers 0..m−1 are the frozen backbone's; the generator and its prompt sit at layer m. */
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
        int n = ctx.config().hidden();
        cfg.validateFor(ctx.config().layers(), n);
        return Injection.prepend(cfg.layer(), (b, at) -> {
            var input = cfg.generatorInput() == IdSpamConfig.GeneratorInput.WORD_EMBEDDINGS ? at.wordEmbeddings()
                    : at.embeddingOutput();
            IdSpamGenerator.Result r = IdSpamGenerator.build(b, cfg, ctx.init(), input, at.maskFloat(), at.additiveMask(),
                    n, ctx.training());
            ctx.declareTrainable(r.parameters());
            return r.prompt();
        });
    }
}
