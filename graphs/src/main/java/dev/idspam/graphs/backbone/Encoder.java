package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.Value;

import java.util.List;

/**
 * The values of a backbone built by {@link EncoderBuilder}: an encoder, or a GPT-2 decoder
 * ({@link DecoderBuilder}). With an injection at layer m, T = t + L for layers m..N−1 (and for the
 * masks below), T = L before it.
 *
 * @param config          the backbone's config
 * @param wordEmbeddings  Gather(word, input_ids) [B, L, n] (after an {@link EmbeddingHook}): the ID-SPAM generator's default input
 * @param embeddingOutput word + position + type embeddings after LayerNorm [B, L, n] (GPT-2: wte + wpe, no LayerNorm)
 * @param layerInputs     per layer, the hidden states it consumes (after the injection for layer m)
 * @param layerOutputs    per layer, its output [B, T, n]
 * @param attentionMask   the attention mask the last layer uses [B, T] (the input mask without injection)
 * @param maskFloat       the same as float [B, T]
 * @param additiveMask    as added to the attention scores: (1 − mask)·(−10000) [B, 1, 1, T] for an encoder,
 *                        the causal-and-padding bias [B, 1, T, T] for a decoder ({@link DecoderBuilder})
 * @param lastHiddenState the last layer's output [B, T, n] (GPT-2: after the final LayerNorm ln_f), or
 *                        [B, 1, n] when the encoder was built for one read token
 * @param injectionLayer  m, the lowest injection layer, or −1 without injection
 * @param readToken       the position whose last-layer row alone was computed ({@link EncoderBuilder#ALL_TOKENS}
 *                        when every row was)
 */
public record Encoder(BackboneConfig config, Value wordEmbeddings, Value embeddingOutput, List<Value> layerInputs,
                      List<Value> layerOutputs, Value attentionMask, Value maskFloat, Value additiveMask,
                      Value lastHiddenState, int injectionLayer, long readToken) {
    public Encoder {
        layerInputs = List.copyOf(layerInputs);
        layerOutputs = List.copyOf(layerOutputs);
    }

    /** True when the last layer computed only the row of {@link #readToken}, so {@link #lastHiddenState} is [B, 1, n]. */
    public boolean readsOneToken() {
        return readToken != EncoderBuilder.ALL_TOKENS;
    }
}
