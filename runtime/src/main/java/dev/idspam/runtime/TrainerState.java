package dev.idspam.runtime;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import dev.idspam.graphs.artifacts.ArtifactFormatException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a resumed run needs besides weights and optimizer state: counters, best epoch, history, and
 * the settings that determine the result. Stored as JSON in a string property of {@code last.ckpt}
 * (string, not int: ORT 1.24.1 corrupts int properties set from Java, pitfall 17), so weights and
 * counters are saved in one atomic file.
 */
record TrainerState(int version, int epochsCompleted, long optimizerSteps, int bestEpoch, double bestMetric,
                    Settings settings, List<EpochSummary> history) {
    static final int VERSION = 1;
    private static final Gson GSON = new GsonBuilder().serializeSpecialFloatingPointValues()
            .setStrictness(Strictness.LENIENT).create();

    /** Everything that must be equal for a resumed run to reproduce an uninterrupted one. */
    record Settings(double learningRate, double warmupRatio, int gradientAccumulationSteps, int epochs, long seed,
                    int batchesPerEpoch, String trainingModelSha256) {
        void requireSameAs(Settings now, Path checkpoint) {
            List<String> diffs = new ArrayList<>();
            diff(diffs, "learningRate", learningRate, now.learningRate);
            diff(diffs, "warmupRatio", warmupRatio, now.warmupRatio);
            diff(diffs, "gradientAccumulationSteps", gradientAccumulationSteps, now.gradientAccumulationSteps);
            diff(diffs, "epochs", epochs, now.epochs);
            diff(diffs, "seed", seed, now.seed);
            diff(diffs, "batchesPerEpoch", batchesPerEpoch, now.batchesPerEpoch);
            diff(diffs, "training model SHA-256", trainingModelSha256, now.trainingModelSha256);
            if (!diffs.isEmpty()) {
                throw new IllegalStateException("cannot resume " + checkpoint + ": " + String.join("; ", diffs)
                        + ". A resumed run must use the original settings to reproduce the uninterrupted run;"
                        + " use them, or start a new run directory");
            }
        }

        private static void diff(List<String> out, String name, Object saved, Object now) {
            if (!saved.equals(now)) {
                out.add(name + " was " + saved + ", this run has " + now);
            }
        }
    }

    TrainerState {
        history = List.copyOf(history);
    }

    static TrainerState initial(Settings settings) {
        return new TrainerState(VERSION, 0, 0, -1, Double.NaN, settings, List.of());
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
                best ? s.dev().metric() : bestMetric, settings, h);
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
