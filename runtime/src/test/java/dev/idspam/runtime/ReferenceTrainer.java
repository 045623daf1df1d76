package dev.idspam.runtime;

import dev.idspam.graphs.build.TensorData;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Plain-Java double-precision re-implementation of what the artifacts and the trainer compute for
 * {@link TinyModel}: forward, backward, gradient accumulation (sum over micro-batches), the linear
 * warm-up/decay rate, and AdamW in HF mode (ORT {@code adam_mode=1}: bias correction folded into the
 * rate, decoupled decay after the update). Written from the formulas, independent of the runtime code.
 */
final class ReferenceTrainer {
    final TinyModel model;
    final Map<String, double[]> w = new LinkedHashMap<>();
    final Map<String, double[]> m1 = new LinkedHashMap<>();
    final Map<String, double[]> m2 = new LinkedHashMap<>();
    final double beta1 = 0.9f;
    final double beta2 = 0.98f;
    final double eps = 1e-6f;
    final double weightDecay;
    long step;

    ReferenceTrainer(TinyModel model, float weightDecay) {
        this.model = model;
        this.weightDecay = weightDecay;
        model.initial.forEach((k, v) -> w.put(k, toDoubles(v)));
        for (String p : TinyModel.TRAINABLE) {
            m1.put(p, new double[w.get(p).length]);
            m2.put(p, new double[w.get(p).length]);
        }
    }

