package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.onnx.OnnxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncoderBuilderTest {
    private static final double TOL = 1e-5;

    @ParameterizedTest
    @ValueSource(strings = {"BERT", "ROBERTA"})
    void tinyEncoderMatchesDoubleReference(String family) throws Exception {
        BackboneWeights w = TinyBackbones.random(family.equals("BERT") ? TinyBackbones.bertConfig()
                : TinyBackbones.robertaConfig(), 11);
        Graph g = EncoderParity.graph(w, EncoderBuilder.WeightBinding.FROZEN, true, null, null);
        try (GraphRunner run = new GraphRunner(g)) {
            // one session, two batch shapes (symbolic B and L)
            for (int[] lengths : new int[][] {{7, 3, 5}, {2, 9}}) {
                EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), lengths, lengths.length);
                double diff = EncoderParity.maxDiffAllLayers(run, w, batch, true, new ReferenceEncoder(w), -1, null);
                assertThat(diff).as("max |graph - reference| for lengths %s", java.util.Arrays.toString(lengths))
                        .isLessThan(TOL);
            }
        }
    }

    @Test
    void withoutTokenTypesUsesTypeZero() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 12);
        Graph g = EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, false, null, null);
        EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), new int[] {6, 4}, 3);
        try (GraphRunner run = new GraphRunner(g)) {
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, false, new ReferenceEncoder(w), -1, null))
                    .isLessThan(TOL);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1})
    void promptInjectedAtLayerMMatchesReference(int m) throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.robertaConfig(), 13);
        int t = 3;
        int n = w.config().hidden();
        float[] p = new float[t * n];
        SplittableRandom r = new SplittableRandom(5);
        double[][] prompt = new double[t][n];
        for (int i = 0; i < p.length; i++) {
            p[i] = (float) (r.nextDouble() * 2 - 1);
            prompt[i / n][i % n] = p[i];
        }
        Graph g = EncoderParity.graph(w, EncoderBuilder.WeightBinding.FROZEN, true, b -> Injection.prepend(m, (gb, at) -> {
            Ops o = gb.ops();
            Value param = gb.parameter("prompt", TensorData.ofFloats(new long[] {t, n}, p), true);
            Value target = o.concat(0, o.shape(at.hidden(), 0, 1), o.longs(1, 1));
            return o.expand(o.unsqueeze(param, 0), target);
        }), null);
        EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), new int[] {5, 8, 2}, 9);
        try (GraphRunner run = new GraphRunner(g)) {
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, true, new ReferenceEncoder(w), m, prompt))
                    .isLessThan(TOL);
            // negative control: the same prompt at the other layer is detected
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, true, new ReferenceEncoder(w), 1 - m, prompt))
                    .isGreaterThan(1e-2);
            GraphRunner.Out last = run.run(batch.feeds(true), "layer_" + (w.config().layers() - 1)).values().iterator().next();
            assertThat(last.shape()).containsExactly(3, t + 8, n);
        }
    }

    @Test
    void injectionSeesInputMasksAndReturnsExtendedMask() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 14);
        Injection.Point[] seen = new Injection.Point[1];
        Graph g = EncoderParity.graph(w, EncoderBuilder.WeightBinding.FROZEN, true, b -> Injection.prepend(1, (gb, at) -> {
            seen[0] = at;
            return gb.ops().slice(at.hidden(), new long[] {0}, new long[] {2}, new long[] {1});
        }), null);
        assertThat(seen[0].layer()).isEqualTo(1);
        assertThat(seen[0].additiveMask().shape().toString()).isEqualTo("[batch, 1, 1, seq]");
        assertThat(seen[0].maskFloat().type()).isEqualTo(DType.FLOAT);
        assertThat(g.value("layer_0").shape().toString()).isEqualTo("[batch, seq, 16]");
        EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), new int[] {4, 2}, 1);
        try (GraphRunner run = new GraphRunner(g)) {
            Map<String, GraphRunner.Out> out = run.run(batch.feeds(true), "layer_1");
            assertThat(out.get("layer_1").shape()).containsExactly(2, 2 + 4, 16);
        }
    }

    @Test
    void projectionHookRewritesQAndV() throws Exception {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 15);
        int n = w.config().hidden();
        int rank = 2;
        SplittableRandom r = new SplittableRandom(8);
        float[] a = new float[n * rank];
        float[] bm = new float[rank * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (r.nextDouble() - 0.5);
            bm[i] = (float) (r.nextDouble() - 0.5);
        }
        // LoRA-style: y = x·W + b + (x·A)·B, on Q and V of every layer
        ProjectionHook lora = (b, layer, proj, x, y) -> {
            if (proj != Projection.Q && proj != Projection.V) {
                return y;
            }
            Ops o = b.ops();
            Value av = b.parameter("lora." + layer + "." + proj.shortName() + ".a", TensorData.ofFloats(new long[] {n, rank}, a), true);
            Value bv = b.parameter("lora." + layer + "." + proj.shortName() + ".b", TensorData.ofFloats(new long[] {rank, n}, bm), true);
            return o.add(y, o.matmul(o.matmul(x, av), bv));
        };
        Graph g = EncoderParity.graph(w, EncoderBuilder.WeightBinding.FROZEN, true, null, lora);
        Map<String, double[]> merged = new HashMap<>();
        for (int l = 0; l < w.config().layers(); l++) {
            for (String name : List.of(TensorNames.Q_W, TensorNames.V_W)) {
                double[] wt = w.get(TensorNames.layer(l, name)).toDoubleArray();
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int k = 0; k < rank; k++) {
                            s += (double) a[i * rank + k] * bm[k * n + j];
                        }
                        wt[i * n + j] += s;
                    }
                }
                merged.put(TensorNames.layer(l, name), wt);
            }
        }
        EncoderParity.Batch batch = EncoderParity.randomBatch(w.config(), new int[] {6, 3}, 2);
        try (GraphRunner run = new GraphRunner(g)) {
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, true, new ReferenceEncoder(w, merged), -1, null))
                    .isLessThan(TOL);
            // negative control: the comparison notices a missing hook
            assertThat(EncoderParity.maxDiffAllLayers(run, w, batch, true, new ReferenceEncoder(w), -1, null))
                    .isGreaterThan(1e-2);
        }
    }

    @Test
    void sameCallsGiveByteIdenticalModels() {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 16);
        byte[] first = OnnxWriter.toBytes(EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, true, null, null));
        byte[] second = OnnxWriter.toBytes(EncoderParity.graph(w, EncoderBuilder.WeightBinding.CONSTANT, true, null, null));
        assertThat(first).isEqualTo(second);
    }

    @Test
    void reportsMissingWeightsAndBadInputs() {
        BackboneWeights w = TinyBackbones.random(TinyBackbones.bertConfig(), 17);
        GraphBuilder b = new GraphBuilder("bad");
        Value ids = b.input("ids", DType.INT64, Shape.of("batch", "seq"));
        Value mask = b.input("mask", DType.INT64, Shape.of("batch", "seq"));
        Map<String, Value> values = new HashMap<>(EncoderBuilder.bindWeights(b, w, EncoderBuilder.WeightBinding.FROZEN, ""));
        values.remove(TensorNames.layer(1, TensorNames.FFN_OUT_B));
        assertThatThrownBy(() -> EncoderBuilder.build(b, w.config(), values, ids, mask, null, null))
                .hasMessageContaining("no value for weight 'layer.1.ffn.out.b'");
        Map<String, Value> all = EncoderBuilder.bindWeights(b, w, EncoderBuilder.WeightBinding.CONSTANT, "c.");
        assertThatThrownBy(() -> EncoderBuilder.build(b, w.config(), all, ids, mask, null, Injection.prepend(2, (gb, at) -> at.hidden())))
                .hasMessageContaining("injection layer 2 is outside 0..1");
        Value floatIds = b.input("fids", DType.FLOAT, Shape.of("batch", "seq"));
        assertThatThrownBy(() -> EncoderBuilder.build(b, w.config(), all, floatIds, mask, null, null))
                .hasMessageContaining("input_ids must be int64");
        BackboneWeights gpt = TinyGpt2.random(TinyGpt2.config(), 16);
        Map<String, Value> gptWeights = EncoderBuilder.bindWeights(b, gpt, EncoderBuilder.WeightBinding.CONSTANT, "g.");
        Value types = b.input("types", DType.INT64, Shape.of("batch", "seq"));
        assertThatThrownBy(() -> EncoderBuilder.build(b, gpt.config(), gptWeights, ids, mask, types, null))
                .hasMessageContaining("decoder:")
                .hasMessageContaining("a GPT-2 backbone has no token types: pass no token_type_ids (null)");
        assertThatThrownBy(() -> EncoderBuilder.build(b, gpt.config(), all, ids, mask, null, null))
                .hasMessageContaining("no value for weight 'final_ln.gamma'");
    }
}
