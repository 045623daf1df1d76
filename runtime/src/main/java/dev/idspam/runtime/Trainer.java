package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.ArtifactFormatException;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.artifacts.CheckpointSummary;
import dev.idspam.graphs.io.TempFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The training loop over verified artifacts: epochs of micro-batches with gradient accumulation,
 * AdamW updates with a linear warm-up/decay learning rate computed here per update, evaluation on
 * a dev source after every epoch, {@code best.ckpt} (weights of the best epoch by the metric) and
 * {@code last.ckpt} (weights, AdamW moments and step, trainer state) after every epoch, each with its
 * checksum file, resume from {@code last.ckpt} (refused when the run's settings or fingerprint
 * differ), and a stop with the epoch and batch index when the loss becomes NaN or infinite.
 *
 * <p>Reproducibility: weights after a resumed run are bit-identical to an uninterrupted run with
 * the same settings. That rests on (1) the checkpoint holding weights, moments and the AdamW step
 * exactly, (2) the learning rate being a pure function of the update index ({@link LinearSchedule}),
 * (3) {@link BatchSource} yielding the same batches for the same epoch, and (4) ORT's generators
 * (dropout) being re-seeded from (seed, epoch) at the start of every epoch.
 */
public final class Trainer {
    public static final String LAST_CHECKPOINT = "last.ckpt";
    public static final String BEST_CHECKPOINT = "best.ckpt";
    static final String STATE_PROPERTY = "idspam.trainer_state";

    private final NativeRuntime runtime;
    private final Artifacts artifacts;
    private final TrainConfig config;
    /** Train and evaluate on the suffix graphs of a prefix split; the sources then carry X_m ({@link PrefixCache}). */
    private final boolean cachedGraphs;

    public Trainer(NativeRuntime runtime, Artifacts artifacts, TrainConfig config) {
        this(runtime, artifacts, config, false);
    }

    /**
     * With {@code cachedGraphs}, training and dev evaluation run the suffix graphs, fed X_m from a
     * {@link PrefixCache} instead of recomputing layers 0..m−1 every epoch. The math is the same, the
     * checkpoints are the same (same parameters), and the run fingerprint is that of the whole
     * training graph, so a run may be resumed with or without the cache.
     */
    public Trainer(NativeRuntime runtime, Artifacts artifacts, TrainConfig config, boolean cachedGraphs) {
        this.runtime = runtime;
        this.artifacts = artifacts;
        this.config = config;
        this.cachedGraphs = cachedGraphs;
    }

    /**
     * Trains for {@code config.epochs()} epochs (or what remains of them when resuming).
     *
     * @param dev      evaluated after each epoch; null for none (then there is no best checkpoint)
     * @param metric   decides the best epoch; null means {@link EvalMetric#meanLoss()}
     * @param listener progress hooks; {@link TrainingListener#NONE} for none
     */
    public TrainResult fit(BatchSource train, BatchSource dev, EvalMetric metric, TrainingListener listener)
            throws IOException {
        EvalMetric m = metric == null ? EvalMetric.meanLoss() : metric;
        TrainingListener l = listener == null ? TrainingListener.NONE : listener;
        int perEpoch = train.batchesPerEpoch();
        if (perEpoch < 1) {
            throw new IllegalArgumentException("the training source has no batches");
        }
        int accumulation = config.gradientAccumulationSteps();
        int stepsPerEpoch = (perEpoch + accumulation - 1) / accumulation;
        long totalSteps = (long) stepsPerEpoch * config.epochs();
        LinearSchedule schedule = LinearSchedule.of(config.learningRate(), config.warmupRatio(), totalSteps);
        Path runDir = config.runDir();
        Files.createDirectories(runDir);
        TempFiles.removeStale(runDir); // checkpoints half-saved by a killed run
        Path last = runDir.resolve(LAST_CHECKPOINT);
        Path best = runDir.resolve(BEST_CHECKPOINT);
        TrainerState.Settings settings = new TrainerState.Settings(config.learningRate(), config.warmupRatio(),
                accumulation, config.epochs(), config.seed(), perEpoch,
                artifacts.manifest().files().get(ArtifactNames.TRAINING_MODEL).sha256());

        // A new run never starts over the checkpoints of an earlier one: they are kept unless the
        // caller asked to resume. With resume and best.ckpt but no last.ckpt (killed between the two
        // saves of the first epoch) there is nothing to resume, and the run starts over.
        boolean resumed = Files.exists(last);
        for (Path earlier : List.of(last, best)) {
            if (Files.exists(earlier) && !config.resume()) {
                throw new IllegalArgumentException(runDir + " already holds " + earlier.getFileName() + " from an earlier"
                        + " run; to continue that run, run train again with --resume; to start over, remove the run's"
                        + " checkpoints (last.ckpt, best.ckpt and their .sha256 files) or regenerate the artifacts");
            }
        }
        TrainerState state;
        if (resumed) {
            TrainingSession.requireUsable(artifacts, last);
            state = resumeState(last, settings);
        } else {
            state = TrainerState.initial(settings, config.fingerprint());
            Files.deleteIfExists(best);
            Files.deleteIfExists(CheckpointSeal.sidecar(best));
        }
        l.onStart(new TrainingListener.Plan(config.epochs(), state.epochsCompleted(), perEpoch, stepsPerEpoch, totalSteps,
                schedule.warmupSteps(), resumed));
        if (state.epochsCompleted() >= config.epochs() || patienceSpent(state)) {
            return result(state, best, last);
        }
        try (TrainingSession s = resumed ? TrainingSession.openChecked(runtime, artifacts, last, cachedGraphs)
                : TrainingSession.open(runtime, artifacts, artifacts.checkpoint(), cachedGraphs)) {
            for (int epoch = state.epochsCompleted(); epoch < config.epochs(); epoch++) {
                long t0 = System.nanoTime();
                s.setSeed(epochSeed(config.seed(), epoch));
                long steps = state.optimizerSteps();
                double lossSum = 0;
                long rows = 0;
                int batch = 0;
                int micro = 0;
                Iterator<Batch> it = train.batches(epoch);
                while (it.hasNext()) {
                    Batch b = it.next();
                    if (batch == perEpoch) {
                        throw new IllegalStateException("the training source yielded more than batchesPerEpoch() = "
                                + perEpoch + " batches in epoch " + epoch);
                    }
                    if (micro == 0) {
                        s.lazyResetGrad();
                    }
                    float loss = s.trainStep(b);
                    if (!Float.isFinite(loss)) {
                        throw new TrainingDivergedException(epoch, batch, perEpoch, steps, loss, lastGood(state, last));
                    }
                    lossSum += loss * (double) b.rows();
                    rows += b.rows();
                    micro++;
                    batch++;
                    long update = steps;
                    if (micro == accumulation || batch == perEpoch) {
                        s.setLearningRate((float) schedule.at(update));
                        s.optimizerStep();
                        steps++;
                        micro = 0;
                    }
                    l.onStep(new TrainingListener.Step(epoch, batch - 1, perEpoch, steps, loss, schedule.at(update)));
                }
                if (batch != perEpoch) {
                    throw new IllegalStateException("the training source yielded " + batch + " batches in epoch " + epoch
                            + " but batchesPerEpoch() says " + perEpoch + "; the learning-rate schedule depends on the count");
                }
                double trainSeconds = (System.nanoTime() - t0) / 1e9;
                EvalResult devResult = dev == null ? null : evaluate(s, dev, m);
                boolean isBest = devResult != null && state.improves(devResult.metric(), m.higherIsBetter());
                EpochSummary summary = new EpochSummary(epoch, lossSum / rows, devResult, isBest, steps,
                        (System.nanoTime() - t0) / 1e9, trainSeconds);
                state = state.after(summary, isBest);
                s.addProperty(STATE_PROPERTY, state.toJson());
                if (isBest) {
                    s.saveCheckpoint(best, false);
                }
                s.saveCheckpoint(last, true);
                l.onEpochEnd(summary);
                if (epoch + 1 < config.epochs() && patienceSpent(state)) {
                    l.onNote(String.format(java.util.Locale.ROOT, "early stop after epoch %d: no better dev %s for %d"
                            + " epoch(s) (best: epoch %d)", epoch + 1, m.name(), state.epochsCompleted() - 1 - state.bestEpoch(),
                            state.bestEpoch() + 1));
                    break;
                }
                if (epoch + 1 < config.epochs() && l.pauseAfter(summary)) {
                    l.onNote(String.format(java.util.Locale.ROOT, "paused after epoch %d of %d; resume continues the same"
                            + " schedule", epoch + 1, config.epochs()));
                    break;
                }
            }
        }
        return result(state, best, last);
    }

