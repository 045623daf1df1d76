package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.Value;

import java.util.List;

/**
 * The values of an encoder built by {@link EncoderBuilder}. With an injection at layer m, T = t + L
 * for layers m..N−1 (and for the masks below), T = L before it.
 *
 * @param config          the backbone's config
 * @param wordEmbeddings  Gather(word, input_ids) [B, L, n] (after an {@link EmbeddingHook}): the ID-SPAM generator's default input
 * @param embeddingOutput word + position + type embeddings after LayerNorm [B, L, n]
 * @param layerInputs     per layer, the hidden states it consumes (after the injection for layer m)
 * @param layerOutputs    per layer, its output [B, T, n]
 * @param attentionMask   the attention mask the last layer uses [B, T] (the input mask without injection)
 * @param maskFloat       the same as float [B, T]
 * @param additiveMask    (1 − mask)·(−10000) [B, 1, 1, T], as added to the attention scores
 * @param lastHiddenState the last layer's output [B, T, n]
 * @param injectionLayer  m, the lowest injection layer, or −1 without injection
 */
public record Encoder(BackboneConfig config, Value wordEmbeddings, Value embeddingOutput, List<Value> layerInputs,
                      List<Value> layerOutputs, Value attentionMask, Value maskFloat, Value additiveMask,
                      Value lastHiddenState, int injectionLayer) {
    public Encoder {
        layerInputs = List.copyOf(layerInputs);
        layerOutputs = List.copyOf(layerOutputs);
    }
}
