package dev.idspam.graphs.backbone;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.onnx.OnnxWriter;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Forward throughput of the rebuilt MiniLM encoder against the original ONNX export on ONNX Runtime
 * CPU (2 intra-op threads, optimization level ALL, intra-op spinning off so the two idle pools do
 * not steal the cores from each other), batch 32 × 128 tokens of real RTE pairs, the same input
 * tensors for both, warm-up then interleaved repetitions (alternating which model goes first).
 * <pre>
 *   mvn -q -o -pl graphs test -Dtest=EncoderBenchmark -Didspam.benchmark=true [-Didspam.benchmark.reps=10]
 * </pre>
 * or {@code java -cp <test classpath> dev.idspam.graphs.backbone.EncoderBenchmark [reps]}.
 */
@Tag("benchmark")
public final class EncoderBenchmark {
    static final int BATCH = 32;
    static final int TOKENS = 128;

    /** Medians in milliseconds per batch and the throughput ratio rebuilt / original. */
    record Result(double originalMs, double rebuiltMs, double maxAbsDiff) {
        double ratio() {
            return originalMs / rebuiltMs;
        }
    }

    public static void main(String[] args) throws Exception {
        run(args.length > 0 ? Integer.parseInt(args[0]) : 10);
    }

    @Test
    @EnabledIfSystemProperty(named = "idspam.benchmark", matches = "true")
    void rebuiltMiniLmIsAsFastAsTheOriginal() throws Exception {
        Result r = run(Integer.getInteger("idspam.benchmark.reps", 10));
        assertThat(r.maxAbsDiff()).isLessThan(1e-4);
        assertThat(r.ratio()).as("rebuilt throughput / original throughput").isGreaterThanOrEqualTo(0.9);
    }

    static Result run(int reps) throws Exception {
        if (reps < 5) {
            throw new IllegalArgumentException("use at least 5 timed repetitions, got " + reps);
        }
        BackboneSource src = BackboneCatalog.resolve("minilm-l6");
        byte[] original = src.model().readAllBytes();
        BackboneWeights w = OnnxEncoderImporter.fromBytes(original, src.model().toString());
        GraphBuilder b = new GraphBuilder("minilm_rebuilt");
        Value ids = b.input(EncoderParity.IDS, DType.INT64, Shape.of("batch", "seq"));
        Value mask = b.input(EncoderParity.MASK, DType.INT64, Shape.of("batch", "seq"));
        Value types = b.input(EncoderParity.TYPES, DType.INT64, Shape.of("batch", "seq"));
        Encoder enc = EncoderBuilder.build(b, w.config(), EncoderBuilder.bindWeights(b, w, EncoderBuilder.WeightBinding.CONSTANT, ""),
                ids, mask, types, null);
        b.output(enc.lastHiddenState(), "last_hidden_state");
        byte[] rebuilt = OnnxWriter.toBytes(b.build());

        List<String[]> rows = RealText.rte(BATCH);
        EncoderParity.Batch batch;
        try (HuggingFaceTokenizer tok = RealText.tokenizer(src, TOKENS)) {
            batch = RealText.encode(tok, rows.stream().map(r -> r[1]).toList(), rows.stream().map(r -> r[2]).toList(), TOKENS);
        }
        long realTokens = Arrays.stream(batch.mask()).flatMapToLong(Arrays::stream).sum();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions opts = GraphRunner.options(2);
             OrtSession a = env.createSession(original, opts);
             OrtSession r = env.createSession(rebuilt, opts);
             OnnxTensor tIds = tensor(env, batch.ids());
             OnnxTensor tMask = tensor(env, batch.mask());
             OnnxTensor tTypes = tensor(env, batch.types())) {
            Map<String, OnnxTensor> feed = Map.of(EncoderParity.IDS, tIds, EncoderParity.MASK, tMask, EncoderParity.TYPES, tTypes);
            double diff = maxDiff(a, r, feed, batch.mask());
            for (int i = 0; i < 3; i++) {
                time(a, feed);
                time(r, feed);
            }
            double[] ta = new double[reps];
            double[] tr = new double[reps];
            for (int i = 0; i < reps; i++) {
                if (i % 2 == 0) {
                    ta[i] = time(a, feed);
                    tr[i] = time(r, feed);
                } else {
                    tr[i] = time(r, feed);
                    ta[i] = time(a, feed);
                }
            }
            Result res = new Result(median(ta), median(tr), diff);
            System.out.printf("MiniLM-L6 forward, ONNX Runtime CPU, 2 intra-op threads, level ALL, batch %d x %d tokens"
                    + " (%d real), %d interleaved reps after 3 warm-ups%n", BATCH, TOKENS, realTokens, reps);
            System.out.printf("  original ONNX : median %7.1f ms/batch  %7.1f seq/s   (min %.1f, max %.1f ms)%n",
                    res.originalMs(), BATCH * 1000 / res.originalMs(), min(ta), max(ta));
            System.out.printf("  rebuilt graph : median %7.1f ms/batch  %7.1f seq/s   (min %.1f, max %.1f ms)%n",
                    res.rebuiltMs(), BATCH * 1000 / res.rebuiltMs(), min(tr), max(tr));
            System.out.printf("  throughput ratio rebuilt/original = %.3f (required >= 0.9); last_hidden_state max |diff| %.2g%n",
                    res.ratio(), diff);
            return res;
        }
    }

    private static OnnxTensor tensor(OrtEnvironment env, long[][] v) throws Exception {
        LongBuffer lb = LongBuffer.allocate(v.length * v[0].length);
        for (long[] row : v) {
            lb.put(row);
        }
        lb.flip();
        return OnnxTensor.createTensor(env, lb, new long[] {v.length, v[0].length});
    }

    private static double time(OrtSession s, Map<String, OnnxTensor> feed) throws Exception {
        long t0 = System.nanoTime();
        try (OrtSession.Result ignored = s.run(feed)) {
            return (System.nanoTime() - t0) / 1e6;
        }
    }

    private static double maxDiff(OrtSession a, OrtSession r, Map<String, OnnxTensor> feed, long[][] mask) throws Exception {
        try (OrtSession.Result ra = a.run(feed); OrtSession.Result rr = r.run(feed)) {
            FloatBuffer fa = ((OnnxTensor) ra.get(0)).getFloatBuffer();
            FloatBuffer fr = ((OnnxTensor) rr.get(0)).getFloatBuffer();
            int n = fa.capacity() / (mask.length * mask[0].length);
            double max = 0;
            for (int i = 0; i < fa.capacity(); i++) {
                int tok = i / n;
                if (mask[tok / mask[0].length][tok % mask[0].length] == 1) {
                    max = Math.max(max, Math.abs(fa.get(i) - fr.get(i)));
                }
            }
            return max;
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElseThrow();
    }

    private static double max(double[] v) {
        return Arrays.stream(v).max().orElseThrow();
    }
}
