package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.autodiff.GradCheck.Fixture;
import dev.idspam.graphs.autodiff.GradCheck.Init;

import java.util.List;

/**
 * A tiny post-LN BERT encoder layer with a trainable soft prompt, as in BACKWARD-PERFORMANCE.md:
 * prompt P[t,n] expanded over the batch and concatenated before X[B,L,n], additive mask [B,1,1,T],
 * frozen attention and FFN, LayerNormalization, classification head on token t, mean
 * SoftmaxCrossEntropyLoss. Trainable: P, Wh, bh.
 */
final class PromptLayerFixture {
    static final int N = 8;
    static final int HEADS = 2;
    static final int FFN = 16;
    static final int T = 2;

    private PromptLayerFixture() {
    }

    /**
     * @param symbolic declare batch and length as symbols B and L (else static)
     * @param erfGelu  exact GELU with Erf (float-only on ORT CPU), else the tanh approximation
     */
    static Value build(Fixture f, int batch, int len, boolean symbolic, boolean erfGelu) {
        Ops o = f.o();
        int dh = N / HEADS;
        Object bDim = symbolic ? "B" : (Object) batch;
        Object lDim = symbolic ? "L" : (Object) len;
        Value x = f.feed("X", Shape.of(bDim, lDim, N), Init.NORMAL, batch, len, N);
        long[] maskValues = new long[batch * len];
        for (int i = 0; i < batch; i++) {
            int valid = Math.max(1, len - i);
            for (int j = 0; j < len; j++) {
                maskValues[i * len + j] = j < valid ? 1 : 0;
            }
        }
        Value mask = f.feed("mask", Shape.of(bDim, lDim), TensorData.ofLongs(new long[] {batch, len}, maskValues));
        long[] labelValues = new long[batch];
        for (int i = 0; i < batch; i++) {
            labelValues[i] = i % 2;
        }
        Value labels = f.feed("labels", Shape.of(bDim), TensorData.ofLongs(new long[] {batch}, labelValues));
        Value p = f.param("P", T, N);

        Value batchDim = o.shape(x, 0, 1);
        Value prompt = o.expand(p, o.concat(0, batchDim, o.longs(1, 1)));
        Value h = o.concat(1, prompt, x);
        Value ones = o.expand(f.b.constant("prompt_mask", TensorData.ofLongs(new long[] {1, T}, 1, 1)),
                o.concat(0, batchDim, o.longs(T)));
        Value fullMask = o.cast(o.concat(1, ones, mask), f.type);
        Value additive = o.unsqueeze(o.mul(o.sub(f.scalar(1), fullMask), f.scalar(-10000)), 1, 2);

        Value q = o.mul(heads(o, linear(f, h, "q", N, N), dh, false), f.scalar(1 / Math.sqrt(dh)));
        Value k = heads(o, linear(f, h, "k", N, N), dh, true);
        Value v = heads(o, linear(f, h, "v", N, N), dh, false);
        Value attn = o.softmax(o.add(o.matmul(q, k), additive), -1);
        Value ctx = o.reshape(o.transpose(o.matmul(attn, v), 0, 2, 1, 3), 0, 0, N);
        Value h1 = layerNorm(f, o.add(h, linear(f, ctx, "o", N, N)), "ln1");
        Value ff = linear(f, gelu(f, linear(f, h1, "f1", N, FFN), erfGelu), "f2", FFN, N);
        Value h2 = layerNorm(f, o.add(h1, ff), "ln2");

        Value cls = o.gather(h2, o.scalarLong(T), 1);
        Value logits = o.add(o.matmul(cls, f.param("Wh", Init.normal(0, 1 / Math.sqrt(N)), N, 2)),
                f.param("bh", Init.normal(0, 0.1), 2));
        return o.softmaxCrossEntropy(logits, labels);
    }

    private static Value linear(Fixture f, Value x, String name, int in, int out) {
        Value w = f.frozen("W" + name, Init.normal(0, 1 / Math.sqrt(in)), in, out);
        Value b = f.frozen("b" + name, Init.normal(0, 0.1), out);
        return f.o().add(f.o().matmul(x, w), b);
    }

    /** [B,T,n] → [B,h,T,dh], or [B,h,dh,T] when {@code keyLayout}. */
    private static Value heads(Ops o, Value x, int dh, boolean keyLayout) {
        Value split = o.reshape(x, 0, 0, HEADS, dh);
        return keyLayout ? o.transpose(split, 0, 2, 3, 1) : o.transpose(split, 0, 2, 1, 3);
    }

    private static Value layerNorm(Fixture f, Value x, String name) {
        Value gamma = f.frozen(name + "_g", Init.normal(1, 0.1), N);
        Value beta = f.frozen(name + "_b", Init.normal(0, 0.1), N);
        return f.o().layerNormWithStats(x, gamma, beta, 1e-12f).get(0);
    }

    private static Value gelu(Fixture f, Value x, boolean erf) {
        Ops o = f.o();
        Value half = o.mul(x, f.scalar(0.5));
        if (erf) {
            return o.mul(half, o.add(f.scalar(1), o.erf(o.div(x, f.scalar(Math.sqrt(2))))));
        }
        Value cube = o.pow(x, f.scalar(3));
        Value inner = o.mul(o.add(x, o.mul(cube, f.scalar(0.044715))), f.scalar(Math.sqrt(2 / Math.PI)));
        return o.mul(half, o.add(f.scalar(1), o.tanh(inner)));
    }

    static List<Value> outputs(Fixture f, int batch, int len, boolean symbolic, boolean erfGelu) {
        return List.of(build(f, batch, len, symbolic, erfGelu));
    }
}