    /** One pass of {@code dev} through the eval graph: example-weighted mean loss and the metric. */
    public static EvalResult evaluate(TrainingSession session, BatchSource dev, EvalMetric metric) {
        EvalMetric.Accumulator acc = metric.newAccumulator();
        double lossSum = 0;
        long n = 0;
        Iterator<Batch> it = dev.batches(0);
        while (it.hasNext()) {
            Batch b = it.next();
            Map<String, HostTensor> out = session.evalStep(b);
            lossSum += ((HostTensor.Floats) out.get(ArtifactNames.LOSS)).scalar() * (double) b.rows();
            n += b.rows();
            acc.add(b, out);
        }
        return new EvalResult(n == 0 ? Double.NaN : lossSum / n, metric.name(), acc.result(), n);
    }

    private TrainerState resumeState(Path last, TrainerState.Settings settings) throws IOException {
        CheckpointSummary summary = Checkpoint.inspect(last);
        String json = summary.properties().strings().get(STATE_PROPERTY);
        if (json == null) {
            throw new ArtifactFormatException(last + ": has no '" + STATE_PROPERTY + "' property; it was not saved by"
                    + " Trainer, so it cannot be resumed");
        }
        TrainerState state = TrainerState.fromJson(json, last);
        state.requireResumableWith(settings, config.fingerprint(), last);
        long saved = summary.optimizerStep().orElse(-1);
        if (saved != state.optimizerSteps()) {
            throw new ArtifactFormatException(last + ": optimizer step is " + saved + " but the trainer state says "
                    + state.optimizerSteps() + " updates were made; the checkpoint is inconsistent");
        }
        return state;
    }

    /**
     * Whether the last {@code patience} completed epochs brought no better dev metric (never with patience 0, no best
     * yet, or fewer than {@code minEpochs} epochs complete).
     */
    private boolean patienceSpent(TrainerState state) {
        return config.patience() > 0 && state.bestEpoch() >= 0 && state.epochsCompleted() >= config.minEpochs()
                && state.epochsCompleted() - 1 - state.bestEpoch() >= config.patience();
    }

    private static String lastGood(TrainerState state, Path last) {
        return state.epochsCompleted() == 0 ? "No checkpoint was saved yet"
                : last + " holds the weights after epoch " + state.epochsCompleted();
    }

    /** A distinct, reproducible ORT seed per epoch. */
    static long epochSeed(long seed, int epoch) {
        return seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L));
    }

    private static TrainResult result(TrainerState state, Path best, Path last) {
        return new TrainResult(state.history(), state.bestEpoch(), Files.exists(best) ? best : null, last,
                state.optimizerSteps());
    }
}
