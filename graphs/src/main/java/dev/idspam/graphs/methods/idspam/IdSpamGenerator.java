package dev.idspam.graphs.methods.idspam;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.ParameterInit;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds the ID-SPAM prompt generator: masked self-attention over the input's embeddings, masked
 * mean pooling, a ReLU bottleneck and an up-projection to t prompt vectors.
 * <pre>
 *   Q,K,V = E·W + b              (n×n each)
 *   Att   = softmax(Q·Kᵀ/√d_k + mask)·V
 *   A     = Σ_i mask_i·Att_i / Σ_i mask_i             [B, n]
 *   S     = σ(ReLU(A·W_down + b_down)·W_up + b_up)    [B, t, n]
 * </pre>
 */
public final class IdSpamGenerator {
    private IdSpamGenerator() {
    }

    /** The generated prompt and the names of the generator's trainable tensors. */
    public record Result(Value prompt, List<String> parameters) { }

    /**
     * @param embeddings E [B, L, n]
     * @param maskFloat  attention mask as float [B, L] (1 = real token)
     * @param additiveKeyMask (1 − mask)·(−10000) shaped [B, 1, 1, L]
     */
    public static Result build(GraphBuilder b, IdSpamConfig cfg, ParameterInit init, Value embeddings, Value maskFloat,
                               Value additiveKeyMask, int hidden, boolean training) {
        Ops o = b.ops();
        List<String> params = new ArrayList<>();
        int t = cfg.promptTokens();
        int c = cfg.bottleneckFor(hidden);
        try (GraphBuilder.Scope ignored = b.scope("idspam")) {
            Value pooledInput;
            if (cfg.meanPoolOnly()) {
                pooledInput = embeddings;
            } else {
                pooledInput = selfAttention(b, cfg, init, embeddings, additiveKeyMask, hidden, params);
            }
            // masked mean over real positions: Σ mask·X / Σ mask
            Value m3 = o.unsqueeze(maskFloat, 2);
            Value summed = o.reduceSum(o.mul(pooledInput, m3), false, 1);
            Value count = o.reduceSum(maskFloat, true, 1);
            Value pooled = o.div(summed, count);

            Value wDown = param(b, init, "idspam.down.w", cfg.initStd(), params, hidden, c);
            Value bDown = bias(b, init, "idspam.down.b", params, c);
            Value h = o.relu(o.linear(pooled, wDown, bDown));
            Value wUp = param(b, init, "idspam.up.w", cfg.initStd(), params, c, (long) t * hidden);
            Value bUp = bias(b, init, "idspam.up.b", params, (long) t * hidden);
            Value s = o.linear(h, wUp, bUp);
            if (cfg.promptActivation() == IdSpamConfig.PromptActivation.RELU) {
                s = o.relu(s);
            }
            s = o.reshape(s, -1, t, hidden);
            if (training && cfg.promptDropout() > 0) {
                s = o.dropout(s, (float) cfg.promptDropout());
            }
            return new Result(s, List.copyOf(params));
        }
    }

    private static Value selfAttention(GraphBuilder b, IdSpamConfig cfg, ParameterInit init, Value e, Value keyMask,
                                       int hidden, List<String> params) {
        Ops o = b.ops();
        int heads = cfg.heads();
        int dk = hidden / heads;
        Value wq = param(b, init, "idspam.q.w", cfg.initStd(), params, hidden, hidden);
        Value wk = param(b, init, "idspam.k.w", cfg.initStd(), params, hidden, hidden);
        Value wv = param(b, init, "idspam.v.w", cfg.initStd(), params, hidden, hidden);
        Value bq = cfg.qkvBias() ? bias(b, init, "idspam.q.b", params, hidden) : null;
        Value bk = cfg.qkvBias() ? bias(b, init, "idspam.k.b", params, hidden) : null;
        Value bv = cfg.qkvBias() ? bias(b, init, "idspam.v.b", params, hidden) : null;
        Value q = o.mul(o.linear(e, wq, bq), o.scalarLike(e, 1.0 / Math.sqrt(dk)));
        Value k = o.linear(e, wk, bk);
        Value v = o.linear(e, wv, bv);
        // [B, L, n] → [B, H, L, dk]
        Value qh = o.transpose(o.reshape(q, 0, 0, heads, dk), 0, 2, 1, 3);
        Value kt = o.transpose(o.reshape(k, 0, 0, heads, dk), 0, 2, 3, 1);
        Value vh = o.transpose(o.reshape(v, 0, 0, heads, dk), 0, 2, 1, 3);
        Value scores = o.add(o.matmul(qh, kt), keyMask);
        Value probs = o.softmax(scores, -1);
        Value ctx = o.matmul(probs, vh);
        return o.reshape(o.transpose(ctx, 0, 2, 1, 3), 0, 0, hidden);
    }

    private static Value param(GraphBuilder b, ParameterInit init, String name, double std, List<String> params, long... dims) {
        params.add(name);
        return b.parameter(name, init.normal(name, std, dims), true);
    }

    private static Value bias(GraphBuilder b, ParameterInit init, String name, List<String> params, long n) {
        params.add(name);
        return b.parameter(name, init.zeros(n), true);
    }
}
