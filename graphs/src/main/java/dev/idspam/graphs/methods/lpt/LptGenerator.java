package dev.idspam.graphs.methods.lpt;

import dev.idspam.graphs.backbone.DecoderBuilder;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.ParameterInit;

import java.util.List;

/**
 * S = reshape(W₂·ReLU(W₁·h₀ + b₁) + b₂) where h₀ is the first token's hidden state entering layer m;
 * on a decoder backbone h₀ is the last real token's instead, since under causal attention the first
 * token has seen nothing but itself.
 */
public final class LptGenerator {
    public static final List<String> PARAMETERS = List.of("lpt.down.w", "lpt.down.b", "lpt.up.w", "lpt.up.b");

    private LptGenerator() {
    }

    /**
     * @param hidden hidden states entering layer m, [B, L, n]
     * @param lastTokenMask null to read the first token; else the input mask [B, L], and the last real token is read
     */
    public static Value build(GraphBuilder b, LptConfig cfg, ParameterInit init, Value hidden, Value lastTokenMask, int n,
                              boolean training) {
        Ops o = b.ops();
        int t = cfg.promptTokens();
        try (GraphBuilder.Scope ignored = b.scope("lpt")) {
            Value w1 = b.parameter("lpt.down.w", init.normal("lpt.down.w", cfg.initStd(), n, cfg.rank()), true);
            Value b1 = b.parameter("lpt.down.b", init.zeros(cfg.rank()), true);
            Value w2 = b.parameter("lpt.up.w", init.normal("lpt.up.w", cfg.initStd(), cfg.rank(), (long) t * n), true);
            Value b2 = b.parameter("lpt.up.b", init.zeros((long) t * n), true);
            Value first = lastTokenMask != null ? DecoderBuilder.lastRealToken(b, hidden, 0, lastTokenMask)
                    : o.gather(hidden, b.constant("first_token", dev.idspam.graphs.build.TensorData.scalarLong(0)), 1);
            Value s = o.linear(o.relu(o.linear(first, w1, b1)), w2, b2);
            s = o.reshape(s, -1, t, n);
            if (training && cfg.promptDropout() > 0) {
                s = o.dropout(s, (float) cfg.promptDropout());
            }
            return s;
        }
    }
}
