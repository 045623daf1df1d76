package dev.idspam.runtime;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of one training run. Batch size is the {@link BatchSource}'s; AdamW's betas, epsilon and
 * weight decay are baked into the optimizer model (see {@code AdamWConfig}).
 *
 * @param runDir                    where {@code last.ckpt} and {@code best.ckpt} go
 * @param epochs                    passes over the training source
 * @param learningRate              peak learning rate of the linear schedule
 * @param warmupRatio               fraction of optimizer steps spent warming up (HF default here 0.06)
 * @param gradientAccumulationSteps micro-batches per optimizer step; gradients are summed over them
 *                                  (ORT's accumulator adds per-batch mean gradients), and the last
 *                                  step of an epoch may take fewer
 * @param seed                      seeds ORT's generators (dropout) per epoch
 * @param resume                    continue from {@code runDir/last.ckpt} when it exists
 * @param fingerprint               what else determines the run (its data files, options the trainer does
 *                                  not see such as the batch size), item by item, keyed by the name a
 *                                  user knows it by ({@code --max-train-samples}, {@code training data});
 *                                  saved with the run state, and a resume refuses when an item differs
 * @param patience                  early stopping: stop after this many epochs in a row without a better
 *                                  dev metric than the best so far (0 = train every epoch). The learning-rate
 *                                  schedule stays that of all {@code epochs}, so a stopped run is a prefix of
 *                                  the full one; it needs a dev source.
 * @param minEpochs                 early stopping never ends a run before this many epochs are complete
 *                                  (0 = it may from the first). On a small task an epoch is a handful of
 *                                  updates, and a prompt that starts near zero may not move the dev metric
 *                                  until it has had more of them than {@code patience} epochs give.
 */
public record TrainConfig(Path runDir, int epochs, double learningRate, double warmupRatio,
                          int gradientAccumulationSteps, long seed, boolean resume, Map<String, String> fingerprint,
                          int patience, int minEpochs) {
    public TrainConfig {
        if (patience < 0) {
            throw new IllegalArgumentException("patience must be >= 0 (0 = off), got " + patience);
        }
        if (minEpochs < 0) {
            throw new IllegalArgumentException("minimum epochs must be >= 0 (0 = none), got " + minEpochs);
        }
        fingerprint = fingerprint == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fingerprint));
        if (runDir == null) {
            throw new IllegalArgumentException("a run directory is required");
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be > 0 and finite, got " + learningRate);
        }
        if (!(warmupRatio >= 0 && warmupRatio < 1)) {
            throw new IllegalArgumentException("warm-up ratio must be in [0, 1), got " + warmupRatio);
        }
        if (gradientAccumulationSteps < 1) {
            throw new IllegalArgumentException("gradient accumulation steps must be >= 1, got " + gradientAccumulationSteps);
        }
    }

    public static Builder builder(Path runDir) {
        return new Builder(runDir);
    }

    /** Defaults: 3 epochs, learning rate 1e-3, warm-up ratio 0.06, no accumulation, seed 42, no resume, no fingerprint. */
    public static final class Builder {
        private final Path runDir;
        private int epochs = 3;
        private double learningRate = 1e-3;
        private double warmupRatio = 0.06;
        private int accumulation = 1;
        private long seed = 42;
        private boolean resume;
        private Map<String, String> fingerprint = Map.of();
        private int patience;
        private int minEpochs;

        private Builder(Path runDir) {
            this.runDir = runDir;
        }

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder warmupRatio(double v) {
            warmupRatio = v;
            return this;
        }

        public Builder gradientAccumulationSteps(int v) {
            accumulation = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder resume(boolean v) {
            resume = v;
            return this;
        }

        /** Stop after {@code epochs} epochs without improvement on dev (0, the default: never). */
        public Builder patience(int epochs) {
            patience = epochs;
            return this;
        }

        /** Early stopping waits until {@code epochs} epochs are complete (0, the default: no wait). */
        public Builder minEpochs(int epochs) {
            minEpochs = epochs;
            return this;
        }

        /** See {@link TrainConfig#fingerprint()}; kept in the given order. */

        public Builder fingerprint(Map<String, String> items) {
            fingerprint = items;
            return this;
        }

        public TrainConfig build() {
            return new TrainConfig(runDir, epochs, learningRate, warmupRatio, accumulation, seed, resume, fingerprint, patience,
                    minEpochs);
        }
    }
}
