package dev.idspam.graphs.methods;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.idspam.IdSpamConfig;
import dev.idspam.graphs.methods.idspam.IdSpamGenerator;
import dev.idspam.graphs.onnx.OnnxWriter;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** The generator graph against a plain-Java double-precision implementation of docs/METHOD.md's equations. */
class IdSpamGeneratorTest {
    private static final int B = 3;
    private static final int L = 5;
    private static final int N = 8;
    private static final long[][] MASK = {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 0, 0, 0}};

    @ParameterizedTest(name = "heads={0} meanPoolOnly={1} activation={2}")
    @CsvSource({"1,false,RELU", "2,false,RELU", "1,true,RELU", "2,false,IDENTITY"})
    void matchesDoubleReference(int heads, boolean meanPoolOnly, String activation) throws Exception {
        IdSpamConfig cfg = new IdSpamConfig(3, 0, 4, heads, true, IdSpamConfig.GeneratorInput.WORD_EMBEDDINGS,
                IdSpamConfig.PromptActivation.valueOf(activation), 0.1, meanPoolOnly, 0.5);
        GraphBuilder b = new GraphBuilder("gen");
        Ops o = b.ops();
        Value e = b.input("E", DType.FLOAT, Shape.of("batch", "seq", N));
        Value mask = b.input("mask", DType.INT64, Shape.of("batch", "seq"));
        Value maskF = o.cast(mask, DType.FLOAT);
        Value additive = o.unsqueeze(o.mul(o.sub(o.scalar(1f), maskF), o.scalar(-10000f)), 1, 2);
        IdSpamGenerator.Result r = IdSpamGenerator.build(b, cfg, new ParameterInit(7), e, maskF, additive, N, false);
        b.output(r.prompt(), "S");
        var graph = b.build();
        // random non-zero biases so that every term of the reference is exercised
        SplittableRandom rnd = new SplittableRandom(11);
        Map<String, float[]> params = new HashMap<>();
        Map<String, long[]> dims = new HashMap<>();
        for (Parameter p : graph.parameters()) {
            float[] v = p.initial().toFloats();
            if (p.name().endsWith(".b")) {
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (rnd.nextDouble() - 0.5);
                }
            }
            params.put(p.name(), v);
            dims.put(p.name(), p.initial().dims());
        }
        float[] emb = new float[B * L * N];
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (float) (rnd.nextDouble() * 2 - 1);
        }
        // padded positions hold garbage that must not leak into the prompt
        float[] ort = run(graph, emb, params, dims);
        double[] ref = reference(cfg, emb, params);
        double maxDiff = 0;
        for (int i = 0; i < ref.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(ref[i] - ort[i]));
        }
        assertThat(ort).hasSize(B * 3 * N);
        assertThat(maxDiff).isLessThan(1e-5);
        assertThat(r.parameters()).hasSize(meanPoolOnly ? 4 : 10);
    }

    private static float[] run(dev.idspam.graphs.build.Graph g, float[] emb, Map<String, float[]> params,
                               Map<String, long[]> dims) throws Exception {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        long[] flatMask = new long[B * L];
        for (int i = 0; i < B; i++) {
            System.arraycopy(MASK[i], 0, flatMask, i * L, L);
        }
        Map<String, OnnxTensor> feeds = new HashMap<>();
        try (OrtSession s = env.createSession(OnnxWriter.toBytes(g), new OrtSession.SessionOptions())) {
            feeds.put("E", OnnxTensor.createTensor(env, FloatBuffer.wrap(emb), new long[] {B, L, N}));
            feeds.put("mask", OnnxTensor.createTensor(env, LongBuffer.wrap(flatMask), new long[] {B, L}));
            for (var p : params.entrySet()) {
                feeds.put(p.getKey(), OnnxTensor.createTensor(env, FloatBuffer.wrap(p.getValue()), dims.get(p.getKey())));
            }
            try (OrtSession.Result r = s.run(feeds)) {
                float[][][] out = (float[][][]) r.get("S").get().getValue();
                float[] flat = new float[B * out[0].length * N];
                int k = 0;
                for (float[][] row : out) {
                    for (float[] tok : row) {
                        for (float v : tok) {
                            flat[k++] = v;
                        }
                    }
                }
                return flat;
            }
        } finally {
            feeds.values().forEach(OnnxTensor::close);
        }
    }

    private static double[] reference(IdSpamConfig cfg, float[] emb, Map<String, float[]> p) {
        int t = cfg.promptTokens();
        int c = cfg.bottleneckFor(N);
        int heads = cfg.heads();
        int dk = N / heads;
        double[] out = new double[B * t * N];
        for (int bi = 0; bi < B; bi++) {
            double[][] e = new double[L][N];
            for (int l = 0; l < L; l++) {
                for (int j = 0; j < N; j++) {
                    e[l][j] = emb[(bi * L + l) * N + j];
                }
            }
            double[][] att;
            if (cfg.meanPoolOnly()) {
                att = e;
            } else {
                double[][] q = lin(e, p.get("idspam.q.w"), p.get("idspam.q.b"), N, N);
                double[][] k = lin(e, p.get("idspam.k.w"), p.get("idspam.k.b"), N, N);
                double[][] v = lin(e, p.get("idspam.v.w"), p.get("idspam.v.b"), N, N);
                att = new double[L][N];
                for (int h = 0; h < heads; h++) {
                    for (int i = 0; i < L; i++) {
                        double[] s = new double[L];
                        double max = Double.NEGATIVE_INFINITY;
                        for (int j = 0; j < L; j++) {
                            double dot = 0;
                            for (int d = 0; d < dk; d++) {
                                dot += q[i][h * dk + d] * k[j][h * dk + d];
                            }
                            s[j] = dot / Math.sqrt(dk) + (MASK[bi][j] == 1 ? 0 : -10000);
                            max = Math.max(max, s[j]);
                        }
                        double z = 0;
                        for (int j = 0; j < L; j++) {
                            s[j] = Math.exp(s[j] - max);
                            z += s[j];
                        }
                        for (int j = 0; j < L; j++) {
                            for (int d = 0; d < dk; d++) {
                                att[i][h * dk + d] += s[j] / z * v[j][h * dk + d];
                            }
                        }
                    }
                }
            }
            double[][] pooled = new double[1][N];
            int real = 0;
            for (int l = 0; l < L; l++) {
                if (MASK[bi][l] == 1) {
                    real++;
                    for (int j = 0; j < N; j++) {
                        pooled[0][j] += att[l][j];
                    }
                }
            }
            for (int j = 0; j < N; j++) {
                pooled[0][j] /= real;
            }
            double[][] h = lin(pooled, p.get("idspam.down.w"), p.get("idspam.down.b"), N, c);
            for (int j = 0; j < c; j++) {
                h[0][j] = Math.max(0, h[0][j]);
            }
            double[][] s = lin(h, p.get("idspam.up.w"), p.get("idspam.up.b"), c, t * N);
            for (int j = 0; j < t * N; j++) {
                double v = cfg.promptActivation() == IdSpamConfig.PromptActivation.RELU ? Math.max(0, s[0][j]) : s[0][j];
                out[bi * t * N + j] = v;
            }
        }
        return out;
    }

    private static double[][] lin(double[][] x, float[] w, float[] bias, int in, int outDim) {
        double[][] y = new double[x.length][outDim];
        for (int r = 0; r < x.length; r++) {
            for (int j = 0; j < outDim; j++) {
                double acc = bias[j];
                for (int i = 0; i < in; i++) {
                    acc += x[r][i] * w[i * outDim + j];
                }
                y[r][j] = acc;
            }
        }
        return y;
    }
}
