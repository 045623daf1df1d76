package dev.idspam.eval.report.params;

import java.util.List;

/**
 * A size sheet for the analytic parameter tables: the sizes of a published transformer backbone
 * that decide its parameter count, and the count itself. It is not an architecture: the one
 * architecture record is module graphs' {@code BackboneConfig} (what a graph is built from, BERT and
 * RoBERTa only), which this module may not use; this sheet also covers decoders (GPT-2) that no
 * builder exists for. For the encoders both count the same weights (a pipeline test compares them).
 *
 * <p>Both families use the same layer shapes: attention Q, K, V, O with biases (4n² + 4n), an MLP
 * n→i→n with biases (2·n·i + i + n) and two LayerNorms (2·2n). They differ around the layers:
 * encoders (BERT, RoBERTa) have token-type embeddings, a LayerNorm after the embeddings and
 * optionally a pooler (dense n→n); decoders (GPT-2) have a final LayerNorm instead.
 *
 * @param name          id printed in tables, e.g. {@code "roberta-base"}
 * @param family        encoder or decoder layout
 * @param hidden        hidden size n
 * @param layers        number of transformer layers N
 * @param heads         attention heads (does not change the count)
 * @param intermediate  MLP width i
 * @param vocab         vocabulary size
 * @param maxPositions  learned position embeddings
 * @param typeVocab     token-type embeddings (0 for GPT-2)
 * @param pooler        whether the checkpoint has a pooler (dense n→n + tanh)
 */
public record BackboneSizes(String name, Family family, int hidden, int layers, int heads,
                             int intermediate, int vocab, int maxPositions, int typeVocab,
                             boolean pooler) {

    /** Layout around the transformer layers. */
    public enum Family {
        /** BERT / RoBERTa: embedding LayerNorm, token types, optional pooler. */
        ENCODER,
        /** GPT-2: final LayerNorm, no token types, no pooler. */
        DECODER
    }

    public static final BackboneSizes BERT_BASE =
            new BackboneSizes("bert-base", Family.ENCODER, 768, 12, 12, 3072, 30522, 512, 2, true);
    public static final BackboneSizes ROBERTA_BASE =
            new BackboneSizes("roberta-base", Family.ENCODER, 768, 12, 12, 3072, 50265, 514, 1, true);
    public static final BackboneSizes ROBERTA_LARGE =
            new BackboneSizes("roberta-large", Family.ENCODER, 1024, 24, 16, 4096, 50265, 514, 1, true);
    public static final BackboneSizes GPT2 =
            new BackboneSizes("gpt2", Family.DECODER, 768, 12, 12, 3072, 50257, 1024, 0, false);
    public static final BackboneSizes GPT2_MEDIUM =
            new BackboneSizes("gpt2-medium", Family.DECODER, 1024, 24, 16, 4096, 50257, 1024, 0, false);
    public static final BackboneSizes GPT2_LARGE =
            new BackboneSizes("gpt2-large", Family.DECODER, 1280, 36, 20, 5120, 50257, 1024, 0, false);

    public BackboneSizes {
        if (hidden <= 0 || layers <= 0 || heads <= 0 || intermediate <= 0 || vocab <= 0
                || maxPositions <= 0 || typeVocab < 0) {
            throw new IllegalArgumentException("backbone " + name + ": sizes must be positive "
                    + "(type vocabulary ≥ 0)");
        }
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("backbone " + name + ": hidden " + hidden
                    + " is not divisible by " + heads + " heads");
        }
        if (family == Family.DECODER && (typeVocab != 0 || pooler)) {
            throw new IllegalArgumentException("backbone " + name
                    + ": the decoder layout has no token types and no pooler");
        }
    }

    /** The backbones the paper reports on, in table order. */
    public static List<BackboneSizes> known() {
        return List.of(BERT_BASE, ROBERTA_BASE, ROBERTA_LARGE, GPT2, GPT2_MEDIUM, GPT2_LARGE);
    }

    /** Word, position and token-type embeddings, plus the embedding LayerNorm of encoders. */
    public long embeddingParams() {
        long n = hidden;
        long tables = ((long) vocab + maxPositions + typeVocab) * n;
        return family == Family.ENCODER ? tables + 2 * n : tables;
    }

    /** One transformer layer: attention 4n²+4n, MLP 2ni+i+n, two LayerNorms 4n. */
    public long layerParams() {
        long n = hidden;
        long i = intermediate;
        long attention = 4 * n * n + 4 * n;
        long mlp = 2 * n * i + i + n;
        long norms = 2 * 2 * n;
        return attention + mlp + norms;
    }

    /** The final LayerNorm of decoders (0 for encoders). */
    public long finalNormParams() {
        return family == Family.DECODER ? 2L * hidden : 0;
    }

    /** The pooler dense layer n²+n, if present. */
    public long poolerParams() {
        return pooler ? (long) hidden * hidden + hidden : 0;
    }

    /** Every weight of the checkpoint, pooler included. */
    public long totalParams() {
        return totalParamsWithoutPooler() + poolerParams();
    }

    /** Every weight the project's models use (our task head replaces the pooler). */
    public long totalParamsWithoutPooler() {
        return embeddingParams() + layers * layerParams() + finalNormParams();
    }
}
