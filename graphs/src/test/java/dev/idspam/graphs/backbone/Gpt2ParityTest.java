package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.ParameterInit;
import dev.idspam.graphs.methods.head.ClassificationHead;
import dev.idspam.graphs.methods.head.HeadConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tiny GPT-2 checkpoints written as Hugging Face writes them are imported bit-exactly, and the graph
 * built from them matches {@link ReferenceDecoder} (double precision) within 1e-5, max abs, on every
 * block output, on the hidden states after ln_f and on the logits of the task head reading the last
 * real token: with and without padding, with and without a prompt injected at layer m.
 */
class Gpt2ParityTest {
    private static final double TOL = 1e-5;
    private static final int PROMPT = 3;
    private static final int CLASSES = 3;

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}, {1}")
    @CsvSource({"BASE_MODEL, tiny", "LM_HEAD_MODEL, tiny", "BASE_MODEL, narrow", "LM_HEAD_MODEL, narrow"})
    void importedCheckpointMatchesTheReference(TinyGpt2.Layout layout, String size) throws Exception {
        BackboneConfig c = size.equals("tiny") ? TinyGpt2.config() : TinyGpt2.narrowConfig();
        BackboneWeights original = TinyGpt2.random(c, 31);
        Path dir = tmp.resolve(layout + "-" + size);
        TinyGpt2.write(dir, original, layout);

        BackboneWeights imported = HuggingFaceImporter.read(dir);

        assertThat(imported.config()).isEqualTo(c);
        assertThat(imported.tensors().keySet()).containsExactlyElementsOf(original.tensors().keySet());
        for (Map.Entry<String, TensorData> e : original.tensors().entrySet()) {
            assertThat(imported.get(e.getKey())).as(e.getKey()).isEqualTo(e.getValue());
        }
        ReferenceDecoder ref = new ReferenceDecoder(imported);
        int[] padded = {9, 4, 6};
        int[] unpadded = {7, 7};
        for (int m = -1; m < c.layers(); m++) {
            for (int[] lengths : new int[][] {unpadded, padded}) {
                double diff = maxDiff(imported, ref, lengths, m);
                System.out.printf(Locale.ROOT, "gpt2 parity %s %s, %s, %s: max |graph - reference| %.2e%n", layout, size,
                        lengths == padded ? "padded" : "no padding", m < 0 ? "no prompt" : "prompt at layer " + m, diff);
                assertThat(diff).as("%s %s, lengths %s, injection at %d", layout, size, java.util.Arrays.toString(lengths), m)
                        .isLessThan(TOL);
            }
        }
    }

    @Test
    void thePromptIsAPrefixAndTheMaskIsCausal() throws Exception {
        BackboneWeights w = TinyGpt2.random(TinyGpt2.config(), 32);
        ReferenceDecoder ref = new ReferenceDecoder(w);
        double[][] prompt = prompt(w.config().hidden());
        // negative controls: a reference with the prompt at another layer, and one without the prompt
        Fixture f = fixture(w, 1, prompt);
        Batch batch = batch(w.config(), new int[] {8, 5}, 3);
        try (GraphRunner run = new GraphRunner(f.graph)) {
            Map<String, GraphRunner.Out> out = run.run(batch.feeds(), "last");
            double wrongLayer = 0;
            for (int b = 0; b < 2; b++) {
                double[][] other = ref.forward(batch.ids[b], batch.mask[b], 0, prompt).last();
                wrongLayer = Math.max(wrongLayer, rowsDiff(out.get("last"), b, other, extended(batch.mask[b], PROMPT)));
            }
            assertThat(wrongLayer).as("the same prompt at layer 0 instead of 1").isGreaterThan(1e-2);
        }
        // causality: changing the last real token leaves every earlier position of the graph as it was
        Batch changed = batch.copy();
        changed.ids[0][7] = (changed.ids[0][7] + 1) % w.config().vocabSize();
        try (GraphRunner run = new GraphRunner(f.graph)) {
            GraphRunner.Out a = run.run(batch.feeds(), "last").get("last");
            GraphRunner.Out bOut = run.run(changed.feeds(), "last").get("last");
            double before = 0;
            double at = 0;
            int n = w.config().hidden();
            for (int i = 0; i < PROMPT + 8; i++) {
                for (int d = 0; d < n; d++) {
                    double diff = Math.abs(a.at(0, i, d) - bOut.at(0, i, d));
                    if (i < PROMPT + 7) {
                        before = Math.max(before, diff);
                    } else {
                        at = Math.max(at, diff);
                    }
                }
            }
            assertThat(before).as("earlier positions and the prompt after changing the last token").isZero();
            assertThat(at).as("the changed position itself").isGreaterThan(1e-3);
        }
    }

    /** The largest deviation over embeddings, every block, ln_f and the head's logits for one batch and one m. */
    private static double maxDiff(BackboneWeights w, ReferenceDecoder ref, int[] lengths, int m) throws Exception {
        BackboneConfig c = w.config();
        double[][] prompt = m < 0 ? null : prompt(c.hidden());
        Fixture f = fixture(w, m, prompt);
        Batch batch = batch(c, lengths, 17 + m);
        String[] names = new String[c.layers() + 3];
        names[0] = "embeddings";
        for (int i = 0; i < c.layers(); i++) {
            names[i + 1] = "layer_" + i;
        }
        names[c.layers() + 1] = "last";
        names[c.layers() + 2] = "logits";
        int t = m < 0 ? 0 : PROMPT;
        double max = 0;
        try (GraphRunner run = new GraphRunner(f.graph)) {
            Map<String, GraphRunner.Out> out = run.run(batch.feeds(), names);
            for (int b = 0; b < lengths.length; b++) {
                ReferenceDecoder.Result r = ref.forward(batch.ids[b], batch.mask[b], m, prompt);
                long[] mask = batch.mask[b];
                max = Math.max(max, rowsDiff(out.get("embeddings"), b, r.embeddings(), mask));
                for (int i = 0; i < c.layers(); i++) {
                    long[] rows = m >= 0 && i >= m ? extended(mask, t) : mask;
                    max = Math.max(max, rowsDiff(out.get("layer_" + i), b, r.blocks().get(i), rows));
                }
                max = Math.max(max, rowsDiff(out.get("last"), b, r.last(), extended(mask, t)));
                double[] logits = ReferenceDecoder.head(r.last()[t + lengths[b] - 1], f.head);
                for (int k = 0; k < CLASSES; k++) {
                    max = Math.max(max, Math.abs(out.get("logits").at(b, k) - logits[k]));
                }
            }
        }
        return max;
    }

    record Fixture(Graph graph, Map<String, float[]> head) { }

    /** Decoder graph (prompt constant [t, n] injected at m unless m &lt; 0) plus the last-token head. */
    static Fixture fixture(BackboneWeights w, int m, double[][] prompt) {
        BackboneConfig c = w.config();
        GraphBuilder b = new GraphBuilder("gpt2_test");
        Value ids = b.input("input_ids", DType.INT64, Shape.of("batch", "seq"));
        Value mask = b.input("attention_mask", DType.INT64, Shape.of("batch", "seq"));
        Map<String, Value> values = EncoderBuilder.bindWeights(b, w, EncoderBuilder.WeightBinding.FROZEN, "");
        Injection injection = null;
        if (m >= 0) {
            int n = c.hidden();
            float[] p = new float[prompt.length * n];
            for (int i = 0; i < p.length; i++) {
                p[i] = (float) prompt[i / n][i % n];
            }
            injection = Injection.prepend(m, (gb, at) -> {
                Ops o = gb.ops();
                Value param = gb.parameter("prompt", TensorData.ofFloats(new long[] {prompt.length, n}, p), true);
                return o.expand(o.unsqueeze(param, 0), o.concat(0, o.shape(at.hidden(), 0, 1), o.longs(1, 1)));
            });
        }
        Encoder dec = EncoderBuilder.build(b, c, values, ids, mask, null, injection);
        Value logits = ClassificationHead.logits(b, HeadConfig.classification(CLASSES).withPooling(HeadConfig.Pooling.LAST),
                new ParameterInit(5), dec.lastHiddenState(), c.hidden(), m < 0 ? 0 : prompt.length, mask, false);
        b.output(dec.embeddingOutput(), "embeddings");
        for (int i = 0; i < dec.layerOutputs().size(); i++) {
            b.output(dec.layerOutputs().get(i), "layer_" + i);
        }
        b.output(dec.lastHiddenState(), "last");
        b.output(logits, "logits");
        Graph g = b.build();
        Map<String, float[]> head = new HashMap<>();
        for (Parameter p : g.parameters()) {
            if (p.name().startsWith("head.")) {
                head.put(p.name(), p.initial().toFloats());
            }
        }
        return new Fixture(g, head);
    }

    /** Prompt vectors in [−1, 1), seeded. */
    static double[][] prompt(int n) {
        SplittableRandom r = new SplittableRandom(5);
        double[][] p = new double[PROMPT][n];
        for (double[] row : p) {
            for (int d = 0; d < n; d++) {
                row[d] = (float) (r.nextDouble() * 2 - 1);
            }
        }
        return p;
    }

    /** Rows of random ids, padded on the right with the end-of-text id (mask 0). */
    record Batch(long[][] ids, long[][] mask) {
        Map<String, long[][]> feeds() {
            Map<String, long[][]> m = new LinkedHashMap<>();
            m.put("input_ids", ids);
            m.put("attention_mask", mask);
            return m;
        }

        Batch copy() {
            long[][] i = new long[ids.length][];
            for (int r = 0; r < ids.length; r++) {
                i[r] = ids[r].clone();
            }
            return new Batch(i, mask);
        }
    }

    static Batch batch(BackboneConfig c, int[] lengths, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int max = java.util.Arrays.stream(lengths).max().orElseThrow();
        long[][] ids = new long[lengths.length][max];
        long[][] mask = new long[lengths.length][max];
        for (int b = 0; b < lengths.length; b++) {
            for (int i = 0; i < max; i++) {
                boolean real = i < lengths[b];
                ids[b][i] = real ? r.nextInt(c.vocabSize()) : c.padTokenId();
                mask[b][i] = real ? 1 : 0;
            }
        }
        return new Batch(ids, mask);
    }

    /** [1]·t followed by the mask. */
    static long[] extended(long[] mask, int t) {
        long[] out = new long[t + mask.length];
        java.util.Arrays.fill(out, 0, t, 1);
        System.arraycopy(mask, 0, out, t, mask.length);
        return out;
    }

    /** Max |graph − reference| over the rows whose mask is 1. */
    static double rowsDiff(GraphRunner.Out out, int b, double[][] rows, long[] mask) {
        double max = 0;
        int n = (int) out.shape()[2];
        for (int i = 0; i < rows.length; i++) {
            if (mask[i] == 0) {
                continue;
            }
            for (int d = 0; d < n; d++) {
                max = Math.max(max, Math.abs(out.at(b, i, d) - rows[i][d]));
            }
        }
        return max;
    }
}
