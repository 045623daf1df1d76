package dev.idspam.graphs.backbone;

import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.Value;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Shared by the encoder tests: builds an encoder graph with named outputs and compares it to {@link ReferenceEncoder}. */
final class EncoderParity {
    static final String IDS = "input_ids";
    static final String MASK = "attention_mask";
    static final String TYPES = "token_type_ids";

    private EncoderParity() {
    }

    /** A padded batch: real tokens, then padding (id = pad, type 0, mask 0). */
    record Batch(long[][] ids, long[][] types, long[][] mask) {
        int size() {
            return ids.length;
        }

        Map<String, long[][]> feeds(boolean withTypes) {
            Map<String, long[][]> m = new LinkedHashMap<>();
            m.put(IDS, ids);
            m.put(MASK, mask);
            if (withTypes) {
                m.put(TYPES, types);
            }
            return m;
        }
    }

    static Batch randomBatch(BackboneConfig c, int[] lengths, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int max = java.util.Arrays.stream(lengths).max().orElseThrow();
        long[][] ids = new long[lengths.length][max];
        long[][] types = new long[lengths.length][max];
        long[][] mask = new long[lengths.length][max];
        for (int b = 0; b < lengths.length; b++) {
            for (int i = 0; i < max; i++) {
                boolean real = i < lengths[b];
                long id;
                do {
                    id = r.nextInt(c.vocabSize());
                } while (id == c.padTokenId());
                ids[b][i] = real ? id : c.padTokenId();
                types[b][i] = real && i >= lengths[b] / 2 ? c.typeVocabSize() - 1 : 0;
                mask[b][i] = real ? 1 : 0;
            }
        }
        return new Batch(ids, types, mask);
    }

    /**
     * Encoder graph with outputs {@code embeddings}, {@code layer_<i>} and {@code word_embeddings};
     * the caller may add more through {@code extra}.
     */
    static Graph graph(BackboneWeights w, EncoderBuilder.WeightBinding how, boolean withTypes,
                       java.util.function.Function<GraphBuilder, Injection> injection, ProjectionHook hook) {
        return graphWith(w, how, withTypes, b -> EncoderChanges.of(injection == null ? null : injection.apply(b), hook));
    }

    /** The same graph for a method that changes several places ({@link EncoderChanges}). */
    static Graph graphWith(BackboneWeights w, EncoderBuilder.WeightBinding how, boolean withTypes,
                           java.util.function.Function<GraphBuilder, EncoderChanges> changes) {
        GraphBuilder b = new GraphBuilder("encoder_test");
        Value ids = b.input(IDS, DType.INT64, Shape.of("batch", "seq"));
        Value mask = b.input(MASK, DType.INT64, Shape.of("batch", "seq"));
        Value types = withTypes ? b.input(TYPES, DType.INT64, Shape.of("batch", "seq")) : null;
        Map<String, Value> values = EncoderBuilder.bindWeights(b, w, how, "");
        Encoder enc = EncoderBuilder.buildWith(b, w.config(), values, ids, mask, types, changes.apply(b));
        b.output(enc.embeddingOutput(), "embeddings");
        b.output(enc.wordEmbeddings(), "word_embeddings");
        for (int i = 0; i < enc.layerOutputs().size(); i++) {
            b.output(enc.layerOutputs().get(i), "layer_" + i);
        }
        b.output(enc.attentionMask(), "mask_out");
        return b.build();
    }

    /** Max |graph − reference| over rows whose mask is 1; {@code rows} is [T][n] for batch element {@code b}. */
    static double maxDiff(GraphRunner.Out out, int b, double[][] rows, long[] mask) {
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

    /** Runs the graph on the batch and returns the largest deviation from the reference over all layers. */
    static double maxDiffAllLayers(GraphRunner runner, BackboneWeights w, Batch batch, boolean withTypes,
                                   ReferenceEncoder ref, int injectAt, double[][] prompt) throws Exception {
        int layers = w.config().layers();
        String[] names = new String[layers + 1];
        names[0] = "embeddings";
        for (int i = 0; i < layers; i++) {
            names[i + 1] = "layer_" + i;
        }
        Map<String, GraphRunner.Out> out = runner.run(batch.feeds(withTypes), names);
        double max = 0;
        for (int b = 0; b < batch.size(); b++) {
            ReferenceEncoder.Result r = ref.forward(batch.ids()[b], withTypes ? batch.types()[b] : null, batch.mask()[b],
                    injectAt, prompt);
            max = Math.max(max, maxDiff(out.get("embeddings"), b, r.embeddings(), batch.mask()[b]));
            for (int i = 0; i < layers; i++) {
                long[] m = batch.mask()[b];
                if (injectAt >= 0 && i >= injectAt) {
                    long[] ext = new long[prompt.length + m.length];
                    java.util.Arrays.fill(ext, 0, prompt.length, 1);
                    System.arraycopy(m, 0, ext, prompt.length, m.length);
                    m = ext;
                }
                max = Math.max(max, maxDiff(out.get("layer_" + i), b, r.layers().get(i), m));
            }
        }
        return max;
    }

    static List<String> layerNames(int layers) {
        return java.util.stream.IntStream.range(0, layers).mapToObj(i -> "layer_" + i).toList();
    }
}
