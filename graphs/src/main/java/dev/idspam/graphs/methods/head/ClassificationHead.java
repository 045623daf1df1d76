package dev.idspam.graphs.methods.head;

import dev.idspam.graphs.backbone.DecoderBuilder;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.ParameterInit;

import java.util.List;

/**
 * Builds the task head and its loss. The head reads the hidden states from sequence index
 * {@code tokenIndex} on, where the input tokens sit after any prepended prompt tokens: the first of
 * them, their mean, or the last real one ({@link HeadConfig.Pooling}).
 */
public final class ClassificationHead {
    /** Names of the head's trainable tensors, in declaration order. */
    public static final List<String> PARAMETERS = List.of("head.dense.w", "head.dense.b", "head.out.w", "head.out.b");

    private ClassificationHead() {
    }

    /** Logits [B, C] (or predictions [B, 1] for regression). */
    public static Value logits(GraphBuilder b, HeadConfig cfg, ParameterInit init, Value hidden, long hiddenSize,
                               long tokenIndex, boolean training) {
        if (cfg.pooling() != HeadConfig.Pooling.FIRST) {
            throw new IllegalArgumentException(cfg.pooling().option() + " pooling needs the input mask; use the overload"
                    + " that takes it");
        }
        return logits(b, cfg, init, hidden, hiddenSize, tokenIndex, null, training);
    }

    /**
     * Logits [B, C] from {@code hidden} [B, T, n], whose input tokens start at {@code tokenIndex} (after
     * the prompt): {@link HeadConfig.Pooling#FIRST} reads position {@code tokenIndex};
     * {@link HeadConfig.Pooling#MEAN} reads Σ_j m_j·h[tokenIndex + j] / Σ_j m_j over the input mask m
     * {@code inputMask} [B, L] (int64 or float, 1 = real token), L = T − tokenIndex;
     * {@link HeadConfig.Pooling#LAST} reads h[tokenIndex + j*], j* = max{j : m_j = 1}, the last real
     * token wherever the padding is.
     */
    public static Value logits(GraphBuilder b, HeadConfig cfg, ParameterInit init, Value hidden, long hiddenSize,
                               long tokenIndex, Value inputMask, boolean training) {
        Ops o = b.ops();
        try (GraphBuilder.Scope ignored = b.scope("head")) {
            Value dw = b.parameter("head.dense.w", init.normal("head.dense.w", cfg.initStd(), hiddenSize, hiddenSize), true);
            Value db = b.parameter("head.dense.b", init.zeros(hiddenSize), true);
            Value ow = b.parameter("head.out.w", init.normal("head.out.w", cfg.initStd(), hiddenSize, cfg.numOutputs()), true);
            Value ob = b.parameter("head.out.b", init.zeros(cfg.numOutputs()), true);
            Value first;
            if (cfg.pooling() == HeadConfig.Pooling.MEAN) {
                Value tokens = o.slice(hidden, new long[] {tokenIndex}, new long[] {Long.MAX_VALUE}, new long[] {1});
                Value m = o.unsqueeze(inputMask.type() == DType.FLOAT ? inputMask : o.cast(inputMask, DType.FLOAT), 2);
                first = o.div(o.reduceSum(o.mul(tokens, m), false, 1), o.reduceSum(m, false, 1));   // [B, n]
            } else if (cfg.pooling() == HeadConfig.Pooling.LAST) {
                first = DecoderBuilder.lastRealToken(b, hidden, tokenIndex, inputMask);              // [B, n]
            } else {
                first = o.gather(hidden, b.constant("token_index", TensorData.scalarLong(tokenIndex)), 1);
            }
            Value h = o.tanh(o.linear(first, dw, db));
            if (training && cfg.dropout() > 0) {
                h = o.dropout(h, (float) cfg.dropout());
            }
            return o.linear(h, ow, ob);
        }
    }

    /** The training loss: mean cross-entropy over the batch, or mean squared error for regression. */
    public static Value loss(GraphBuilder b, HeadConfig cfg, Value logits, Value labels) {
        Ops o = b.ops();
        if (cfg.regression()) {
            Value pred = o.reshape(logits, -1);
            Value diff = o.sub(pred, labels);
            return o.reduceMean(o.mul(diff, diff), false, 0);
        }
        return o.softmaxCrossEntropy(logits, labels);
    }

    /** Element type of the labels input for this head. */
    public static DType labelType(HeadConfig cfg) {
        return cfg.regression() ? DType.FLOAT : DType.INT64;
    }
}
