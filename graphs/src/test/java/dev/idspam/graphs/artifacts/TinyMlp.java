package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixture: layout B of ORT-TRAINING-ARTIFACTS.md, x[batch,4] → (W0,b0 trainable) → ReLU →
 * (W1,b1 frozen) → ReLU → (W2,b2 trainable) → pred[batch,3], loss = Σ(pred − y)² / batch.
 * Weights are seeded; {@code probs} is an eval-only output (must be pruned from the training graph).
 */
final class TinyMlp implements ModelDefinition {
    static final int IN = 4;
    static final int HIDDEN = 6;
    static final int OUT = 3;

    private final Map<String, TensorData> weights;

    TinyMlp(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        weights = new LinkedHashMap<>();
        weights.put("W0", gaussian(r, 1 / Math.sqrt(IN), IN, HIDDEN));
        weights.put("b0", gaussian(r, 0.1, HIDDEN));
        weights.put("W1", gaussian(r, 1 / Math.sqrt(HIDDEN), HIDDEN, HIDDEN));
        weights.put("b1", gaussian(r, 0.1, HIDDEN));
        weights.put("W2", gaussian(r, 1 / Math.sqrt(HIDDEN), HIDDEN, OUT));
        weights.put("b2", gaussian(r, 0.1, OUT));
    }

    static TensorData gaussian(SplittableRandom r, double std, long... dims) {
        float[] v = new float[(int) TensorData.count(dims)];
        for (int i = 0; i < v.length; i++) {
            // Box-Muller from the seeded generator
            double u1 = 1 - r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = (float) (std * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return TensorData.ofFloats(dims, v);
    }

    TensorData weight(String name) {
        return weights.get(name);
    }

    @Override
    public ForwardOutputs build(GraphBuilder b, boolean training) {
        Ops o = b.ops();
        Value x = b.input("x", DType.FLOAT, Shape.of("batch", IN));
        Value y = b.input("y", DType.FLOAT, Shape.of("batch", OUT));
        Value w0 = b.parameter("W0", weights.get("W0"), true);
        Value b0 = b.parameter("b0", weights.get("b0"), true);
        Value w1 = b.parameter("W1", weights.get("W1"), false);
        Value b1 = b.parameter("b1", weights.get("b1"), false);
        Value w2 = b.parameter("W2", weights.get("W2"), true);
        Value b2 = b.parameter("b2", weights.get("b2"), true);
        Value h0 = o.relu(o.linear(x, w0, b0));
        Value h1 = o.relu(o.linear(h0, w1, b1));
        Value pred = o.linear(h1, w2, b2);
        Value d = o.sub(pred, y);
        Value sumSq = b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), o.mul(d, d));
        Value rows = o.cast(o.shape(x, 0, 1), DType.FLOAT);
        Value invRows = o.squeeze(b.op("Reciprocal", List.of(), rows), 0);
        Value loss = o.mul(sumSq, invRows);
        Map<String, Value> outs = new LinkedHashMap<>();
        outs.put("pred", pred);
        outs.put("probs", o.softmax(pred, -1));
        return new ForwardOutputs(loss, outs);
    }

    static ArtifactWriter.Builder writer(long seed) {
        return ArtifactWriter.forModel(new TinyMlp(seed));
    }
}
