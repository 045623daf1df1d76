package dev.idspam.pipeline.methods;

import dev.idspam.graphs.backbone.BackboneConfig;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.TensorNames;
import dev.idspam.graphs.build.TensorData;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded random BERT encoder made by code: 2 layers, hidden 16, 2 heads, intermediate 32,
 * vocabulary 50 (id 0 = padding), 32 positions, 2 token types. The scales are those of a trained
 * model (LayerNorm gammas near 1, small biases, 1/√in matrices), so activations stay in range.
 */
final class TinyBert {
    static final int LAYERS = 2;
    static final int HIDDEN = 16;
    static final int VOCAB = 50;
    static final int PAD = 0;

    private TinyBert() {
    }

    static BackboneConfig config() {
        return BackboneConfig.bert(LAYERS, HIDDEN, 2, 32, VOCAB, 32, 2, 1e-12);
    }

    /** Every encoder tensor of {@link #config()} (no pooler, no masked-LM head), from {@code seed}. */
    static BackboneWeights random(long seed) {
        BackboneConfig c = config();
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, TensorData> t = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : TensorNames.encoderShapes(c).entrySet()) {
            long[] d = e.getValue();
            float[] v = new float[Math.toIntExact(TensorData.count(d))];
            boolean gamma = e.getKey().endsWith("gamma");
            double std = d.length == 2 ? (e.getKey().startsWith("embeddings") ? 0.5 : 1 / Math.sqrt(d[0])) : 0.1;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) ((gamma ? 1 : 0) + std * gaussian(r));
            }
            t.put(e.getKey(), TensorData.ofFloats(d, v));
        }
        return new BackboneWeights(c, t, "tiny random BERT, seed " + seed);
    }

    static double gaussian(SplittableRandom r) {
        double u = 1 - r.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r.nextDouble());
    }
}
