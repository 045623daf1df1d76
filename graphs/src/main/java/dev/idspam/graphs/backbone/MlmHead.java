package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;

import java.util.Map;

/**
 * BERT's masked-LM head: {@code logits = LN(GELU(h·Wd + bd))·Eᵀ + bias}, with E the word-embedding
 * table (tied decoder) unless the checkpoint has an untied decoder {@link TensorNames#MLM_DECODER_W}.
 */
public final class MlmHead {
    private MlmHead() {
    }

    /**
     * @param weights canonical name → value; needs the {@code mlm.*} tensors and, for the tied
     *                decoder, {@link TensorNames#WORD}
     * @param hidden  [..., n]
     * @return logits [..., V]
     */
    public static Value logits(GraphBuilder b, BackboneConfig config, Map<String, Value> weights, Value hidden) {
        Ops o = b.ops();
        try (GraphBuilder.Scope ignored = b.scope("mlm")) {
            Value h = EncoderBuilder.gelu(b, o.add(o.matmul(hidden, require(weights, TensorNames.MLM_DENSE_W)),
                    require(weights, TensorNames.MLM_DENSE_B)));
            h = o.layerNorm(h, require(weights, TensorNames.MLM_LN_GAMMA), require(weights, TensorNames.MLM_LN_BETA),
                    (float) config.layerNormEps());
            Value decoder = weights.containsKey(TensorNames.MLM_DECODER_W) ? weights.get(TensorNames.MLM_DECODER_W)
                    : o.transpose(require(weights, TensorNames.WORD), 1, 0);
            return o.add(o.matmul(h, decoder), require(weights, TensorNames.MLM_BIAS));
        }
    }

    private static Value require(Map<String, Value> weights, String name) {
        Value v = weights.get(name);
        if (v == null) {
            throw new IllegalArgumentException("masked-LM head needs a value for '" + name + "' (bind it with"
                    + " EncoderBuilder.bindWeights(b, weights, names, ...); the checkpoint must have an MLM head)");
        }
        return v;
    }
}