    static double[] toDoubles(TensorData t) {
        float[] f = t.toFloats();
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** Trains like {@link Trainer#fit}; returns every micro-batch loss in order. */
    double[] fit(List<Batch> batches, int epochs, int accumulation, double peak, double warmupRatio) {
        int perEpoch = batches.size();
        int stepsPerEpoch = (perEpoch + accumulation - 1) / accumulation;
        long total = (long) stepsPerEpoch * epochs;
        long warmup = (long) Math.ceil(warmupRatio * total);
        double[] losses = new double[perEpoch * epochs];
        int li = 0;
        for (int e = 0; e < epochs; e++) {
            Map<String, double[]> acc = null;
            int micro = 0;
            for (int b = 0; b < perEpoch; b++) {
                Map<String, double[]> g = new LinkedHashMap<>();
                losses[li++] = lossAndGrad(batches.get(b), g);
                if (micro == 0) {
                    acc = g;
                } else {
                    for (String p : TinyModel.TRAINABLE) {
                        double[] a = acc.get(p);
                        double[] d = g.get(p);
                        for (int i = 0; i < a.length; i++) {
                            a[i] += d[i];
                        }
                    }
                }
                micro++;
                if (micro == accumulation || b == perEpoch - 1) {
                    long k = step;
                    double lr = k < warmup ? peak * k / Math.max(1, warmup)
                            : peak * Math.max(0, total - k) / (double) Math.max(1, total - warmup);
                    adamw((float) lr, acc);
                    micro = 0;
                }
            }
        }
        return losses;
    }

    private void adamw(double lr, Map<String, double[]> grads) {
        step++;
        double lrc = lr * Math.sqrt(1 - Math.pow(beta2, step)) / (1 - Math.pow(beta1, step));
        for (String p : TinyModel.TRAINABLE) {
            double[] x = w.get(p);
            double[] g = grads.get(p);
            double[] m = m1.get(p);
            double[] v = m2.get(p);
            for (int i = 0; i < x.length; i++) {
                m[i] = beta1 * m[i] + (1 - beta1) * g[i];
                v[i] = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
                x[i] -= lrc * m[i] / (Math.sqrt(v[i]) + eps);
                x[i] -= lr * weightDecay * x[i];
            }
        }
    }

    /** Batch loss; fills {@code grads} with d(loss)/d(trainable). */
    double lossAndGrad(Batch batch, Map<String, double[]> grads) {
        float[] xf = ((HostTensor.Floats) batch.get("x")).data();
        int n = xf.length / TinyModel.IN;
        double[] x = new double[xf.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xf[i];
        }
        int in = TinyModel.IN;
        int hid = TinyModel.HIDDEN;
        int out = TinyModel.OUT;
        double[] z0 = dense(x, n, in, hid, w.get("W0"), w.get("b0"));
        double[] h0 = relu(z0);
        double[] z1 = dense(h0, n, hid, hid, w.get("W1"), w.get("b1"));
        double[] h1 = relu(z1);
        double[] pred = dense(h1, n, hid, out, w.get("W2"), w.get("b2"));
        double loss = 0;
        double[] dPred = new double[pred.length];
        if (model.loss == TinyModel.Loss.SQUARED_ERROR) {
            float[] y = ((HostTensor.Floats) batch.get("y")).data();
            for (int i = 0; i < pred.length; i++) {
                double d = pred[i] - y[i];
                loss += d * d / n;
                dPred[i] = 2 * d / n;
            }
        } else {
            long[] labels = ((HostTensor.Longs) batch.get("labels")).data();
            for (int r = 0; r < n; r++) {
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < out; j++) {
                    max = Math.max(max, pred[r * out + j]);
                }
                double z = 0;
                for (int j = 0; j < out; j++) {
                    z += Math.exp(pred[r * out + j] - max);
                }
                for (int j = 0; j < out; j++) {
                    double p = Math.exp(pred[r * out + j] - max) / z;
                    dPred[r * out + j] = (p - (labels[r] == j ? 1 : 0)) / n;
                }
                loss += -(pred[r * out + (int) labels[r]] - max - Math.log(z)) / n;
            }
        }
        grads.put("W2", matTMul(h1, dPred, n, hid, out));
        grads.put("b2", colSum(dPred, n, out));
        double[] dz1 = mask(mulT(dPred, w.get("W2"), n, out, hid), z1);
        double[] dz0 = mask(mulT(dz1, w.get("W1"), n, hid, hid), z0);
        grads.put("W0", matTMul(x, dz0, n, in, hid));
        grads.put("b0", colSum(dz0, n, hid));
        return loss;
    }

    /** Forward value of {@code pred} for a batch with the current weights. */
    double[] predict(Batch batch) {
        float[] xf = ((HostTensor.Floats) batch.get("x")).data();
        int n = xf.length / TinyModel.IN;
        double[] x = new double[xf.length];
        for (int i = 0; i < x.length; i++) {
            x[i] = xf[i];
        }
        double[] h0 = relu(dense(x, n, TinyModel.IN, TinyModel.HIDDEN, w.get("W0"), w.get("b0")));
        double[] h1 = relu(dense(h0, n, TinyModel.HIDDEN, TinyModel.HIDDEN, w.get("W1"), w.get("b1")));
        return dense(h1, n, TinyModel.HIDDEN, TinyModel.OUT, w.get("W2"), w.get("b2"));
    }

    private static double[] dense(double[] h, int n, int in, int out, double[] wt, double[] b) {
        double[] z = new double[n * out];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < out; j++) {
                double s = b[j];
                for (int k = 0; k < in; k++) {
                    s += h[r * in + k] * wt[k * out + j];
                }
                z[r * out + j] = s;
            }
        }
        return z;
    }

    private static double[] relu(double[] z) {
        double[] h = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            h[i] = Math.max(0, z[i]);
        }
        return h;
    }

    private static double[] mask(double[] d, double[] z) {
        for (int i = 0; i < d.length; i++) {
            d[i] = z[i] > 0 ? d[i] : 0;
        }
        return d;
    }

    /** aᵀ·d for a [n,in], d [n,out] → [in,out]. */
    private static double[] matTMul(double[] a, double[] d, int n, int in, int out) {
        double[] g = new double[in * out];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < in; k++) {
                for (int j = 0; j < out; j++) {
                    g[k * out + j] += a[r * in + k] * d[r * out + j];
                }
            }
        }
        return g;
    }

    /** d·Wᵀ for d [n,out], W [in,out] → [n,in]. */
    private static double[] mulT(double[] d, double[] wt, int n, int out, int in) {
        double[] h = new double[n * in];
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < in; k++) {
                double s = 0;
                for (int j = 0; j < out; j++) {
                    s += d[r * out + j] * wt[k * out + j];
                }
                h[r * in + k] = s;
            }
        }
        return h;
    }

    private static double[] colSum(double[] d, int n, int out) {
        double[] s = new double[out];
        for (int r = 0; r < n; r++) {
            for (int j = 0; j < out; j++) {
                s[j] += d[r * out + j];
            }
        }
        return s;
    }
}
