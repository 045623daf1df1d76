package dev.idspam.runtime;

/**
 * One finished epoch (0-based index): mean training loss over its batches (example-weighted), the
 * dev evaluation (null without a dev source), whether it is the best so far, updates done so far,
 * wall seconds of the whole epoch (training and evaluation) and of its training steps alone.
 */
public record EpochSummary(int epoch, double trainLoss, EvalResult dev, boolean best, long optimizerSteps,
                           double seconds, double trainSeconds) {
}
