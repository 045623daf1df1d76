package dev.idspam.graphs.backbone;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A plain-Java, double-precision GPT-2 forward pass over one sequence, written from the model's
 * equations (not from {@link DecoderBuilder}): the reference the decoder graphs are checked against.
 * <pre>
 *   X_0 = wte[ids] + wpe[0..L−1]
 *   H   = X + Attn(LN_1(X)),  X' = H + W_proj·gelu_tanh(LN_2(H)·W_fc + b_fc) + b_proj
 *   out = LN_f(X_N)
 * </pre>
 * Attention is computed only over the keys a query may see (masked keys are left out of the sum
 * entirely, not given a large negative score): with t prompt rows in front, query i sees key j when
 * mask_j = 1 and (j ≤ i or j &lt; t). A prompt given with {@code injectAt} = m is put in front of the
 * hidden states entering block m, with no position embedding.
 */
final class ReferenceDecoder {
    private final BackboneWeights w;
    private final BackboneConfig c;

    ReferenceDecoder(BackboneWeights w) {
        this.w = w;
        this.c = w.config();
        if (c.family() != BackboneConfig.Family.GPT2) {
            throw new IllegalArgumentException("ReferenceDecoder computes GPT-2, got " + c.family());
        }
    }

    /**
     * @param embeddings X_0 [L][n]
     * @param blocks     the output of every block (before ln_f), [T][n] each
     * @param last       ln_f of the last block's output [T][n]
     */
    record Result(double[][] embeddings, List<double[][]> blocks, double[][] last) { }

    /**
     * @param mask     1 = real token
     * @param injectAt block before which {@code prompt} rows are put (−1: none)
     */
    Result forward(long[] ids, long[] mask, int injectAt, double[][] prompt) {
        int len = ids.length;
        int n = c.hidden();
        double[] wte = get(TensorNames.WORD);
        double[] wpe = get(TensorNames.POSITION);
        double[][] x = new double[len][n];
        for (int i = 0; i < len; i++) {
            for (int d = 0; d < n; d++) {
                x[i][d] = wte[(int) ids[i] * n + d] + wpe[i * n + d];
            }
        }
        double[][] embeddings = x;
        long[] m = mask;
        int t = 0;
        List<double[][]> blocks = new ArrayList<>();
        for (int l = 0; l < c.layers(); l++) {
            if (l == injectAt) {
                t = prompt.length;
                double[][] joined = new double[t + x.length][];
                long[] jm = new long[t + m.length];
                for (int i = 0; i < t; i++) {
                    joined[i] = prompt[i].clone();
                    jm[i] = 1;
                }
                for (int i = 0; i < x.length; i++) {
                    joined[t + i] = x[i];
                    jm[t + i] = m[i];
                }
                x = joined;
                m = jm;
            }
            x = block(l, x, m, t);
            blocks.add(x);
        }
        double[][] last = layerNorm(x, get(TensorNames.FINAL_LN_GAMMA), get(TensorNames.FINAL_LN_BETA));
        return new Result(embeddings, blocks, last);
    }

    private double[][] block(int l, double[][] x, long[] mask, int promptRows) {
        int rows = x.length;
        int n = c.hidden();
        int dh = c.headSize();
        double[][] a = layerNorm(x, get(TensorNames.layer(l, TensorNames.ATTN_LN_GAMMA)),
                get(TensorNames.layer(l, TensorNames.ATTN_LN_BETA)));
        double[][] q = linear(a, TensorNames.Q_W, TensorNames.Q_B, l, n);
        double[][] k = linear(a, TensorNames.K_W, TensorNames.K_B, l, n);
        double[][] v = linear(a, TensorNames.V_W, TensorNames.V_B, l, n);
        double[][] ctx = new double[rows][n];
        for (int h = 0; h < c.heads(); h++) {
            for (int i = 0; i < rows; i++) {
                List<Integer> keys = new ArrayList<>();
                for (int j = 0; j < rows; j++) {
                    if (mask[j] == 1 && (j <= i || j < promptRows)) {
                        keys.add(j);
                    }
                }
                double[] s = new double[keys.size()];
                double max = Double.NEGATIVE_INFINITY;
                for (int kk = 0; kk < s.length; kk++) {
                    int j = keys.get(kk);
                    double dot = 0;
                    for (int d = 0; d < dh; d++) {
                        dot += q[i][h * dh + d] * k[j][h * dh + d];
                    }
                    s[kk] = dot / Math.sqrt(dh);
                    max = Math.max(max, s[kk]);
                }
                double sum = 0;
                for (int kk = 0; kk < s.length; kk++) {
                    s[kk] = Math.exp(s[kk] - max);
                    sum += s[kk];
                }
                for (int kk = 0; kk < s.length; kk++) {
                    int j = keys.get(kk);
                    for (int d = 0; d < dh; d++) {
                        ctx[i][h * dh + d] += s[kk] / sum * v[j][h * dh + d];
                    }
                }
            }
        }
        double[][] hidden = ReferenceEncoder.add(x, linear(ctx, TensorNames.OUT_W, TensorNames.OUT_B, l, n));
        double[][] f = linear(layerNorm(hidden, get(TensorNames.layer(l, TensorNames.FFN_LN_GAMMA)),
                get(TensorNames.layer(l, TensorNames.FFN_LN_BETA))), TensorNames.FFN_IN_W, TensorNames.FFN_IN_B, l,
                c.intermediate());
        for (double[] row : f) {
            for (int d = 0; d < row.length; d++) {
                row[d] = c.activation() == BackboneConfig.Activation.GELU_TANH ? geluTanh(row[d])
                        : ReferenceEncoder.gelu(row[d]);
            }
        }
        return ReferenceEncoder.add(hidden, linear(f, TensorNames.FFN_OUT_W, TensorNames.FFN_OUT_B, l, n));
    }

    /** 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
    static double geluTanh(double x) {
        return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
    }

    /** tanh(h·W_dense + b_dense)·W_out + b_out for one hidden vector; the head's tensors as stored [in, out]. */
    static double[] head(double[] h, Map<String, float[]> headTensors) {
        float[] dw = headTensors.get("head.dense.w");
        float[] db = headTensors.get("head.dense.b");
        float[] ow = headTensors.get("head.out.w");
        float[] ob = headTensors.get("head.out.b");
        int n = h.length;
        int classes = ob.length;
        double[] d = new double[n];
        for (int j = 0; j < n; j++) {
            double acc = db[j];
            for (int i = 0; i < n; i++) {
                acc += h[i] * dw[i * n + j];
            }
            d[j] = Math.tanh(acc);
        }
        double[] out = new double[classes];
        for (int k = 0; k < classes; k++) {
            double acc = ob[k];
            for (int j = 0; j < n; j++) {
                acc += d[j] * ow[j * classes + k];
            }
            out[k] = acc;
        }
        return out;
    }

    private double[] get(String name) {
        return w.get(name).toDoubleArray();
    }

    private double[][] linear(double[][] x, String weight, String bias, int l, int out) {
        double[] wt = get(TensorNames.layer(l, weight));
        double[] b = get(TensorNames.layer(l, bias));
        int in = x[0].length;
        double[][] y = new double[x.length][out];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(b, 0, y[i], 0, out);
            for (int p = 0; p < in; p++) {
                for (int o = 0; o < out; o++) {
                    y[i][o] += x[i][p] * wt[p * out + o];
                }
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, double[] g, double[] b) {
        return ReferenceEncoder.layerNorm(x, g, b, c.layerNormEps());
    }
}
