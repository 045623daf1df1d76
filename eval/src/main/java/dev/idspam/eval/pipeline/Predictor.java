package dev.idspam.eval.pipeline;

import com.google.gson.JsonElement;
import dev.idspam.datasets.tokenize.Encoding;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;
import dev.idspam.runtime.InferenceModel;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Serves an exported bundle: tokenises text (single sentences or pairs), runs the inference graph
 * and returns the label with its probabilities. Runs on the stock inference-only ONNX Runtime.
 * Thread-safe for concurrent {@link #predict} calls (ONNX Runtime sessions are).
 */
public final class Predictor implements AutoCloseable {
    private final Bundle bundle;
    private final TextTokenizer tokenizer;
    private final InferenceModel model;
    private final List<String> labels = new ArrayList<>();
    private final boolean regression;
    private final int maxLength;

    /** One prediction: the label (or the value, for regression) and per-label probabilities. */
    public record Prediction(String label, double value, Map<String, Double> probabilities, float[] logits) { }

    private Predictor(Bundle bundle, TextTokenizer tokenizer, InferenceModel model) {
        this.bundle = bundle;
        this.tokenizer = tokenizer;
        this.model = model;
        for (JsonElement e : bundle.manifest().getAsJsonArray("labels")) {
            labels.add(e.getAsString());
        }
        this.regression = bundle.manifest().get("regression").getAsBoolean();
        this.maxLength = bundle.manifest().get("max_length").getAsInt();
    }

    public static Predictor open(java.nio.file.Path bundleDir) throws IOException {
        Bundle b = Bundle.open(bundleDir);
        TextTokenizer tok = TokenizerFiles.open(b.tokenizer(), bundleDir);
        try {
            return new Predictor(b, tok, InferenceModel.open(b.model()));
        } catch (RuntimeException e) {
            try {
                tok.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    public Bundle bundle() {
        return bundle;
    }

    public Prediction predict(String textA, String textB) {
        return predictAll(List.of(textA), textB == null ? null : List.of(textB)).get(0);
    }

    /** Batched prediction; {@code textsB} is null for single-sentence tasks. */
    public List<Prediction> predictAll(List<String> textsA, List<String> textsB) {
        List<Encoding> enc = tokenizer.encodeAll(textsA, textsB, maxLength);
        int rows = enc.size();
        int len = enc.stream().mapToInt(Encoding::length).max().orElse(1);
        long[] ids = new long[rows * len];
        long[] mask = new long[rows * len];
        long[] types = new long[rows * len];
        java.util.Arrays.fill(ids, tokenizer.padId());
        for (int r = 0; r < rows; r++) {
            Encoding e = enc.get(r);
            System.arraycopy(e.ids(), 0, ids, r * len, e.length());
            System.arraycopy(e.attentionMask(), 0, mask, r * len, e.length());
            System.arraycopy(e.typeIds(), 0, types, r * len, e.length());
        }
        Map<String, HostTensor> in = new LinkedHashMap<>();
        in.put(TaskModel.INPUT_IDS, HostTensor.longs(ids, rows, len));
        in.put(TaskModel.ATTENTION_MASK, HostTensor.longs(mask, rows, len));
        in.put(TaskModel.TOKEN_TYPE_IDS, HostTensor.longs(types, rows, len));
        HostTensor.Floats logits = (HostTensor.Floats) model.run(new Batch(in)).get(TaskModel.LOGITS);
        int width = logits.size() / rows;
        List<Prediction> out = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            float[] row = new float[width];
            System.arraycopy(logits.data(), r * width, row, 0, width);
            out.add(toPrediction(row));
        }
        return out;
    }

    private Prediction toPrediction(float[] row) {
        if (regression) {
            return new Prediction(Float.toString(row[0]), row[0], Map.of(), row);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (float v : row) {
            max = Math.max(max, v);
        }
        double z = 0;
        double[] p = new double[row.length];
        for (int k = 0; k < row.length; k++) {
            p[k] = Math.exp(row[k] - max);
            z += p[k];
        }
        Map<String, Double> probs = new LinkedHashMap<>();
        for (int k = 0; k < row.length; k++) {
            probs.put(k < labels.size() ? labels.get(k) : Integer.toString(k), p[k] / z);
        }
        int best = Scoring.argmax(row);
        return new Prediction(best < labels.size() ? labels.get(best) : Integer.toString(best), best, probs, row);
    }

    @Override
    public void close() {
        model.close();
        try {
            tokenizer.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the tokenizer", e);
        }
    }
}
