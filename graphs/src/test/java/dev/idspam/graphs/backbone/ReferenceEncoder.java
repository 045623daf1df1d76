package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.TensorData;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java, double-precision BERT/RoBERTa forward pass over one sequence, written from the
 * formulas (not from the graph builder), used as the reference the ONNX graphs are checked against.
 * Weights are read from {@link BackboneWeights}; {@code overrides} replaces individual tensors
 * (for checking projection hooks).
 */
final class ReferenceEncoder {
    private final BackboneWeights w;
    private final BackboneConfig c;
    private final Map<String, double[]> overrides;

    ReferenceEncoder(BackboneWeights w) {
        this(w, Map.of());
    }

    ReferenceEncoder(BackboneWeights w, Map<String, double[]> overrides) {
        this.w = w;
        this.c = w.config();
        this.overrides = overrides;
    }

    /** Embedding output, then the output of every layer ([T][n] each). */
    record Result(double[][] embeddings, List<double[][]> layers) {
        double[][] last() {
            return layers.get(layers.size() - 1);
        }
    }

    /**
     * @param types  token types, or null for all 0
     * @param mask   1 = real token
     * @param injectAt layer before which {@code prompt} rows are prepended (−1: none)
     */
    Result forward(long[] ids, long[] types, long[] mask, int injectAt, double[][] prompt) {
        int len = ids.length;
        int n = c.hidden();
        double[] word = get(TensorNames.WORD);
        double[] pos = get(TensorNames.POSITION);
        double[] type = get(TensorNames.TOKEN_TYPE);
        long[] positions = positionIds(ids);
        double[][] x = new double[len][n];
        for (int i = 0; i < len; i++) {
            for (int d = 0; d < n; d++) {
                x[i][d] = word[(int) ids[i] * n + d] + type[(int) (types == null ? 0 : types[i]) * n + d]
                        + pos[(int) positions[i] * n + d];
            }
        }
        x = layerNorm(x, get(TensorNames.EMB_LN_GAMMA), get(TensorNames.EMB_LN_BETA));
        double[][] embeddings = x;
        long[] m = mask;
        List<double[][]> outs = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            if (l == injectAt) {
                double[][] joined = new double[prompt.length + x.length][];
                long[] jm = new long[prompt.length + m.length];
                for (int i = 0; i < prompt.length; i++) {
                    joined[i] = prompt[i].clone();
                    jm[i] = 1;
                }
                for (int i = 0; i < x.length; i++) {
                    joined[prompt.length + i] = x[i];
                    jm[prompt.length + i] = m[i];
                }
                x = joined;
                m = jm;
            }
            x = layer(l, x, m);
            outs.add(x);
        }
        return new Result(embeddings, outs);
    }

    /**
     * Deep prompts (P-Tuning v2 as docs describe it): {@code prompts[0]} [t][n] prepended to the
     * embedding output, and before every later layer l the first t rows replaced by
     * {@code prompts[l]}; the mask is [1…1, mask] from layer 0 on.
     */
    Result forwardDeep(long[] ids, long[] types, long[] mask, double[][][] prompts) {
        Result plain = forward(ids, types, mask, -1, null);
        int t = prompts[0].length;
        double[][] x = new double[t + ids.length][];
        long[] m = new long[t + mask.length];
        for (int i = 0; i < t; i++) {
            x[i] = prompts[0][i].clone();
            m[i] = 1;
        }
        for (int i = 0; i < ids.length; i++) {
            x[t + i] = plain.embeddings()[i];
            m[t + i] = mask[i];
        }
        List<double[][]> outs = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            if (l > 0) {
                x = x.clone();
                for (int i = 0; i < t; i++) {
                    x[i] = prompts[l][i].clone();
                }
            }
            x = layer(l, x, m);
            outs.add(x);
        }
        return new Result(plain.embeddings(), outs);
    }

    private long[] positionIds(long[] ids) {
        long[] out = new long[ids.length];
        if (c.family() == BackboneConfig.Family.ROBERTA) {
            long count = 0;
            for (int i = 0; i < ids.length; i++) {
                boolean real = ids[i] != c.padTokenId();
                count += real ? 1 : 0;
                out[i] = real ? count + c.padTokenId() : c.padTokenId();
            }
        } else {
            for (int i = 0; i < ids.length; i++) {
                out[i] = i + c.positionOffset();
            }
        }
        return out;
    }

    private double[][] layer(int l, double[][] x, long[] mask) {
        int t = x.length;
        int n = c.hidden();
        int heads = c.heads();
        int dh = c.headSize();
        double[][] q = linear(x, get(TensorNames.layer(l, TensorNames.Q_W)), get(TensorNames.layer(l, TensorNames.Q_B)), n);
        double[][] k = linear(x, get(TensorNames.layer(l, TensorNames.K_W)), get(TensorNames.layer(l, TensorNames.K_B)), n);
        double[][] v = linear(x, get(TensorNames.layer(l, TensorNames.V_W)), get(TensorNames.layer(l, TensorNames.V_B)), n);
        double[][] ctx = new double[t][n];
        double scale = 1 / Math.sqrt(dh);
        for (int h = 0; h < heads; h++) {
            for (int i = 0; i < t; i++) {
                double[] s = new double[t];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < t; j++) {
                    double dot = 0;
                    for (int d = 0; d < dh; d++) {
                        dot += q[i][h * dh + d] * k[j][h * dh + d];
                    }
                    s[j] = dot * scale + (mask[j] == 0 ? -10000.0 : 0.0);
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < t; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int j = 0; j < t; j++) {
                    double p = s[j] / sum;
                    for (int d = 0; d < dh; d++) {
                        ctx[i][h * dh + d] += p * v[j][h * dh + d];
                    }
                }
            }
        }
        double[][] a = linear(ctx, get(TensorNames.layer(l, TensorNames.OUT_W)), get(TensorNames.layer(l, TensorNames.OUT_B)), n);
        double[][] y = layerNorm(add(a, x), get(TensorNames.layer(l, TensorNames.ATTN_LN_GAMMA)),
                get(TensorNames.layer(l, TensorNames.ATTN_LN_BETA)));
        double[][] f = linear(y, get(TensorNames.layer(l, TensorNames.FFN_IN_W)), get(TensorNames.layer(l, TensorNames.FFN_IN_B)),
                c.intermediate());
        for (double[] row : f) {
            for (int d = 0; d < row.length; d++) {
                row[d] = gelu(row[d]);
            }
        }
        double[][] o = linear(f, get(TensorNames.layer(l, TensorNames.FFN_OUT_W)), get(TensorNames.layer(l, TensorNames.FFN_OUT_B)), n);
        return layerNorm(add(o, y), get(TensorNames.layer(l, TensorNames.FFN_LN_GAMMA)),
                get(TensorNames.layer(l, TensorNames.FFN_LN_BETA)));
    }

    /** MLM logits of one hidden vector: LN(GELU(h·Wd + bd))·Eᵀ + bias. */
    double[] mlmLogits(double[] hidden) {
        int n = c.hidden();
        double[][] h = linear(new double[][] {hidden}, get(TensorNames.MLM_DENSE_W), get(TensorNames.MLM_DENSE_B), n);
        for (int d = 0; d < n; d++) {
            h[0][d] = gelu(h[0][d]);
        }
        h = layerNorm(h, get(TensorNames.MLM_LN_GAMMA), get(TensorNames.MLM_LN_BETA));
        double[] word = get(TensorNames.WORD);
        double[] bias = get(TensorNames.MLM_BIAS);
        double[] out = new double[c.vocabSize()];
        for (int v = 0; v < out.length; v++) {
            double s = bias[v];
            for (int d = 0; d < n; d++) {
                s += h[0][d] * word[v * n + d];
            }
            out[v] = s;
        }
        return out;
    }

    private double[] get(String name) {
        double[] o = overrides.get(name);
        if (o != null) {
            return o;
        }
        TensorData t = w.get(name);
        return t.toDoubleArray();
    }

    private static double[][] linear(double[][] x, double[] wt, double[] b, int out) {
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            double[] row = y[i];
            System.arraycopy(b, 0, row, 0, out);
            for (int p = 0; p < in; p++) {
                double xv = x[i][p];
                int base = p * out;
                for (int o = 0; o < out; o++) {
                    row[o] += xv * wt[base + o];
                }
            }
        }
        return y;
    }

    static double[][] add(double[][] a, double[][] b) {
        double[][] out = new double[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int d = 0; d < a[0].length; d++) {
                out[i][d] = a[i][d] + b[i][d];
            }
        }
        return out;
    }

    private double[][] layerNorm(double[][] x, double[] g, double[] b) {
        return layerNorm(x, g, b, c.layerNormEps());
    }

    /** Row-wise LayerNorm: (x − mean) / √(var + eps) · g + b, the variance over the row (biased). */
    static double[][] layerNorm(double[][] x, double[] g, double[] b, double eps) {
        double[][] out = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            double mean = 0;
            for (double v : x[i]) {
                mean += v;
            }
            mean /= x[i].length;
            double var = 0;
            for (double v : x[i]) {
                var += (v - mean) * (v - mean);
            }
            var /= x[i].length;
            double inv = 1 / Math.sqrt(var + eps);
            out[i] = new double[x[i].length];
            for (int d = 0; d < x[i].length; d++) {
                out[i][d] = (x[i][d] - mean) * inv * g[d] + b[d];
            }
        }
        return out;
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + erf(x / Math.sqrt(2)));
    }

    /**
     * erf(x) = 2/√π · e^(−x²) · Σ 2ⁿ x^(2n+1) / (1·3·…·(2n+1)): all terms positive, so no
     * cancellation; accurate to about 1e-15. |x| ≥ 6 gives ±1 to double precision.
     */
    static double erf(double x) {
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.signum(x);
        }
        double term = ax;
        double sum = ax;
        for (int n = 1; n < 500 && term > 1e-17 * sum; n++) {
            term *= 2 * ax * ax / (2 * n + 1);
            sum += term;
        }
        double r = 2 / Math.sqrt(Math.PI) * Math.exp(-ax * ax) * sum;
        return x < 0 ? -r : r;
    }
}
