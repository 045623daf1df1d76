package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds a GPT-2 decoder (gpt2, distilgpt2, gpt2-medium, -large, -xl: one architecture) into a graph.
 * Reached through {@link EncoderBuilder#build}, {@link EncoderBuilder#buildPrefix} and
 * {@link EncoderBuilder#buildFrom}, which pick the builder by {@link BackboneConfig#family()}.
 * <pre>
 *   X_0 = wte[ids] + wpe[0..L−1]                                        [B, L, n]
 *   per block i (pre-LN):
 *     H   = X + (softmax(Q·Kᵀ/√d_h + bias)·V)·Wo + bo,  Q,K,V = LN_1(X)·W + b   (per head)
 *     X'  = H + gelu_tanh(LN_2(H)·Wfc + bfc)·Wproj + bproj
 *   output: LN_f(X_N)                                                  [B, T, n]
 * </pre>
 * {@code bias} [B, 1, T, T] is 0 where query i may see key j and −10000 elsewhere (the value the
 * encoders use for padding; after the softmax both are exactly 0 in float32). Query i sees key j when
 * <pre>
 *   mask_j = 1  and  (j ≤ i  or  j &lt; t)
 * </pre>
 * where t is the number of prompt positions in front of the tokens (0 below the injection layer):
 * the causal rule over the real tokens, with the prompt as a prefix that every position sees
 * (prompt positions see each other both ways and no real token; real tokens see the whole prompt,
 * themselves and earlier real tokens; padding is never seen).
 * <p>
 * Positions: the real tokens keep their positions 0..L−1 whatever is injected, because wpe is added
 * at the embeddings, below every injection layer; prompt vectors get no position embedding, exactly
 * as on the encoders (METHOD.md, Injection). GPT-2 has no token types and no embedding LayerNorm, so
 * the embedding output an injection sees is the plain sum wte + wpe. Dropout (embedding, attention,
 * residual) is left out, as in every graph the project builds of a frozen backbone.
 * <p>
 * The layer values of the {@link Encoder} it returns are the block outputs X_1..X_N; ln_f is applied
 * once, to {@link Encoder#lastHiddenState()} (Hugging Face's {@code last_hidden_state}), and only
 * when all N blocks are built.
 */
public final class DecoderBuilder {
    private DecoderBuilder() {
    }

    /** Blocks from..to−1; from is m when {@code xm} (X_m) is given, else 0. Inputs are checked by the caller. */
    static Encoder build(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                         Value attentionMask, EncoderChanges changes, Value xm, int to) {
        Ops o = b.ops();
        ProjectionHook hook = changes.projections();
        try (GraphBuilder.Scope ignored = b.scope("decoder")) {
            Value word;
            Value embedded;
            try (GraphBuilder.Scope e = b.scope("embeddings")) {
                word = o.gather(weights.get(TensorNames.WORD), inputIds, 0);                     // [B, L, n]
                if (changes.embeddings() != EmbeddingHook.NONE) {
                    word = changes.embeddings().apply(b, inputIds, word);                          // e.g. DEPT's E + A·B
                }
                Value length = o.shape(inputIds, 1, 2);                                            // [1] = L
                Value positions = b.op("Slice", List.of(), weights.get(TensorNames.POSITION), o.longs(0), length,
                        o.longs(0));                                                                 // [L, n]
                embedded = o.add(word, positions);                                                 // [B, L, n]
            }
            Value inputFloats = attentionMask.type() == DType.FLOAT ? attentionMask : o.cast(attentionMask, DType.FLOAT);
            // the key-padding mask [B, 1, 1, L] an injection sees (the generator's own attention is not causal)
            Value inputKeyMask = o.mul(o.sub(o.scalar(1f), o.unsqueeze(inputFloats, 1, 2)),
                    o.scalar(EncoderBuilder.MASKED_SCORE));
            Value mask = attentionMask;
            Value floats = inputFloats;
            Value bias = attentionBias(b, inputFloats, null);
            Value x = xm != null ? xm : embedded;
            int from = xm != null ? changes.firstInjectionLayer() : 0;
            List<Value> layerInputs = new ArrayList<>();
            List<Value> layerOutputs = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Injection injection = changes.at(i);
                if (injection != null) {
                    try (GraphBuilder.Scope s = b.scope("injection")) {
                        // the current mask (the input's, or [prompt; input] once a prompt is in front, which a
                        // later per-layer replacement such as P-Tuning v2's returns unchanged) and the input's
                        // key-padding mask for a generator's own attention
                        Injection.Result r = injection.inject(b, new Injection.Point(i, x, mask, floats,
                                inputKeyMask, word, embedded));
                        if (r.attentionMask().type() != attentionMask.type()) {
                            throw new IllegalArgumentException("injection at layer " + i + " returned a "
                                    + r.attentionMask().type() + " mask; the decoder's mask is " + attentionMask.type());
                        }
                        x = r.hidden();
                        if (r.attentionMask() != mask) {
                            mask = r.attentionMask();
                            floats = mask.type() == DType.FLOAT ? mask : o.cast(mask, DType.FLOAT);
                            // t = T − L positions were put in front of the tokens
                            Value prompt = o.squeeze(o.sub(o.shape(x, 1, 2), o.shape(inputIds, 1, 2)), 0);
                            bias = attentionBias(b, floats, prompt);
                        }
                    }
                }
                layerInputs.add(x);
                try (GraphBuilder.Scope s = b.scope("block" + i)) {
                    x = block(b, config, weights, i, x, bias, hook);
                }
                layerOutputs.add(x);
            }
            Value last = x;
            if (to == config.layers()) {
                try (GraphBuilder.Scope s = b.scope("ln_f")) {
                    last = EncoderBuilder.layerNorm(b, config, x, weights, TensorNames.FINAL_LN_GAMMA,
                            TensorNames.FINAL_LN_BETA);
                }
            }
            return new Encoder(config, word, embedded, layerInputs, layerOutputs, mask, floats, bias, last,
                    changes.firstInjectionLayer(), EncoderBuilder.ALL_TOKENS);
        }
    }

    /**
     * The additive attention bias [B, 1, T, T] from the mask {@code floats} [B, T] (1 = visible key) and
     * the prompt length t (a scalar int64, or null for none):
     * bias[b, 0, i, j] = (1 − visible)·(−10000), visible = mask[b, j]·[j ≤ i or j &lt; t].
     */
    static Value attentionBias(GraphBuilder b, Value floats, Value promptLength) {
        Ops o = b.ops();
        try (GraphBuilder.Scope ignored = b.scope("causal_mask")) {
            Value count = o.squeeze(o.shape(floats, 1, 2), 0);                                   // T (scalar)
            Value index = b.op("Range", List.of(), o.scalarLong(0), count, o.scalarLong(1));    // [T] = 0..T−1
            Value rows = o.unsqueeze(index, 1);                                                   // i: [T, 1]
            Value cols = o.unsqueeze(index, 0);                                                   // j: [1, T]
            Value allowed = b.op("LessOrEqual", List.of(), cols, rows);                          // j ≤ i: [T, T]
            if (promptLength != null) {
                allowed = b.op("Or", List.of(), allowed, b.op("Less", List.of(), cols, promptLength)); // or j < t
            }
            Value visible = o.mul(o.cast(allowed, DType.FLOAT), o.unsqueeze(floats, 1, 2));     // [B, 1, T, T]
            return o.mul(o.sub(o.scalar(1f), visible), o.scalar(EncoderBuilder.MASKED_SCORE));
        }
    }

    /**
     * The hidden state of each row's last real token, where a decoder has seen the whole input:
     * h[b, tokenIndex + j*_b] [B, n] from {@code hidden} [B, T, n] and the input mask m [B, L]
     * (int64 or float, 1 = real token; any padding layout):
     * <pre>
     *   r[b, j]  = m[b, j]·(j + 1)                 [B, L]  (0 on padding, the 1-based position on real tokens)
     *   j*_b + 1 = max_j r[b, j]                   [B, 1]
     *   pick     = m·[r = max_j r]                 [B, L]  one-hot at the last real token
     *   out      = Σ_j pick[b, j]·h[b, tokenIndex + j]
     * </pre>
     * The mask side carries no gradient; the gradient reaches the hidden state through the product.
     */
    public static Value lastRealToken(GraphBuilder b, Value hidden, long tokenIndex, Value inputMask) {
        Ops o = b.ops();
        Value tokens = o.slice(hidden, new long[] {tokenIndex}, new long[] {Long.MAX_VALUE}, new long[] {1}); // [B, L, n]
        Value m = inputMask.type() == DType.FLOAT ? inputMask : o.cast(inputMask, DType.FLOAT);           // [B, L]
        Value length = o.squeeze(o.shape(m, 1, 2), 0);
        Value oneBased = o.cast(b.op("Range", List.of(), o.scalarLong(1), o.add(length, o.scalarLong(1)),
                o.scalarLong(1)), DType.FLOAT);                                                            // [L] = 1..L
        Value r = o.mul(m, oneBased);                                                                      // [B, L]
        Value max = b.op("ReduceMax", List.of(Attr.ints("axes", 1), Attr.i("keepdims", 1)), r);           // [B, 1]
        Value pick = o.mul(o.cast(o.equal(r, max), DType.FLOAT), m);                                       // [B, L]
        return o.reduceSum(o.mul(tokens, o.unsqueeze(pick, 2)), false, 1);
    }

    /** One pre-LN block: X + attention(LN_1(X)), then + MLP(LN_2(·)); X [B, T, n]. */
    private static Value block(GraphBuilder b, BackboneConfig c, Map<String, Value> w, int i, Value x, Value bias,
                               ProjectionHook hook) {
        Ops o = b.ops();
        int heads = c.heads();
        int dh = c.headSize();
        int n = c.hidden();
        Value a = EncoderBuilder.layerNorm(b, c, x, w, TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.ATTN_LN_BETA));                                   // LN_1(X)
        Value q = o.mul(EncoderBuilder.project(b, w, i, Projection.Q, TensorNames.Q_W, TensorNames.Q_B, a, hook),
                o.scalar((float) (1.0 / Math.sqrt(dh))));
        Value k = EncoderBuilder.project(b, w, i, Projection.K, TensorNames.K_W, TensorNames.K_B, a, hook);
        Value v = EncoderBuilder.project(b, w, i, Projection.V, TensorNames.V_W, TensorNames.V_B, a, hook);
        Value qh = o.transpose(o.reshape(q, 0, 0, heads, dh), 0, 2, 1, 3);   // [B, H, T, dh]
        Value kt = o.transpose(o.reshape(k, 0, 0, heads, dh), 0, 2, 3, 1);   // [B, H, dh, T]
        Value vh = o.transpose(o.reshape(v, 0, 0, heads, dh), 0, 2, 1, 3);   // [B, H, T, dh]
        Value probs = o.softmax(o.add(o.matmul(qh, kt), bias), -1);           // [B, H, T, T]
        Value context = o.reshape(o.transpose(o.matmul(probs, vh), 0, 2, 1, 3), 0, 0, n);
        Value attn = EncoderBuilder.project(b, w, i, Projection.OUT, TensorNames.OUT_W, TensorNames.OUT_B, context, hook);
        Value h = o.add(x, attn);                                                                  // H
        Value m = EncoderBuilder.layerNorm(b, c, h, w, TensorNames.layer(i, TensorNames.FFN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.FFN_LN_BETA));                                    // LN_2(H)
        Value inner = EncoderBuilder.activation(b, c,
                EncoderBuilder.project(b, w, i, Projection.FFN_IN, TensorNames.FFN_IN_W, TensorNames.FFN_IN_B, m, hook));
        Value ffn = EncoderBuilder.project(b, w, i, Projection.FFN_OUT, TensorNames.FFN_OUT_W, TensorNames.FFN_OUT_B,
                inner, hook);
        return o.add(h, ffn);
    }
}
