package dev.idspam.graphs.methods.dept;

import com.google.gson.JsonObject;
import dev.idspam.graphs.backbone.EmbeddingHook;
import dev.idspam.graphs.backbone.Injection;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.Method;
import dev.idspam.graphs.methods.MethodContext;
import dev.idspam.graphs.methods.prompttuning.PromptTuning;

import java.util.List;

/** DEPT as a {@link Method}: a low-rank update of the token lookup and a short prompt prepended at m = 0. */
public final class DeptMethod implements Method {
    public static final String PROMPT = "dept.prompt";
    public static final String A = "dept.embedding.a";
    public static final String B = "dept.embedding.b";
    public static final List<String> PARAMETERS = List.of(PROMPT, A, B);

    private final DeptConfig cfg;

    public DeptMethod(DeptConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public String id() {
        return "dept";
    }

    @Override
    public JsonObject config() {
        JsonObject o = new JsonObject();
        o.addProperty("prompt_tokens", cfg.promptTokens());
        o.addProperty("rank", cfg.rank());
        o.addProperty("init_std", cfg.initStd());
        return o;
    }

    /** The token embeddings change: nothing below the method to cache. */
    @Override
    public int frozenPrefixLayers() {
        return 0;
    }

    @Override
    public int promptTokens() {
        return cfg.promptTokens();
    }

    /** e'(ids) = Gather(E, ids) + Gather(A, ids)·B: [B, L, r]·[r, n] → [B, L, n], added to the frozen lookup. */
    @Override
    public EmbeddingHook embeddingHook(MethodContext ctx) {
        long vocab = ctx.config().vocabSize();
        int n = ctx.config().hidden();
        int r = cfg.rank();
        return (b, ids, lookup) -> {
            Ops o = b.ops();
            try (GraphBuilder.Scope ignored = b.scope("dept")) {
                Value a = b.parameter(A, ctx.init().zeros(vocab, r), true);
                Value bm = b.parameter(B, ctx.init().normal(B, cfg.initStd(), r, n), true);
                ctx.declareTrainable(List.of(A, B));
                return o.add(lookup, o.matmul(o.gather(a, ids, 0), bm));
            }
        };
    }

    /** P [t, n] from random vocabulary rows (as Prompt Tuning), broadcast to [B, t, n] and prepended at m = 0. */
    @Override
    public Injection injection(MethodContext ctx) {
        var initial = PromptTuning.initialPrompt(ctx.backbone().get(TensorNames.WORD), cfg.promptTokens(), ctx.seed());
        return Injection.prepend(0, (b, at) -> {
            Ops o = b.ops();
            try (GraphBuilder.Scope ignored = b.scope("dept")) {
                Value p = b.parameter(PROMPT, initial, true);
                ctx.declareTrainable(PROMPT);
                Value target = o.concat(0, o.shape(at.hidden(), 0, 1), o.longs(1, 1));
                return o.expand(o.unsqueeze(p, 0), target);
            }
        });
    }
}
