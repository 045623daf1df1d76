package dev.idspam.graphs.backbone;

/**
 * The architecture of a pretrained encoder backbone: everything needed to build its graph and to
 * check its weights. Values are those of the checkpoint's own configuration (Hugging Face
 * {@code config.json} names in brackets).
 *
 * @param family         weight layout and position scheme
 * @param layers         transformer layers N [num_hidden_layers]
 * @param hidden         hidden size n [hidden_size]
 * @param heads          attention heads H; n must be a multiple of H [num_attention_heads]
 * @param intermediate   feed-forward width [intermediate_size]
 * @param vocabSize      rows of the word-embedding table [vocab_size]
 * @param maxPositions   rows of the position-embedding table [max_position_embeddings]
 * @param typeVocabSize  rows of the token-type table (2 for BERT, 1 for RoBERTa) [type_vocab_size]
 * @param layerNormEps   epsilon of every LayerNorm [layer_norm_eps]
 * @param activation     feed-forward activation [hidden_act]
 * @param positionOffset position id of the first token: 0 for BERT, padding_idx + 1 = 2 for RoBERTa
 * @param padTokenId     id of the padding token [pad_token_id]
 */
public record BackboneConfig(Family family, int layers, int hidden, int heads, int intermediate, int vocabSize,
                             int maxPositions, int typeVocabSize, double layerNormEps, Activation activation,
                             int positionOffset, int padTokenId) {

    /** Backbone families. The weight names and the position scheme depend on the family. */
    public enum Family {
        /** BERT and its distillations (MiniLM, bge): positions 0..L-1, token types. */
        BERT,
        /** RoBERTa: positions counted from padding_idx + 1 over non-padding tokens, one token type. */
        ROBERTA,
        /** Reserved for decoder-only backbones; no builder exists yet. */
        GPT2
    }

    /** Feed-forward activations. */
    public enum Activation {
        /** Exact GELU, x·Φ(x) = 0.5·x·(1 + erf(x/√2)). */
        GELU
    }

    public BackboneConfig {
        if (family == null) {
            throw new IllegalArgumentException("backbone config: family is missing (one of BERT, ROBERTA)");
        }
        if (activation == null) {
            throw new IllegalArgumentException("backbone config: activation is missing (GELU)");
        }
        positive("layers", layers);
        positive("hidden", hidden);
        positive("heads", heads);
        positive("intermediate", intermediate);
        positive("vocabSize", vocabSize);
        positive("maxPositions", maxPositions);
        positive("typeVocabSize", typeVocabSize);
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

    /** Head size d_h = n / H. */
    public int headSize() {
        return hidden / heads;
    }

    /** The longest input (real tokens plus prompt tokens) the position table can serve. */
    public int maxSequenceLength() {
        return maxPositions - positionOffset;
    }

    /**
     * Weights of the embeddings and the N layers (the encoder the graph builder uses); the optional
     * pooler and masked-LM head are not counted.
     */
    public long parameterCount() {
        long n = hidden;
        long embeddings = (long) vocabSize * n + (long) maxPositions * n + (long) typeVocabSize * n + 2 * n;
        long attention = 4 * (n * n + n) + 2 * n;
        long ffn = n * intermediate + intermediate + (long) intermediate * n + n + 2 * n;
        return embeddings + layers * (attention + ffn);
    }
}
