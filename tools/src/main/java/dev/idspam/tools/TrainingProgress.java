package dev.idspam.tools;

import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.TrainingListener;

import java.util.Locale;

/**
 * Training progress on standard error: a line for the plan, each note and each finished epoch, and
 * with bars, a bar per epoch with the running loss.
 */
final class TrainingProgress implements TrainingListener {
    private final boolean bars;
    private final String indent;
    private ProgressBar bar;
    private int epochs;
    private double lossSum;
    private long lossCount;

    private TrainingProgress(boolean bars, String indent) {
        this.bars = bars;
        this.indent = indent;
    }

    /** A bar per epoch and the lines (train, demo). */
    static TrainingProgress withBars() {
        return new TrainingProgress(true, "");
    }

    /** The lines alone, indented under a caller's own line per run ({@code experiment --verbose}). */
    static TrainingProgress linesOnly() {
        return new TrainingProgress(false, "    ");
    }

    @Override
    public void onStart(Plan plan) {
        epochs = plan.epochs();
        System.err.printf(Locale.ROOT, indent + "training: %d epoch(s) of %d batches, %d updates (%d warm-up)%s%n", plan.epochs(),
                plan.batchesPerEpoch(), plan.totalSteps(), plan.warmupSteps(),
                plan.resumed() ? ", resuming at epoch " + (plan.firstEpoch() + 1) : "");
    }

    @Override
    public void onStep(Step step) {
        if (!bars) {
            return;
        }
        if (bar == null || step.batch() == 0) {
            bar = ProgressBar.stderr(String.format(Locale.ROOT, "epoch %d/%d", step.epoch() + 1, epochs),
                    step.batchesPerEpoch(), ProgressBar.Unit.count("batches"));
            lossSum = 0;
            lossCount = 0;
        }
        lossSum += step.loss();
        lossCount++;
        bar.update(step.batch() + 1, String.format(Locale.ROOT, "loss %.4f, lr %.2e", lossSum / lossCount,
                step.learningRate()));
        if (step.batch() + 1 >= step.batchesPerEpoch()) {
            bar.finish(null);
        }
    }

    @Override
    public void onNote(String line) {
        System.err.println(indent + line);
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        if (bar != null) {
            bar.finish(null);
        }
        bar = null;
        String dev = s.dev() == null ? "" : String.format(Locale.ROOT, ", dev loss %.4f, dev %s %.4f", s.dev().loss(),
                s.dev().metricName(), s.dev().metric());
        System.err.printf(Locale.ROOT, indent + "epoch %d: train loss %.4f%s%s (%.0f s)%n", s.epoch() + 1, s.trainLoss(), dev,
                s.best() ? " *best*" : "", s.seconds());
    }
}
