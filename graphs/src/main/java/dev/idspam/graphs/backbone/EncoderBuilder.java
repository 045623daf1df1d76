package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a BERT-family post-LN encoder (BERT, RoBERTa, MiniLM, bge) into a graph; for a GPT-2
 * config every entry point here builds the decoder instead ({@link DecoderBuilder}), so methods and
 * the task model reach both through this one class.
 * <pre>
 *   X_0   = LN(word[ids] + type[types] + pos[positions])
 *   per layer:  A = softmax((X·Wq+bq)/√d_h · (X·Wk+bk)ᵀ + mask)·(X·Wv+bv)   (per head)
 *               Y = LN(X + A·Wo + bo);  X' = LN(Y + GELU(Y·Wi + bi)·Wf + bf)
 * </pre>
 * The weights come in as values (canonical name → value), so the caller decides whether they are
 * frozen parameters, trainable parameters or constants ({@link #bindWeights}). Batch and sequence
 * length stay symbolic; hidden size and head count are static, so every Reshape uses a constant
 * target ([0, 0, H, d_h] and [0, 0, n]). Q is scaled by 1/√d_h before Q·Kᵀ, on [B, L, n] instead of
 * [B, H, L, L]. The mask is additive, (1 − mask)·(−10000) shaped [B, 1, 1, T], built once (and once
 * more after an injection).
 * <p>
 * Prompt injection at layer m ({@code 0} = after the embedding LayerNorm):
 * <pre>{@code
 * Encoder enc = EncoderBuilder.build(b, config, weights, ids, mask, types,
 *         Injection.prepend(m, (gb, at) -> promptFrom(gb, at.wordEmbeddings(), at.maskFloat(), at.additiveMask())));
 * }</pre>
 * Layers m..N−1 then see [S; X_m] with the mask [1…1, mask]; {@link Encoder#attentionMask()} and
 * {@link Encoder#additiveMask()} are the extended ones. A method may change more than one place
 * ({@link EncoderChanges}): the token-embedding lookup ({@link EmbeddingHook}, DEPT), the input of
 * several layers (P-Tuning v2) and the dense projections ({@link ProjectionHook}, LoRA).
 * <p>
 * <b>One read token.</b> A task head that reads one position r of the last layer (the [CLS] row, at
 * r = t after a prepended prompt) needs no other row of that layer's output, so
 * {@link #buildWith(GraphBuilder, BackboneConfig, Map, Value, Value, Value, EncoderChanges, long)} can
 * build the last layer for r alone:
 * <pre>
 *   x_r = X[:, r:r+1, :]                          [B, 1, n]
 *   A   = softmax(x_r·Wq·(X·Wk)ᵀ/√d_h + mask)·(X·Wv)   [B, H, 1, T] weights over all T keys
 *   Y   = LN(x_r + A·Wo + bo);  X' = LN(Y + GELU(Y·Wi + bi)·Wf + bf)    [B, 1, n]
 * </pre>
 * Every row of a post-LN layer depends on the other rows only through K and V, so this is the same
 * function as building the whole layer and reading row r: the queries, the output projection, both
 * LayerNorms and the feed-forward block run on one row instead of T (on MiniLM about 5/6 of the last
 * layer's arithmetic, forward and backward).
 */
public final class EncoderBuilder {
    /** The additive-mask value of padded keys, as in BERT. */
    public static final float MASKED_SCORE = -10000f;
    /** The read-token argument that builds every row of the last layer. */
    public static final long ALL_TOKENS = -1;

    private EncoderBuilder() {
    }

    /** How {@link #bindWeights} puts checkpoint tensors into a graph. */
    public enum WeightBinding {
        /** Graph inputs backed by the checkpoint, no gradient (ORT's frozen_params). */
        FROZEN,
        /** Graph inputs backed by the checkpoint, trained. */
        TRAINABLE,
        /** Initializers inside the model (inference graphs). */
        CONSTANT
    }

    /** Builds the encoder without projection hooks. */
    public static Encoder build(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                Value attentionMask, Value tokenTypeIds, Injection injection) {
        return build(b, config, weights, inputIds, attentionMask, tokenTypeIds, injection, ProjectionHook.NONE);
    }

    /**
     * Builds the encoder with one injection (or none) and a projection hook.
     *
     * @param injection     changes the input of one layer, or null
     * @param hook          rewrites dense projections ({@link ProjectionHook#NONE} for none)
     */
    public static Encoder build(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                Value attentionMask, Value tokenTypeIds, Injection injection, ProjectionHook hook) {
        return buildWith(b, config, weights, inputIds, attentionMask, tokenTypeIds, EncoderChanges.of(injection, hook));
    }

    /**
     * Builds the encoder with a method's changes.
     *
     * @param weights       canonical name ({@link TensorNames}) → value, for every encoder tensor
     * @param inputIds      int64 [B, L]
     * @param attentionMask int64 or float [B, L], 1 = real token
     * @param tokenTypeIds  int64 [B, L], or null for type 0 everywhere
     * @param changes       what the method changes ({@link EncoderChanges#NONE} for the frozen backbone)
     */
    public static Encoder buildWith(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, EncoderChanges changes) {
        return buildWith(b, config, weights, inputIds, attentionMask, tokenTypeIds, changes, ALL_TOKENS);
    }

    /**
     * As {@link #buildWith(GraphBuilder, BackboneConfig, Map, Value, Value, Value, EncoderChanges)}, with
     * the last layer built for position {@code readToken} of its input alone (see the class comment;
     * {@link #ALL_TOKENS} for every row): {@link Encoder#lastHiddenState()} is then [B, 1, n], the row
     * the whole encoder would have at {@code readToken}. Encoders only: a decoder's head reads the last
     * real token, whose position differs per row.
     */
    public static Encoder buildWith(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, EncoderChanges changes, long readToken) {
        return build(b, config, weights, inputIds, attentionMask, tokenTypeIds, changes, null, config.layers(), readToken);
    }

    /**
     * Builds only the frozen prefix below layer m: the embeddings and layers 0..m−1, and returns
     * X_m, the hidden states entering layer m {@code [B, L, n]} (for m = 0 the embedding output).
     * With the same weights and tokens this is the value {@link #buildFrom} takes as {@code xm}.
     */
    public static Value buildPrefix(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, int m) {
        if (m < 0 || m > config.layers()) {
            throw new IllegalArgumentException("prefix layer count must be in 0.." + config.layers() + ", got " + m);
        }
        Encoder e = build(b, config, weights, inputIds, attentionMask, tokenTypeIds, EncoderChanges.NONE, null, m, ALL_TOKENS);
        return m == 0 ? e.embeddingOutput() : e.layerOutputs().get(m - 1);
    }

    /** {@link #buildFrom(GraphBuilder, BackboneConfig, Map, Value, Value, Value, EncoderChanges, Value)} with one injection. */
    public static Encoder buildFrom(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, Injection injection, Value xm) {
        if (injection == null) {
            throw new IllegalArgumentException("building from layer m needs the injection and the hidden states X_m");
        }
        return buildFrom(b, config, weights, inputIds, attentionMask, tokenTypeIds,
                EncoderChanges.of(injection, ProjectionHook.NONE), xm);
    }

    /**
     * Builds the encoder from layer m = the first injection's layer up, taking X_m (the hidden states
     * entering layer m, computed earlier by {@link #buildPrefix}) as the value {@code xm}
     * {@code [B, L, n]} instead of running layers 0..m−1. The embeddings are still built (cheap: a
     * gather, two adds and a LayerNorm), since the injection may read the word embeddings or the
     * embedding output. Everything from layer m up is built exactly as by {@link #build}, so the
     * logits equal those of the whole encoder on the same tokens; {@link Encoder#layerInputs()} and
     * {@link Encoder#layerOutputs()} then list layers m..N−1 only. The changes may not touch anything
     * below m (no embedding or projection hook).
     */
    public static Encoder buildFrom(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, EncoderChanges changes, Value xm) {
        return buildFrom(b, config, weights, inputIds, attentionMask, tokenTypeIds, changes, xm, ALL_TOKENS);
    }

    /** As {@link #buildFrom(GraphBuilder, BackboneConfig, Map, Value, Value, Value, EncoderChanges, Value)}, the last layer for {@code readToken} alone. */
    public static Encoder buildFrom(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                    Value attentionMask, Value tokenTypeIds, EncoderChanges changes, Value xm,
                                    long readToken) {
        if (changes == null || changes.injections().isEmpty() || xm == null) {
            throw new IllegalArgumentException("building from layer m needs the injection and the hidden states X_m");
        }
        if (!changes.leavesBelowUnchanged(changes.firstInjectionLayer())) {
            throw new IllegalArgumentException("building from layer " + changes.firstInjectionLayer() + " needs a method that"
                    + " changes nothing below it; this one hooks the embeddings or the projections");
        }
        return build(b, config, weights, inputIds, attentionMask, tokenTypeIds, changes, xm, config.layers(), readToken);
    }

    /**
     * The encoder's layers {@code from}..{@code to}−1, where {@code from} is the first injection's
     * layer m when {@code xm} is given (layers below it skipped, X_m = {@code xm}) and 0 otherwise.
     */
    private static Encoder build(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value inputIds,
                                 Value attentionMask, Value tokenTypeIds, EncoderChanges changes, Value xm, int to,
                                 long readToken) {
        checkInputs(config, weights, inputIds, attentionMask, tokenTypeIds, changes);
        ProjectionHook h = changes.projections();
        if (readToken != ALL_TOKENS && (readToken < 0 || config.family().isDecoder())) {
            throw new IllegalArgumentException("one read token needs an encoder and a position ≥ 0; got position "
                    + readToken + " on a " + config.family() + " backbone");
        }
        if (config.family() == BackboneConfig.Family.GPT2) {
            return DecoderBuilder.build(b, config, weights, inputIds, attentionMask, changes, xm, to);
        }
        Ops o = b.ops();
        try (GraphBuilder.Scope ignored = b.scope("encoder")) {
            Masks input = masks(b, attentionMask);
            Value word;
            Value embedded;
            try (GraphBuilder.Scope e = b.scope("embeddings")) {
                word = o.gather(weights.get(TensorNames.WORD), inputIds, 0);
                if (changes.embeddings() != EmbeddingHook.NONE) {
                    word = changes.embeddings().apply(b, inputIds, word);
                    if (word == null) {
                        throw new IllegalStateException("embedding hook returned null");
                    }
                }
                Value type = tokenTypeIds == null
                        ? o.gather(weights.get(TensorNames.TOKEN_TYPE), o.scalarLong(0), 0)
                        : o.gather(weights.get(TensorNames.TOKEN_TYPE), tokenTypeIds, 0);
                Value sum = o.add(o.add(word, type), positions(b, config, weights.get(TensorNames.POSITION), inputIds));
                embedded = layerNorm(b, config, sum, weights, TensorNames.EMB_LN_GAMMA, TensorNames.EMB_LN_BETA);
            }
            Masks current = input;
            Value x = xm != null ? xm : embedded;
            int from = xm != null ? changes.firstInjectionLayer() : 0;
            List<Value> layerInputs = new ArrayList<>();
            List<Value> layerOutputs = new ArrayList<>();
            for (int i = from; i < to; i++) {
                Injection injection = changes.at(i);
                if (injection != null) {
                    try (GraphBuilder.Scope s = b.scope("injection")) {
                        Injection.Result r = injection.inject(b, new Injection.Point(i, x, current.mask,
                                current.floats, current.additive, word, embedded));
                        if (r.attentionMask().type() != attentionMask.type()) {
                            throw new IllegalArgumentException("injection at layer " + i + " returned a "
                                    + r.attentionMask().type() + " mask; the encoder's mask is " + attentionMask.type());
                        }
                        x = r.hidden();
                        if (r.attentionMask() != current.mask) {
                            current = masks(b, r.attentionMask());
                        }
                    }
                }
                layerInputs.add(x);
                try (GraphBuilder.Scope s = b.scope("layer" + i)) {
                    x = layer(b, config, weights, i, x, current.additive, h,
                            i == config.layers() - 1 ? readToken : ALL_TOKENS);
                }
                layerOutputs.add(x);
            }
            return new Encoder(config, word, embedded, layerInputs, layerOutputs, current.mask, current.floats,
                    current.additive, x, changes.firstInjectionLayer(), to == config.layers() ? readToken : ALL_TOKENS);
        }
    }

    private record Masks(Value mask, Value floats, Value additive) { }

    /** float mask [B, L] and (1 − mask)·(−10000) [B, 1, 1, L]. */
    private static Masks masks(GraphBuilder b, Value mask) {
        Ops o = b.ops();
        Value f = mask.type() == DType.FLOAT ? mask : o.cast(mask, DType.FLOAT);
        Value additive = o.mul(o.sub(o.scalar(1f), o.unsqueeze(f, 1, 2)), o.scalar(MASKED_SCORE));
        return new Masks(mask, f, additive);
    }

    /** Position embeddings: [L, n] rows offset..offset+L−1 (BERT), or [B, L, n] gathered at RoBERTa's ids. */
    private static Value positions(GraphBuilder b, BackboneConfig c, Value table, Value ids) {
        Ops o = b.ops();
        if (c.family() == BackboneConfig.Family.ROBERTA) {
            // HF create_position_ids_from_input_ids: cumsum(ids != pad)·(ids != pad) + pad
            Value pad = o.scalarLong(c.padTokenId());
            Value real = o.cast(b.op("Not", List.of(), o.equal(ids, pad)), DType.INT64);
            Value counted = b.op("CumSum", List.of(), real, o.scalarLong(1));
            return o.gather(table, o.add(o.mul(counted, real), pad), 0);
        }
        Value length = o.shape(ids, 1, 2);
        Value end = c.positionOffset() == 0 ? length : o.add(length, o.longs(c.positionOffset()));
        return b.op("Slice", List.of(), table, o.longs(c.positionOffset()), end, o.longs(0));
    }

    /** Layer i on X [B, T, n]; for {@code read} ≥ 0 only row {@code read} of its output, [B, 1, n] (queries from that row). */
    private static Value layer(GraphBuilder b, BackboneConfig c, Map<String, Value> w, int i, Value x, Value mask,
                               ProjectionHook hook, long read) {
        Ops o = b.ops();
        int heads = c.heads();
        int dh = c.headSize();
        int n = c.hidden();
        // the rows that become outputs: all of X, or row `read` alone (keys and values still come from all of X)
        Value rows = read == ALL_TOKENS ? x : o.slice(x, new long[] {read}, new long[] {read + 1}, new long[] {1});
        Value q = o.mul(project(b, w, i, Projection.Q, TensorNames.Q_W, TensorNames.Q_B, rows, hook),
                o.scalar((float) (1.0 / Math.sqrt(dh))));
        Value k = project(b, w, i, Projection.K, TensorNames.K_W, TensorNames.K_B, x, hook);
        Value v = project(b, w, i, Projection.V, TensorNames.V_W, TensorNames.V_B, x, hook);
        Value qh = o.transpose(o.reshape(q, 0, 0, heads, dh), 0, 2, 1, 3);   // [B, H, T, dh] (T = 1 for one row)
        Value kt = o.transpose(o.reshape(k, 0, 0, heads, dh), 0, 2, 3, 1);   // [B, H, dh, T]
        Value vh = o.transpose(o.reshape(v, 0, 0, heads, dh), 0, 2, 1, 3);   // [B, H, T, dh]
        Value probs = o.softmax(o.add(o.matmul(qh, kt), mask), -1);
        Value context = o.reshape(o.transpose(o.matmul(probs, vh), 0, 2, 1, 3), 0, 0, n);
        Value attn = project(b, w, i, Projection.OUT, TensorNames.OUT_W, TensorNames.OUT_B, context, hook);
        Value y = layerNorm(b, c, o.add(attn, rows), w, TensorNames.layer(i, TensorNames.ATTN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.ATTN_LN_BETA));
        Value inner = activation(b, c, project(b, w, i, Projection.FFN_IN, TensorNames.FFN_IN_W, TensorNames.FFN_IN_B, y, hook));
        Value ffn = project(b, w, i, Projection.FFN_OUT, TensorNames.FFN_OUT_W, TensorNames.FFN_OUT_B, inner, hook);
        return layerNorm(b, c, o.add(ffn, y), w, TensorNames.layer(i, TensorNames.FFN_LN_GAMMA),
                TensorNames.layer(i, TensorNames.FFN_LN_BETA));
    }

    /** x·W + b of layer i's projection p, passed through the hook. */
    static Value project(GraphBuilder b, Map<String, Value> w, int i, Projection p, String wSuffix,
                                 String bSuffix, Value x, ProjectionHook hook) {
        Ops o = b.ops();
        Value y = o.add(o.matmul(x, w.get(TensorNames.layer(i, wSuffix))), w.get(TensorNames.layer(i, bSuffix)));
        Value out = hook.apply(b, i, p, x, y);
        if (out == null) {
            throw new IllegalStateException("projection hook returned null for layer " + i + " " + p.shortName());
        }
        return out;
    }

    static Value layerNorm(GraphBuilder b, BackboneConfig c, Value x, Map<String, Value> w, String gamma, String beta) {
        return b.ops().layerNorm(x, w.get(gamma), w.get(beta), (float) c.layerNormEps());
    }

    /** The config's feed-forward activation, elementwise. */
    static Value activation(GraphBuilder b, BackboneConfig c, Value x) {
        return switch (c.activation()) {
            case GELU -> gelu(b, x);
            case GELU_TANH -> geluTanh(b, x);
        };
    }

    /**
     * GELU's tanh approximation (GPT-2's gelu_new):
     * 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), x³ as x·x·x.
     */
    static Value geluTanh(GraphBuilder b, Value x) {
        Ops o = b.ops();
        Value cube = o.mul(o.mul(x, x), x);
        Value inner = o.mul(o.add(x, o.mul(cube, o.scalar(0.044715f))), o.scalar((float) Math.sqrt(2 / Math.PI)));
        return o.mul(o.mul(x, o.add(o.tanh(inner), o.scalar(1f))), o.scalar(0.5f));
    }

    /** Exact GELU as x·(1 + erf(x/√2))·0.5, the form ONNX Runtime fuses into (Bias)Gelu. */
    static Value gelu(GraphBuilder b, Value x) {
        Ops o = b.ops();
        Value erf = o.erf(o.div(x, o.scalar((float) Math.sqrt(2.0))));
        return o.mul(o.mul(x, o.add(erf, o.scalar(1f))), o.scalar(0.5f));
    }

    /** Binds the encoder's tensors (not the pooler or the masked-LM head) under {@code prefix + name}. */
    public static Map<String, Value> bindWeights(GraphBuilder b, BackboneWeights weights, WeightBinding how, String prefix) {
        return bindWeights(b, weights, weights.encoderNames(), how, prefix);
    }

    /** Binds the named tensors under {@code prefix + name}; returns canonical name → value. */
    public static Map<String, Value> bindWeights(GraphBuilder b, BackboneWeights weights, Collection<String> names,
                                                 WeightBinding how, String prefix) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (String name : names) {
            TensorData t = weights.get(name);
            String graphName = prefix + name;
            out.put(name, switch (how) {
                case FROZEN -> b.parameter(graphName, t, false);
                case TRAINABLE -> b.parameter(graphName, t, true);
                case CONSTANT -> b.namedConstant(graphName, t);
            });
        }
        return out;
    }

    private static void checkInputs(BackboneConfig c, Map<String, Value> weights, Value ids, Value mask, Value types,
                                    EncoderChanges changes) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, long[]> e : TensorNames.encoderShapes(c).entrySet()) {
            Value v = weights.get(e.getKey());
            if (v == null) {
                problems.add("no value for weight '" + e.getKey() + "'");
            } else if (v.type() != DType.FLOAT) {
                problems.add("weight '" + e.getKey() + "' is " + v.type() + ", expected FLOAT");
            } else if (v.hasShape() && v.shape().isFullyKnown() && !Arrays.equals(v.shape().sizes(), e.getValue())) {
                problems.add("weight '" + e.getKey() + "' has shape " + v.shape() + ", expected " + Arrays.toString(e.getValue()));
            }
        }
        if (ids == null || ids.type() != DType.INT64 || (ids.hasShape() && ids.rank() != 2)) {
            problems.add("input_ids must be int64 [B, L], got " + ids);
        }
        if (mask == null || !(mask.type() == DType.INT64 || mask.type() == DType.FLOAT) || (mask.hasShape() && mask.rank() != 2)) {
            problems.add("attention mask must be int64 or float [B, L], got " + mask);
        }
        if (types != null && c.family() == BackboneConfig.Family.GPT2) {
            problems.add("a GPT-2 backbone has no token types: pass no token_type_ids (null), got " + types);
        } else if (types != null && (types.type() != DType.INT64 || (types.hasShape() && types.rank() != 2))) {
            problems.add("token_type_ids must be int64 [B, L] or null, got " + types);
        }
        for (Injection injection : changes.injections()) {
            if (injection.layer() < 0 || injection.layer() >= c.layers()) {
                problems.add("injection layer " + injection.layer() + " is outside 0.." + (c.layers() - 1));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("cannot build the " + BackboneWeights.describe(c)
                    + (c.family().isDecoder() ? " decoder" : " encoder") + ":\n  "
                    + String.join("\n  ", problems));
        }
    }
}
