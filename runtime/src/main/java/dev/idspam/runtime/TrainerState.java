package dev.idspam.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import dev.idspam.graphs.artifacts.ArtifactFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a resumed run needs besides weights and optimizer state: counters, best epoch, history, the
 * settings that determine the result, and the caller's fingerprint of the run (data and options,
 * {@link TrainConfig#fingerprint()}). Stored as JSON in a string property of {@code last.ckpt}
 * (string, not int: ORT 1.24.1 corrupts int properties set from Java, pitfall 17), so weights,
 * counters and what the run was started with are saved in one atomic file.
 */
record TrainerState(int version, int epochsCompleted, long optimizerSteps, int bestEpoch, double bestMetric,
                    Settings settings, Map<String, String> fingerprint, List<EpochSummary> history) {
    static final int VERSION = 1;
    private static final String BATCHES_PER_EPOCH = "batches per epoch";
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues()
            .setStrictness(Strictness.LENIENT).create();

    /**
     * Everything the trainer itself sees that must be equal for a resumed run to reproduce an
     * uninterrupted one. Differences are named as on the command line.
     */
    record Settings(double learningRate, double warmupRatio, int gradientAccumulationSteps, int epochs, long seed,
                    int batchesPerEpoch, String trainingModelSha256) {
        List<String> differences(Settings now) {
            List<String> diffs = new ArrayList<>();
            diff(diffs, "--lr", learningRate, now.learningRate);
            diff(diffs, "--warmup-ratio", warmupRatio, now.warmupRatio);
            diff(diffs, "--grad-accumulation", gradientAccumulationSteps, now.gradientAccumulationSteps);
            diff(diffs, "--epochs", epochs, now.epochs);
            diff(diffs, "--seed", seed, now.seed);
            diff(diffs, BATCHES_PER_EPOCH, batchesPerEpoch, now.batchesPerEpoch);
            diff(diffs, "training_model.onnx SHA-256", trainingModelSha256, now.trainingModelSha256);
            return diffs;
        }
    }

    private static void diff(List<String> out, String name, Object saved, Object now) {
        if (!java.util.Objects.equals(saved, now)) {
            out.add(name + " was " + (saved == null ? "not set" : saved) + ", now " + (now == null ? "not set" : now));
        }
    }

    TrainerState {
        history = List.copyOf(history);
        fingerprint = fingerprint == null ? null : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fingerprint));
    }

    static TrainerState initial(Settings settings, Map<String, String> fingerprint) {
        return new TrainerState(VERSION, 0, 0, -1, Double.NaN, settings, fingerprint, List.of());
    }

    /**
     * Refuses to resume when anything the run was started with differs now, naming each item
     * ("--max-train-samples was 200, now 100"): fingerprint items first, in their order, then the
     * trainer's settings. A state saved without a fingerprint has only its settings compared.
     */
    void requireResumableWith(Settings now, Map<String, String> nowFingerprint, Path checkpoint) {
        List<String> diffs = new ArrayList<>();
        if (fingerprint != null) {
            Set<String> keys = new LinkedHashSet<>(fingerprint.keySet());
            keys.addAll(nowFingerprint.keySet());
            for (String k : keys) {
                diff(diffs, k, fingerprint.get(k), nowFingerprint.get(k));
            }
        }
        for (String d : settings.differences(now)) {
            // the batch count follows from the data and the batch size: named only when nothing else explains it
            if (diffs.isEmpty() || !d.startsWith(BATCHES_PER_EPOCH)) {
                diffs.add(d);
            }
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("cannot resume " + checkpoint + ": " + String.join("; ", diffs)
                    + ". A resumed run must use the data and options it was started with: run train again with those,"
                    + " or remove the run's checkpoints (last.ckpt, best.ckpt) to start over");
        }
    }

    boolean improves(double metric, boolean higherIsBetter) {
        if (Double.isNaN(metric)) {
            return false;
        }
        if (bestEpoch < 0) {
            return true;
        }
        return higherIsBetter ? metric > bestMetric : metric < bestMetric;
    }

    TrainerState after(EpochSummary s, boolean best) {
        List<EpochSummary> h = new ArrayList<>(history);
        h.add(s);
        return new TrainerState(VERSION, s.epoch() + 1, s.optimizerSteps(), best ? s.epoch() : bestEpoch,
                best ? s.dev().metric() : bestMetric, settings, fingerprint, h);
    }

    String toJson() {
        return GSON.toJson(this);
    }

    static TrainerState fromJson(String json, Path source) throws ArtifactFormatException {
        TrainerState s;
        try {
            s = GSON.fromJson(json, TrainerState.class);
        } catch (JsonParseException | IllegalArgumentException e) {
            throw new ArtifactFormatException(source + ": trainer state is not readable (" + e.getMessage() + ")", e);
        }
        if (s == null || s.version() != VERSION || s.settings() == null) {
            throw new ArtifactFormatException(source + ": trainer state version " + (s == null ? "?" : s.version())
                    + " is not supported (expected " + VERSION + ")");
        }
        return s;
    }
}
