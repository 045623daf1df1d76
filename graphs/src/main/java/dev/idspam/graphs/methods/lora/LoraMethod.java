package dev.idspam.graphs.methods.lora;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.Projection;
import dev.idspam.graphs.backbone.ProjectionHook;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;

/**
 * LoRA on the query and value projections of every layer:
 * {@code y = x·W + b + (α/r)·(x·A)·B}, A [n, r] ~ N(0, σ²), B [r, n] = 0.
 */
public final class LoraMethod implements Method {
    private final LoraConfig cfg;

    public LoraMethod(LoraConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "lora";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("rank", cfg.rank());
        o.addProperty("alpha", cfg.alpha());
        o.addProperty("dropout", cfg.dropout());
        o.addProperty("targets", "q,v");
        o.addProperty("init_std", cfg.initStd());
        return o;
    }

    /** LoRA changes the projections of every layer: nothing below m is the frozen backbone's. */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return 0;
    }

    @Override
    public ProjectionHook projectionHook(MethodContext ctx) {
        int n = ctx.config().hidden();
        return (b, layer, projection, x, defaultOutput) -> {
            if (projection != Projection.Q && projection != Projection.V) {
                return defaultOutput;
            }
            Ops o = b.ops();
            String base = "lora." + layer + "." + projection.shortName();
            Value a = b.parameter(base + ".a", ctx.init().normal(base + ".a", cfg.initStd(), n, cfg.rank()), true);
            Value bm = b.parameter(base + ".b", ctx.init().zeros(cfg.rank(), n), true);
            ctx.declareTrainable(base + ".a");
            ctx.declareTrainable(base + ".b");
            Value in = ctx.training() && cfg.dropout() > 0 ? o.dropout(x, (float) cfg.dropout()) : x;
            Value delta = o.matmul(o.matmul(in, a), o.mul(bm, o.scalarLike(bm, cfg.scale())));
            return o.add(defaultOutput, delta);
        };
    }
}
