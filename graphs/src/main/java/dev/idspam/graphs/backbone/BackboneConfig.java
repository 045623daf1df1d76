package dev.idspam.graphs.backbone;

/**
 * The architecture of a pretrained backbone (a BERT-family encoder or a GPT-2 decoder): everything
 * needed to build its graph and to check its weights. Values are those of the checkpoint's own
 * configuration (Hugging Face {@code config.json} names in brackets; GPT-2's own names after the slash).
 *
 * @param family         weight layout, position scheme and attention pattern
 * @param layers         transformer layers N [num_hidden_layers / n_layer]
 * @param hidden         hidden size n [hidden_size / n_embd]
 * @param heads          attention heads H; n must be a multiple of H [num_attention_heads / n_head]
 * @param intermediate   feed-forward width [intermediate_size / n_inner, 4n when null]
 * @param vocabSize      rows of the word-embedding table [vocab_size]
 * @param maxPositions   rows of the position-embedding table [max_position_embeddings / n_positions]
 * @param typeVocabSize  rows of the token-type table (2 for BERT, 1 for RoBERTa, 0 for GPT-2, which has
 *                       none) [type_vocab_size]
 * @param layerNormEps   epsilon of every LayerNorm [layer_norm_eps / layer_norm_epsilon]
 * @param activation     feed-forward activation [hidden_act / activation_function]
 * @param positionOffset position id of the first token: 0 for BERT and GPT-2, padding_idx + 1 = 2 for RoBERTa
 * @param padTokenId     id of the padding token [pad_token_id]; GPT-2 has none, and pads with its
 *                       end-of-text token [eos_token_id], which the attention mask hides
 */
public record BackboneConfig(Family family, int layers, int hidden, int heads, int intermediate, int vocabSize,
                             int maxPositions, int typeVocabSize, double layerNormEps, Activation activation,
                             int positionOffset, int padTokenId) {

    /** Backbone families. The weight names, the position scheme and the attention pattern depend on the family. */
    public enum Family {
        /** BERT and its distillations (MiniLM, bge): positions 0..L-1, token types. */
        BERT,
        /** RoBERTa: positions counted from padding_idx + 1 over non-padding tokens, one token type. */
        ROBERTA,
        /**
         * GPT-2 (gpt2, distilgpt2, gpt2-medium/-large/-xl): a decoder with pre-LN blocks, a final
         * LayerNorm, learned positions 0..L-1, no token types and causal attention ({@link DecoderBuilder}).
         */
        GPT2;

        /** True for families whose attention is causal (each token sees only itself and earlier tokens). */
        public boolean isDecoder() {
            return this == GPT2;
        }
    }

    /** Feed-forward activations. */
    public enum Activation {
        /** Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
        GELU,
        /**
         * The tanh approximation of GELU, 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))): GPT-2's
         * {@code gelu_new} (also called {@code gelu_pytorch_tanh}).
         */
        GELU_TANH
    }

    public BackboneConfig {
        if (family == null) {
            throw new IllegalArgumentException("backbone config: family is missing (one of BERT, ROBERTA, GPT2)");
        }
        if (activation == null) {
            throw new IllegalArgumentException("backbone config: activation is missing (GELU or GELU_TANH)");
        }
        positive("layers", layers);
        positive("hidden", hidden);
        positive("heads", heads);
        positive("intermediate", intermediate);
        positive("vocabSize", vocabSize);
        positive("maxPositions", maxPositions);
        if (family == Family.GPT2) {
            if (typeVocabSize != 0) {
                throw new IllegalArgumentException("backbone config: a GPT-2 backbone has no token-type table, so"
                        + " typeVocabSize must be 0, got " + typeVocabSize);
            }
            if (positionOffset != 0) {
                throw new IllegalArgumentException("backbone config: a GPT-2 backbone counts positions from 0, so"
                        + " positionOffset must be 0, got " + positionOffset);
            }
        } else {
            positive("typeVocabSize", typeVocabSize);
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("backbone config: hidden " + hidden + " is not a multiple of heads "
                    + heads + " (head size would be " + (double) hidden / heads + ")");
        }
        if (!(layerNormEps > 0 && layerNormEps < 1)) {
            throw new IllegalArgumentException("backbone config: layerNormEps must be in (0, 1), got " + layerNormEps);
        }
        if (positionOffset < 0 || positionOffset >= maxPositions) {
            throw new IllegalArgumentException("backbone config: positionOffset " + positionOffset
                    + " must be in [0, maxPositions = " + maxPositions + ")");
        }
        if (padTokenId < 0 || padTokenId >= vocabSize) {
            throw new IllegalArgumentException("backbone config: padTokenId " + padTokenId
                    + " must be a token id in [0, vocabSize = " + vocabSize + ")");
        }
        if (family == Family.ROBERTA && positionOffset != padTokenId + 1) {
            throw new IllegalArgumentException("backbone config: a RoBERTa backbone counts positions from padding_idx + 1,"
                    + " so positionOffset must be padTokenId + 1 = " + (padTokenId + 1) + ", got " + positionOffset);
        }
    }

    private static void positive(String what, int v) {
        if (v <= 0) {
            throw new IllegalArgumentException("backbone config: " + what + " must be positive, got " + v);
        }
    }

    /** A BERT-family config with the usual defaults: exact GELU, positions from 0, padding id 0. */
    public static BackboneConfig bert(int layers, int hidden, int heads, int intermediate, int vocabSize,
                                      int maxPositions, int typeVocabSize, double layerNormEps) {
        return new BackboneConfig(Family.BERT, layers, hidden, heads, intermediate, vocabSize, maxPositions,
                typeVocabSize, layerNormEps, Activation.GELU, 0, 0);
    }

    /**
     * A GPT-2 config: no token types, positions from 0, {@code activation} as the checkpoint says
     * (GELU_TANH for every released GPT-2), padding with {@code eosTokenId}.
     */
    public static BackboneConfig gpt2(int layers, int hidden, int heads, int intermediate, int vocabSize,
                                      int maxPositions, double layerNormEps, Activation activation, int eosTokenId) {
        return new BackboneConfig(Family.GPT2, layers, hidden, heads, intermediate, vocabSize, maxPositions, 0,
                layerNormEps, activation, 0, eosTokenId);
    }

    /** Head size d_h = n / H. */
    public int headSize() {
        return hidden / heads;
    }

    /** The longest input (real tokens plus prompt tokens) the position table can serve. */
    public int maxSequenceLength() {
        return maxPositions - positionOffset;
    }

    /**
     * Weights of the embeddings and the N layers (the backbone the graph builder uses); the optional
     * pooler and masked-LM head are not counted. For GPT-2: wte, wpe, the blocks and ln_f
     * (124,439,808 for gpt2); its language-model head is wte again and adds nothing.
     */
    public long parameterCount() {
        long n = hidden;
        long tables = (long) vocabSize * n + (long) maxPositions * n + (long) typeVocabSize * n;
        long attention = 4 * (n * n + n) + 2 * n;
        long ffn = n * intermediate + intermediate + (long) intermediate * n + n + 2 * n;
        // encoders: LayerNorm after the embeddings; GPT-2: LayerNorm after the last block (ln_f)
        return tables + 2 * n + layers * (attention + ffn);
    }
}
