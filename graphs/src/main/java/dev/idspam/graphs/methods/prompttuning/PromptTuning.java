package dev.idspam.graphs.methods.prompttuning;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.SplittableRandom;

/** Builds the static prompt of Prompt Tuning and broadcasts it over the batch. */
public final class PromptTuning {
    public static final String PARAMETER = "prompt_tuning.prompt";

    private PromptTuning() {
    }

    /** Initial prompt: rows of the word-embedding matrix [V, n] at seeded random token ids (skipping the first 1000 ids, mostly special and unused tokens, when the vocabulary is large). */
    public static TensorData initialPrompt(TensorData wordEmbeddings, int t, long seed) {
        long[] d = wordEmbeddings.dims();
        int vocab = Math.toIntExact(d[0]);
        int n = Math.toIntExact(d[1]);
        float[] w = wordEmbeddings.toFloats();
        float[] out = new float[t * n];
        SplittableRandom r = new SplittableRandom(seed);
        int low = vocab > 5000 ? 1000 : 0;
        for (int i = 0; i < t; i++) {
            int id = low + r.nextInt(vocab - low);
            System.arraycopy(w, id * n, out, i * n, n);
        }
        return TensorData.ofFloats(new long[] {t, n}, out);
    }

    /** S [B, t, n] from the trainable prompt [t, n]; {@code like} supplies B. */
    public static Value build(GraphBuilder b, PromptTuningConfig cfg, TensorData initial, Value like, boolean training) {
        Ops o = b.ops();
        try (GraphBuilder.Scope ignored = b.scope("prompt_tuning")) {
            Value p = b.parameter(PARAMETER, initial, true);
            Value batch = o.shape(like, 0, 1);
            Value target = o.concat(0, batch, o.longs(1, 1));
            Value s = o.expand(o.unsqueeze(p, 0), target);
            if (training && cfg.promptDropout() > 0) {
                s = o.dropout(s, (float) cfg.promptDropout());
            }
            return s;
        }
    }
}
