package dev.idspam.graphs.methods.smop;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.ParameterInit;
import dev.idspam.graphs.methods.prompttuning.PromptTuning;

import java.util.List;

/** Builds SMoP's routed prompt S [B, t, n] from the token embeddings (see the package doc for the equations). */
public final class SmopRouter {
    public static final String PROMPTS = "smop.prompts";
    public static final String ROUTER_W = "smop.router.w";
    public static final String ROUTER_B = "smop.router.b";
    public static final List<String> PARAMETERS = List.of(PROMPTS, ROUTER_W, ROUTER_B);

    private SmopRouter() {
    }

    /** The K prompts [K, t, n]: K·t rows of the word-embedding matrix at seeded random token ids. */
    public static TensorData initialPrompts(TensorData wordEmbeddings, SmopConfig cfg, long seed) {
        int n = Math.toIntExact(wordEmbeddings.dims()[1]);
        return PromptTuning.initialPrompt(wordEmbeddings, cfg.prompts() * cfg.promptTokens(), seed)
                .reshape(cfg.prompts(), cfg.promptTokens(), n);
    }

    /**
     * @param embeddings token embeddings E [B, L, n]
     * @param maskFloat  attention mask as float [B, L] (1 = real token)
     * @param noiseSeed  seed of the training graph's noise draws (the same graph draws a new sample each step)
     */
    public static Value build(GraphBuilder b, SmopConfig cfg, ParameterInit init, TensorData initialPrompts,
                              Value embeddings, Value maskFloat, int n, boolean training, long noiseSeed) {
        Ops o = b.ops();
        int k = cfg.prompts();
        int t = cfg.promptTokens();
        try (GraphBuilder.Scope ignored = b.scope("smop")) {
            Value prompts = b.parameter(PROMPTS, initialPrompts, true);
            Value w = b.parameter(ROUTER_W, init.normal(ROUTER_W, cfg.routerInitStd(), n, k), true);
            Value bias = b.parameter(ROUTER_B, init.zeros(k), true);

            // ē = Σ_i mask_i·E_i / Σ_i mask_i   [B, n]
            Value summed = o.reduceSum(o.mul(embeddings, o.unsqueeze(maskFloat, 2)), false, 1);
            Value pooled = o.div(summed, o.reduceSum(maskFloat, true, 1));
            // z = ē·W_r + b_r   [B, K], plus N(0, σ²) noise while training
            Value z = o.linear(pooled, w, bias);
            if (training && cfg.routerNoise() > 0) {
                Value noise = b.op("RandomNormalLike", List.of(Attr.f("mean", 0f), Attr.f("scale", (float) cfg.routerNoise()),
                        Attr.f("seed", (float) Math.floorMod(noiseSeed, 1 << 20))), z);
                z = o.add(z, noise);
            }
            Value p = o.softmax(z, -1);
            // h = onehot(argmax z): [B, 1] int64 index compared with 0..K−1 → [B, K] of 0/1, no gradient
            Value choice = b.op("ArgMax", List.of(Attr.i("axis", 1), Attr.i("keepdims", 1)), z);
            Value ks = b.constant("prompt_ids", TensorData.longs(range(k)));
            Value h = o.cast(o.equal(choice, ks), DType.FLOAT);
            // S = (h ⊙ p)·P, with P flattened to [K, t·n], back to [B, t, n]
            Value weights = o.mul(h, p);
            Value flat = o.reshape(prompts, k, (long) t * n);
            return o.reshape(o.matmul(weights, flat), -1, t, n);
        }
    }

    private static long[] range(int k) {
        long[] r = new long[k];
        for (int i = 0; i < k; i++) {
            r[i] = i;
        }
        return r;
    }
}
