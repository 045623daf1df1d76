package dev.idspam.pipeline.run;

import dev.idspam.datasets.read.DatasetReader;
import dev.idspam.datasets.read.Example;
import dev.idspam.datasets.read.ReadOptions;
import dev.idspam.datasets.task.Split;
import dev.idspam.datasets.task.Task;
import dev.idspam.serving.Predictor;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Checks an exported bundle against what evaluation computed: runs the bundle's inference graph on
 * the dev split through {@link Predictor} (tokenisation included) and compares its logits with the
 * {@code dev_predictions.tsv} that training wrote from {@code evalStep}.
 */
public final class BundleCheck {
    private BundleCheck() {
    }

    /** Outcome: examples compared, how many predicted labels agree, and the largest logit difference. */
    public record Result(int examples, int sameLabel, double maxAbsLogitDiff) {
        public boolean identicalLabels() {
            return sameLabel == examples;
        }
    }

    public static Result run(Path bundleDir, Path artifactsDir, List<Path> data, int batchSize) throws IOException {
        Map<Integer, float[]> expected = readPredictions(artifactsDir.resolve(Evaluate.PREDICTIONS));
        try (Predictor p = LocalPredictor.open(bundleDir)) {
            Task task = p.bundle().manifest().task();
            List<Example> dev = DatasetReader.read(task, Split.DEV, TrainJob.locator(data, false), ReadOptions.strict())
                    .examples();
            if (dev.size() != expected.size()) {
                throw new IOException(artifactsDir.resolve(Evaluate.PREDICTIONS) + ": holds " + expected.size()
                        + " predictions, the dev split has " + dev.size() + " examples");
            }
            Map<Integer, float[]> got = ModelEvaluation.bundleLogits(p, dev, batchSize);
            int same = 0;
            double maxDiff = 0;
            for (int i = 0; i < dev.size(); i++) {
                float[] want = expected.get(i);
                float[] have = got.get(i);
                for (int k = 0; k < want.length; k++) {
                    maxDiff = Math.max(maxDiff, Math.abs(want[k] - have[k]));
                }
                if (Scoring.argmax(want) == Scoring.argmax(have)) {
                    same++;
                }
            }
            return new Result(dev.size(), same, maxDiff);
        }
    }

    static Map<Integer, float[]> readPredictions(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no evaluation predictions; train (or evaluate) the artifacts first");
        }
        Map<Integer, float[]> out = new HashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split("\t");
            if (f.length != 3) {
                throw new IOException(file + " line " + (i + 1) + ": expected 3 tab-separated fields, found " + f.length);
            }
            String[] parts = f[2].split(",");
            float[] row = new float[parts.length];
            try {
                for (int k = 0; k < parts.length; k++) {
                    row[k] = Float.parseFloat(parts[k]);
                }
                out.put(Integer.parseInt(f[0]), row);
            } catch (NumberFormatException e) {
                throw new IOException(file + " line " + (i + 1) + ": expected an example index and comma-separated logits");
            }
        }
        return out;
    }
}
