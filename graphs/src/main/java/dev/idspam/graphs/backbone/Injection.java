package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.List;
import java.util.function.BiFunction;

/**
 * Changes the hidden states entering one layer m, the ID-SPAM and LPT injection point. The encoder
 * calls {@link #inject} once, with X_m: the embedding output for m = 0, else the output of layer
 * m−1. It continues with the returned hidden states and attention mask (and rebuilds the additive
 * mask from that mask, unless the injection returned the mask it was given), so layers 0..m−1 see
 * the input tokens and layers m..N−1 what was returned.
 *
 * <p>A method may inject at several layers ({@link EncoderChanges}): the encoder applies them in
 * layer order, and a later injection sees what the earlier ones made of the sequence (P-Tuning v2
 * prepends at layer 0, then {@link #replacePrompt replaces} those t positions before every later
 * layer).
 */
public interface Injection {

    /** The injection layer m, 0 ≤ m ≤ N−1. */
    int layer();

    /** Returns the hidden states and the attention mask layer m continues with. */
    Result inject(GraphBuilder b, Point at);

    /**
     * What the injection sees. The hidden states and masks describe the sequence entering layer m:
     * the L input tokens at the first injection, T = t + L positions after an earlier one prepended t.
     *
     * @param layer           m
     * @param hidden          X_m [B, T, n] (T = L at the first injection)
     * @param attentionMask   the mask of that sequence [B, T] (int64 or float like the encoder's input, 1 = real token);
     *                        at the first injection the encoder's attention-mask input
     * @param maskFloat       the same mask as float [B, T]
     * @param additiveMask    (1 − mask)·(−10000) as float [B, 1, 1, T]
     * @param wordEmbeddings  the token-embedding lookup Gather(word, input_ids) [B, L, n] (after the
     *                        method's {@link EmbeddingHook}, if it has one)
     * @param embeddingOutput word + position + type embeddings after the embedding LayerNorm [B, L, n]
     */
    record Point(int layer, Value hidden, Value attentionMask, Value maskFloat, Value additiveMask,
                 Value wordEmbeddings, Value embeddingOutput) { }

    /**
     * @param hidden        hidden states for layer m [B, T, n]
     * @param attentionMask their mask [B, T], same element type as the encoder's mask input
     */
    record Result(Value hidden, Value attentionMask) {
        public Result {
            if (hidden == null || attentionMask == null) {
                throw new IllegalArgumentException("an injection must return both hidden states and an attention mask");
            }
        }
    }

    /**
     * Prepends prompt vectors S [B, t, n] (built by {@code prompt} from the injection point) to X_m on
     * the sequence axis, and t ones to the attention mask: concat([S, X_m], 1) and
     * concat([1]·t, mask). After this the first input token sits at index t. On a GPT-2 decoder the t
     * prepended positions form a prefix that every position may attend to, while the real tokens
     * stay causal among themselves ({@link DecoderBuilder}).
     */
    static Injection prepend(int layer, BiFunction<GraphBuilder, Point, Value> prompt) {
        if (layer < 0) {
            throw new IllegalArgumentException("injection layer must be >= 0, got " + layer);
        }
        return withPrompt(layer, prompt, (b, at, s) -> {
            Ops o = b.ops();
            Value hidden = o.concat(1, s, at.hidden());
            DType maskType = at.attentionMask().type();
            Value ones = b.node("ConstantOfShape", "", List.of(o.shape(s, 0, 2)),
                    List.of(Attr.t("value", maskType == DType.INT64 ? TensorData.ofLongs(new long[] {1}, 1)
                            : TensorData.ofFloats(new long[] {1}, 1f))), 1).get(0);
            Value mask = o.concat(1, ones, at.attentionMask());
            return new Result(hidden, mask);
        });
    }

    /** How a prompt S [B, t, n], built at the injection point, changes the hidden states and the mask (used by the factories here). */
    interface PromptUse {
        Result apply(GraphBuilder b, Point at, Value prompt);
    }

    /** An injection at {@code layer} that builds the prompt (checked by {@link #promptAt}) and hands it to {@code use}. */
    private static Injection withPrompt(int layer, BiFunction<GraphBuilder, Point, Value> prompt, PromptUse use) {
        return new Injection() {
            @Override
            public int layer() {
                return layer;
            }

            @Override
            public Result inject(GraphBuilder b, Point at) {
                return use.apply(b, at, promptAt(b, at, prompt, layer));
            }
        };
    }

    /** The prompt S [B, t, n] that {@code prompt} builds at the injection point, checked to be rank 3. */
    private static Value promptAt(GraphBuilder b, Point at, BiFunction<GraphBuilder, Point, Value> prompt, int layer) {
        Value s = prompt.apply(b, at);
        if (s.hasShape() && s.rank() != 3) {
            throw new IllegalArgumentException("prompt for layer " + layer + " must be [B, t, n], got " + s);
        }
        return s;
    }

    /**
     * Replaces the first t positions of X_m [B, T, n] (prompt tokens an earlier injection prepended,
     * as transformed by the layers since) with S [B, t, n] built by {@code prompt}:
     * concat([S, X_m[:, t:, :]], 1). The sequence length and the mask stay as they are.
     */
    static Injection replacePrompt(int layer, int t, BiFunction<GraphBuilder, Point, Value> prompt) {
        if (layer < 1) {
            throw new IllegalArgumentException("a prompt can be replaced from layer 1 up (layer 0 prepends it), got " + layer);
        }
        if (t < 1) {
            throw new IllegalArgumentException("prompt length must be >= 1, got " + t);
        }
        return withPrompt(layer, prompt, (b, at, s) -> {
            Ops o = b.ops();
            // X_m[:, t:, :] — the real tokens' hidden states [B, T − t, n]
            Value rest = o.slice(at.hidden(), new long[] {t}, new long[] {Long.MAX_VALUE}, new long[] {1});
            return new Result(o.concat(1, s, rest), at.attentionMask());
        });
    }
}
