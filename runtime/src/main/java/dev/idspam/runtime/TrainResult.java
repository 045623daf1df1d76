package dev.idspam.runtime;

import java.nio.file.Path;
import java.util.List;

/**
 * A finished run: every epoch (also those done before a resume), the best epoch by the dev metric
 * (-1 and no best checkpoint without a dev source), and the checkpoints.
 */
public record TrainResult(List<EpochSummary> history, int bestEpoch, Path bestCheckpoint, Path lastCheckpoint,
                          long optimizerSteps) {
    public TrainResult {
        history = List.copyOf(history);
    }
}
