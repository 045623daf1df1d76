package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.AdamWConfig;
import dev.idspam.graphs.artifacts.ArtifactWriter;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ForwardOutputs;
import dev.idspam.graphs.artifacts.ModelDefinition;
import dev.idspam.graphs.build.Attr;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Test fixture, layout B of ORT-TRAINING-ARTIFACTS.md: x[batch,4] → (W0,b0 trainable) → ReLU →
 * (W1,b1 frozen) → ReLU → (W2,b2 trainable) → pred[batch,3]. Loss: squared error Σ(pred−y)²/batch,
 * or mean softmax cross-entropy over int64 labels. Seeded weights and data.
 */
final class TinyModel implements ModelDefinition {
    enum Loss { SQUARED_ERROR, CROSS_ENTROPY }

    static final int IN = 4;
    static final int HIDDEN = 8;
    static final int OUT = 3;
    static final List<String> PARAMS = List.of("W0", "b0", "W1", "b1", "W2", "b2");
    static final List<String> TRAINABLE = List.of("W0", "b0", "W2", "b2");

    final Loss loss;
    final Map<String, TensorData> initial = new LinkedHashMap<>();

    TinyModel(Loss loss, long seed) {
        this.loss = loss;
        SplittableRandom r = new SplittableRandom(seed);
        initial.put("W0", gaussian(r, 1 / Math.sqrt(IN), IN, HIDDEN));
        initial.put("b0", gaussian(r, 0.1, HIDDEN));
        initial.put("W1", gaussian(r, 1 / Math.sqrt(HIDDEN), HIDDEN, HIDDEN));
        initial.put("b1", gaussian(r, 0.1, HIDDEN));
        initial.put("W2", gaussian(r, 1 / Math.sqrt(HIDDEN), HIDDEN, OUT));
        initial.put("b2", gaussian(r, 0.1, OUT));
    }

    static TensorData gaussian(SplittableRandom r, double std, long... dims) {
        float[] v = new float[(int) TensorData.count(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (std * normal(r));
        }
        return TensorData.ofFloats(dims, v);
    }

    static double normal(SplittableRandom r) {
        return Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
    }

    String target() {
        return loss == Loss.SQUARED_ERROR ? "y" : "labels";
    }

    @Override
    public ForwardOutputs build(GraphBuilder b, boolean training) {
        Ops o = b.ops();
        Value x = b.input("x", DType.FLOAT, Shape.of("batch", IN));
        Value t = loss == Loss.SQUARED_ERROR ? b.input("y", DType.FLOAT, Shape.of("batch", OUT))
                : b.input("labels", DType.INT64, Shape.of("batch"));
        Map<String, Value> p = new LinkedHashMap<>();
        for (String name : PARAMS) {
            p.put(name, b.parameter(name, initial.get(name), TRAINABLE.contains(name)));
        }
        Value h0 = o.relu(o.linear(x, p.get("W0"), p.get("b0")));
        Value h1 = o.relu(o.linear(h0, p.get("W1"), p.get("b1")));
        Value pred = o.linear(h1, p.get("W2"), p.get("b2"));
        Value l;
        if (loss == Loss.SQUARED_ERROR) {
            Value d = o.sub(pred, t);
            Value sumSq = b.op("ReduceSum", List.of(Attr.i("keepdims", 0)), o.mul(d, d));
            Value rows = o.cast(o.shape(x, 0, 1), DType.FLOAT);
            l = o.mul(sumSq, o.squeeze(b.op("Reciprocal", List.of(), rows), 0));
        } else {
            l = o.softmaxCrossEntropy(pred, t);
        }
        return new ForwardOutputs(l, Map.of("pred", pred));
    }

    Artifacts write(Path dir, float weightDecay) throws Exception {
        return ArtifactWriter.forModel(this).optimizer(AdamWConfig.defaults().withWeightDecay(weightDecay)).build()
                .write(dir);
    }

    /** Seeded data: {@code batches} batches of {@code rows} rows; targets from a fixed linear teacher. */
    List<Batch> data(int batches, int rows, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Batch> out = new ArrayList<>();
        for (int k = 0; k < batches; k++) {
            float[] x = new float[rows * IN];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) normal(r);
            }
            float[] y = new float[rows * OUT];
            long[] labels = new long[rows];
            for (int i = 0; i < rows; i++) {
                int best = 0;
                for (int j = 0; j < OUT; j++) {
                    double s = 0;
                    for (int f = 0; f < IN; f++) {
                        s += x[i * IN + f] * Math.sin(1 + f + 2 * j);
                    }
                    y[i * OUT + j] = (float) s;
                    if (s > y[i * OUT + best]) {
                        best = j;
                    }
                }
                labels[i] = best;
            }
            HostTensor target = loss == Loss.SQUARED_ERROR ? HostTensor.floats(y, rows, OUT) : HostTensor.longs(labels, rows);
            out.add(Batch.of("x", HostTensor.floats(x, rows, IN), target(), target));
        }
        return out;
    }
}
