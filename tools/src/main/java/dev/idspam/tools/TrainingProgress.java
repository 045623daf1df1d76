package dev.idspam.tools;

import dev.idspam.runtime.EpochSummary;
import dev.idspam.runtime.TrainingListener;

import java.util.Locale;

/** Draws training progress: a bar per epoch with the running loss, and a line per finished epoch. */
final class TrainingProgress implements TrainingListener {
    private ProgressBar bar;
    private int epochs;
    private double lossSum;
    private long lossCount;

    @Override
    public void onStart(Plan plan) {
        epochs = plan.epochs();
        System.err.printf(Locale.ROOT, "training: %d epoch(s) of %d batches, %d updates (%d warm-up)%s%n", plan.epochs(),
                plan.batchesPerEpoch(), plan.totalSteps(), plan.warmupSteps(),
                plan.resumed() ? ", resuming at epoch " + (plan.firstEpoch() + 1) : "");
    }

    @Override
    public void onStep(Step step) {
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
        System.err.println(line);
    }

    @Override
    public void onEpochEnd(EpochSummary s) {
        if (bar != null) {
            bar.finish(null);
        }
        bar = null;
        String dev = s.dev() == null ? "" : String.format(Locale.ROOT, ", dev loss %.4f, dev %s %.4f", s.dev().loss(),
                s.dev().metricName(), s.dev().metric());
        System.err.printf(Locale.ROOT, "epoch %d: train loss %.4f%s%s (%.0f s)%n", s.epoch() + 1, s.trainLoss(), dev,
                s.best() ? " *best*" : "", s.seconds());
    }
}
