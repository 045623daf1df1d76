package dev.idspam.runtime;

/**
 * Progress hooks of {@link Trainer#fit} (the CLI draws its progress bar from these). Called on the
 * training thread; an exception thrown here stops the run (checkpoints already saved stay valid).
 */
public interface TrainingListener {
    /** What the run will do, once before the first batch. */
    record Plan(int epochs, int firstEpoch, int batchesPerEpoch, int stepsPerEpoch, long totalSteps, long warmupSteps,
                boolean resumed) {
    }

    /**
     * After each micro-batch. {@code epoch} and {@code batch} are 0-based; {@code optimizerSteps}
     * counts completed updates including one this batch may have triggered.
     */
    record Step(int epoch, int batch, int batchesPerEpoch, long optimizerSteps, float loss, double learningRate) {
    }

    default void onStart(Plan plan) {
    }

    default void onStep(Step step) {
    }

    /** After the epoch's evaluation and checkpoints. */
    default void onEpochEnd(EpochSummary summary) {
    }

    /**
     * Asked after each epoch's evaluation and checkpoints, before the next epoch: true ends the run
     * there. The run is then exactly a run stopped at that point: {@code last.ckpt} holds weights,
     * moments and trainer state, and a later fit with {@code resume} continues it to the planned
     * epochs with the same schedule, bit-identical to an uninterrupted run. Successive halving over
     * candidate layers trains every candidate on the full schedule and pauses it this way.
     */
    default boolean pauseAfter(EpochSummary summary) {
        return false;
    }

    /** A one-line message about the run (for example what the prefix cache does), before or between epochs. */
    default void onNote(String line) {
    }

    TrainingListener NONE = new TrainingListener() {
    };
}
