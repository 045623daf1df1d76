package dev.idspam.graphs.backbone;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Canonical tensor names of a backbone, independent of the checkpoint format. Matrices are stored
 * [in, out], so a projection is {@code x·W + b}. Every importer maps its format's names to these.
 * <p>
 * GPT-2 uses the same names: its fused {@code c_attn} [n, 3n] is split into Q, K and V (columns
 * 0..n−1, n..2n−1, 2n..3n−1), {@code ln_1} (before attention) is {@link #ATTN_LN_GAMMA}, {@code ln_2}
 * (before the MLP) is {@link #FFN_LN_GAMMA}, and {@code ln_f} is {@link #FINAL_LN_GAMMA}. It has no
 * token-type table and no embedding LayerNorm.
 */
public final class TensorNames {
    public static final String WORD = "embeddings.word";
    public static final String POSITION = "embeddings.position";
    public static final String TOKEN_TYPE = "embeddings.token_type";
    public static final String EMB_LN_GAMMA = "embeddings.ln.gamma";
    public static final String EMB_LN_BETA = "embeddings.ln.beta";

    /** Per-layer suffixes, see {@link #layer(int, String)}. */
    public static final String Q_W = "attn.q.w";
    public static final String Q_B = "attn.q.b";
    public static final String K_W = "attn.k.w";
    public static final String K_B = "attn.k.b";
    public static final String V_W = "attn.v.w";
    public static final String V_B = "attn.v.b";
    public static final String OUT_W = "attn.out.w";
    public static final String OUT_B = "attn.out.b";
    public static final String ATTN_LN_GAMMA = "attn_ln.gamma";
    public static final String ATTN_LN_BETA = "attn_ln.beta";
    public static final String FFN_IN_W = "ffn.in.w";
    public static final String FFN_IN_B = "ffn.in.b";
    public static final String FFN_OUT_W = "ffn.out.w";
    public static final String FFN_OUT_B = "ffn.out.b";
    public static final String FFN_LN_GAMMA = "ffn_ln.gamma";
    public static final String FFN_LN_BETA = "ffn_ln.beta";

    /** The LayerNorm after the last block of a pre-LN decoder (GPT-2's ln_f). */
    public static final String FINAL_LN_GAMMA = "final_ln.gamma";
    public static final String FINAL_LN_BETA = "final_ln.beta";

    /** Pooler: dense(n→n) + tanh over the first token (BERT's next-sentence head input). */
    public static final String POOLER_W = "pooler.w";
    public static final String POOLER_B = "pooler.b";

    /** Masked-LM head: dense(n→n) + GELU + LayerNorm, then the decoder and a bias over the vocabulary. */
    public static final String MLM_DENSE_W = "mlm.dense.w";
    public static final String MLM_DENSE_B = "mlm.dense.b";
    public static final String MLM_LN_GAMMA = "mlm.ln.gamma";
    public static final String MLM_LN_BETA = "mlm.ln.beta";
    public static final String MLM_BIAS = "mlm.bias";
    /** Optional untied decoder [n, V]; when absent the decoder is the word-embedding table (tied). */
    public static final String MLM_DECODER_W = "mlm.decoder.w";

    private TensorNames() {
    }

    /** {@code layer.<i>.<suffix>}, for example {@code layer.3.attn.q.w}. */
    public static String layer(int i, String suffix) {
        return "layer." + i + "." + suffix;
    }

    /**
     * Names and shapes of the tensors the backbone graph reads (encoder or decoder), in a fixed
     * order: embeddings, layers, then GPT-2's final LayerNorm.
     */
    public static Map<String, long[]> encoderShapes(BackboneConfig c) {
        long n = c.hidden();
        long f = c.intermediate();
        boolean decoder = c.family() == BackboneConfig.Family.GPT2;
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put(WORD, new long[] {c.vocabSize(), n});
        out.put(POSITION, new long[] {c.maxPositions(), n});
        if (!decoder) {
            out.put(TOKEN_TYPE, new long[] {c.typeVocabSize(), n});
            out.put(EMB_LN_GAMMA, new long[] {n});
            out.put(EMB_LN_BETA, new long[] {n});
        }
        for (int i = 0; i < c.layers(); i++) {
            for (String p : new String[] {"attn.q", "attn.k", "attn.v", "attn.out"}) {
                out.put(layer(i, p + ".w"), new long[] {n, n});
                out.put(layer(i, p + ".b"), new long[] {n});
            }
            out.put(layer(i, ATTN_LN_GAMMA), new long[] {n});
            out.put(layer(i, ATTN_LN_BETA), new long[] {n});
            out.put(layer(i, FFN_IN_W), new long[] {n, f});
            out.put(layer(i, FFN_IN_B), new long[] {f});
            out.put(layer(i, FFN_OUT_W), new long[] {f, n});
            out.put(layer(i, FFN_OUT_B), new long[] {n});
            out.put(layer(i, FFN_LN_GAMMA), new long[] {n});
            out.put(layer(i, FFN_LN_BETA), new long[] {n});
        }
        if (decoder) {
            out.put(FINAL_LN_GAMMA, new long[] {n});
            out.put(FINAL_LN_BETA, new long[] {n});
        }
        return out;
    }

    /** The pooler's tensors. */
    public static Map<String, long[]> poolerShapes(BackboneConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put(POOLER_W, new long[] {c.hidden(), c.hidden()});
        out.put(POOLER_B, new long[] {c.hidden()});
        return out;
    }

    /** The masked-LM head's required tensors (the decoder is tied unless {@link #MLM_DECODER_W} is present). */
    public static Map<String, long[]> mlmShapes(BackboneConfig c) {
        Map<String, long[]> out = new LinkedHashMap<>();
        out.put(MLM_DENSE_W, new long[] {c.hidden(), c.hidden()});
        out.put(MLM_DENSE_B, new long[] {c.hidden()});
        out.put(MLM_LN_GAMMA, new long[] {c.hidden()});
        out.put(MLM_LN_BETA, new long[] {c.hidden()});
        out.put(MLM_BIAS, new long[] {c.vocabSize()});
        return out;
    }

    /** Shape of the optional untied MLM decoder. */
    public static long[] mlmDecoderShape(BackboneConfig c) {
        return new long[] {c.hidden(), c.vocabSize()};
    }
}
