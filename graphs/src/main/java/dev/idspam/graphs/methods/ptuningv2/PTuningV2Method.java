package dev.idspam.graphs.methods.ptuningv2;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

import java.util.ArrayList;
import java.util.List;

/** P-Tuning v2 as a {@link Method}: layer 0 prepends P_0, every later layer i replaces those t positions with P_i. */
public final class PTuningV2Method implements Method {
    private final PTuningV2Config cfg;

    public PTuningV2Method(PTuningV2Config cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "ptuning-v2";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("init_std", cfg.initStd());
        return o;
    }

    /** Layer 0's input already changes: nothing below the method to cache. */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return cfg.promptTokens();
    }

    /** One injection per layer: prepend at 0, replace the prompt positions at 1..N−1. */
    @Override
    public List<Injection> injections(MethodContext ctx) {
        int layers = ctx.config().layers();
        int t = cfg.promptTokens();
        List<Injection> out = new ArrayList<>();
        out.add(Injection.prepend(0, (b, at) -> prompt(b, ctx, 0, at.hidden())));
        for (int i = 1; i < layers; i++) {
            int layer = i;
            out.add(Injection.replacePrompt(layer, t, (b, at) -> prompt(b, ctx, layer, at.hidden())));
        }
        return out;
    }

    /** [P_i]·B: layer i's prompt P_i [t, n] broadcast to [B, t, n]; {@code like} [B, ·, n] supplies B. */
    private Value prompt(GraphBuilder b, MethodContext ctx, int layer, Value like) {
        Ops o = b.ops();
        int n = ctx.config().hidden();
        String name = PTuningV2Config.parameter(layer);
        try (GraphBuilder.Scope ignored = b.scope("ptuning_v2")) {
            Value p = b.parameter(name, ctx.init().normal(name, cfg.initStd(), cfg.promptTokens(), n), true);
            ctx.declareTrainable(name);
            Value target = o.concat(0, o.shape(like, 0, 1), o.longs(1, 1));
            return o.expand(o.unsqueeze(p, 0), target);
        }
    }
}
