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
 * mask from that mask), so layers 0..m−1 see the input tokens and layers m..N−1 what was returned.
 */
public interface Injection {

    /** The injection layer m, 0 ≤ m ≤ N−1. */
    int layer();

    /** Returns the hidden states and the attention mask layer m continues with. */
    Result inject(GraphBuilder b, Point at);

    /**
     * What the injection sees. All masks describe the L input tokens.
     *
     * @param layer           m
     * @param hidden          X_m [B, L, n]
     * @param attentionMask   the encoder's attention-mask input [B, L] (int64 or float, 1 = real token)
     * @param maskFloat       the same mask as float [B, L]
     * @param additiveMask    (1 − mask)·(−10000) as float [B, 1, 1, L]
     * @param wordEmbeddings  the raw token-embedding lookup Gather(word, input_ids) [B, L, n]
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
        return new Injection() {
            @Override
            public int layer() {
                return layer;
            }

            @Override
            public Result inject(GraphBuilder b, Point at) {
                Ops o = b.ops();
                Value s = prompt.apply(b, at);
                if (s.hasShape() && s.rank() != 3) {
                    throw new IllegalArgumentException("prompt for layer " + layer + " must be [B, t, n], got " + s);
                }
                Value hidden = o.concat(1, s, at.hidden());
                DType maskType = at.attentionMask().type();
                Value ones = b.node("ConstantOfShape", "", List.of(o.shape(s, 0, 2)),
                        List.of(Attr.t("value", maskType == DType.INT64 ? TensorData.ofLongs(new long[] {1}, 1)
                                : TensorData.ofFloats(new long[] {1}, 1f))), 1).get(0);
                Value mask = o.concat(1, ones, at.attentionMask());
                return new Result(hidden, mask);
            }
        };
    }
}
