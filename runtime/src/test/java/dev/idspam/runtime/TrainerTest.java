package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.OptimizerState;
import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TrainerTest {
    static final int EPOCHS = 8;
    static final int BATCHES = 6;
    static final int ROWS = 4;
    static final int ACCUMULATION = 2;
    static final double LR = 0.05;
    static final float WEIGHT_DECAY = 0.01f;

    @TempDir
    Path dir;

    private TrainConfig.Builder config(String run) {
        return TrainConfig.builder(dir.resolve(run)).epochs(EPOCHS).learningRate(LR).warmupRatio(0.06)
                .gradientAccumulationSteps(ACCUMULATION).seed(7);
    }

    /** Records every micro-batch loss. */
    static final class Losses implements TrainingListener {
        final List<Float> values = new ArrayList<>();
        final List<Double> rates = new ArrayList<>();

        @Override
        public void onStep(Step step) {
            values.add(step.loss());
            rates.add(step.learningRate());
        }
    }

    static double maxAbsDiff(TensorData ort, double[] ref) {
        float[] f = ort.toFloats();
        double m = 0;
        for (int i = 0; i < f.length; i++) {
            m = Math.max(m, Math.abs(f[i] - ref[i]));
        }
        return m;
    }

    private void trainsLikeTheReference(TinyModel.Loss lossKind) throws Exception {
        TinyModel model = new TinyModel(lossKind, 1);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), WEIGHT_DECAY);
        List<Batch> data = model.data(BATCHES, ROWS, 2);
        Losses losses = new Losses();
        TrainResult result = new Trainer(TestRuntime.get(), artifacts, config("run").build())
                .fit(BatchSource.of(data), BatchSource.of(data), EvalMetric.meanLoss(), losses);

        ReferenceTrainer ref = new ReferenceTrainer(model, WEIGHT_DECAY);
        double[] refLosses = ref.fit(data, EPOCHS, ACCUMULATION, LR, 0.06);
        assertThat(losses.values).hasSize(EPOCHS * BATCHES);
        double lossDiff = 0;
        for (int i = 0; i < refLosses.length; i++) {
            lossDiff = Math.max(lossDiff, Math.abs(losses.values.get(i) - refLosses[i]) / Math.max(1, Math.abs(refLosses[i])));
        }
        Checkpoint last = Checkpoint.read(result.lastCheckpoint());
        double weightDiff = 0;
        double momentDiff = 0;
        OptimizerState opt = last.optimizer().orElseThrow();
        for (String p : TinyModel.TRAINABLE) {
            weightDiff = Math.max(weightDiff, maxAbsDiff(last.parameter(p), ref.w.get(p)));
            momentDiff = Math.max(momentDiff, maxAbsDiff(opt.moments().get(p).first(), ref.m1.get(p)));
            assertThat(maxAbsDiff(last.parameter(p), ReferenceTrainer.toDoubles(model.initial.get(p))))
                    .as("%s moved", p).isGreaterThan(0.01);
        }
        System.out.printf("%s: first/last epoch train loss %.6f -> %.6f; max |ORT - ref|: batch loss (rel) %.2e,"
                        + " weights %.2e, first moments %.2e after %d updates%n", lossKind, result.history().get(0).trainLoss(),
                result.history().get(EPOCHS - 1).trainLoss(), lossDiff, weightDiff, momentDiff, result.optimizerSteps());
        assertThat(lossDiff).isLessThan(1e-5);
        assertThat(weightDiff).isLessThan(1e-5);
        assertThat(momentDiff).isLessThan(1e-5);
        // frozen weights are bit-identical, the loss fell, the counters are consistent
        for (String p : List.of("W1", "b1")) {
            assertThat(last.parameter(p)).isEqualTo(model.initial.get(p));
        }
        assertThat(result.history().get(EPOCHS - 1).trainLoss()).isLessThan(0.75 * result.history().get(0).trainLoss());
        assertThat(result.optimizerSteps()).isEqualTo(EPOCHS * BATCHES / ACCUMULATION);
        assertThat(opt.step()).isEqualTo(result.optimizerSteps());
        assertThat(losses.rates.get(0)).isZero(); // HF warm-up: first update at rate 0
        assertThat(result.bestEpoch()).isEqualTo(EPOCHS - 1);
        assertThat(Checkpoint.read(result.bestCheckpoint()).parameters())
                .isEqualTo(last.parameters());
    }

    @Test
    void squaredErrorTrainingMatchesTheDoublePrecisionReference() throws Exception {
        trainsLikeTheReference(TinyModel.Loss.SQUARED_ERROR);
    }

    @Test
    void crossEntropyTrainingMatchesTheDoublePrecisionReference() throws Exception {
        trainsLikeTheReference(TinyModel.Loss.CROSS_ENTROPY);
    }

    /** Pause after epoch 2 and again after 5 (successive halving's rounds), resume to the end: same as one run. */
    @Test
    void pausedAndResumedRunsEqualAnUninterruptedOne() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 5);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), WEIGHT_DECAY);
        BatchSource data = shuffled(model.data(BATCHES, ROWS, 6));
        NativeRuntime rt = TestRuntime.get();
        TrainResult straight = new Trainer(rt, artifacts, config("straight").build()).fit(data, null, null, null);

        List<String> notes = new ArrayList<>();
        TrainResult first = new Trainer(rt, artifacts, config("paused").resume(true).build()).fit(data, null, null,
                pauseAt(2, notes));
        assertThat(first.history()).hasSize(2);
        assertThat(notes).containsExactly("paused after epoch 2 of " + EPOCHS + "; resume continues the same schedule");
        TrainResult second = new Trainer(rt, artifacts, config("paused").resume(true).build()).fit(data, null, null,
                pauseAt(5, notes));
        assertThat(second.history()).hasSize(5);
        TrainResult last = new Trainer(rt, artifacts, config("paused").resume(true).build()).fit(data, null, null, null);
        assertThat(last.history()).hasSize(EPOCHS);

        Checkpoint a = Checkpoint.read(straight.lastCheckpoint());
        Checkpoint b = Checkpoint.read(last.lastCheckpoint());
        assertThat(b.parameters()).isEqualTo(a.parameters());
        assertThat(b.optimizer().orElseThrow().moments()).isEqualTo(a.optimizer().orElseThrow().moments());
        assertThat(last.history()).extracting(EpochSummary::trainLoss)
                .containsExactlyElementsOf(straight.history().stream().map(EpochSummary::trainLoss).toList());
    }

    private static TrainingListener pauseAt(int epochs, List<String> notes) {
        return new TrainingListener() {
            @Override
            public boolean pauseAfter(EpochSummary s) {
                return s.epoch() + 1 == epochs;
            }

            @Override
            public void onNote(String line) {
                notes.add(line);
            }
        };
    }

    /** Interrupt after epoch 2 (the listener throws, like a kill), resume, compare with an uninterrupted run. */
    @Test
    void resumeGivesBitIdenticalWeights() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 3);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), WEIGHT_DECAY);
        BatchSource data = shuffled(model.data(BATCHES, ROWS, 4));
        NativeRuntime rt = TestRuntime.get();

        TrainResult straight = new Trainer(rt, artifacts, config("straight").build()).fit(data, null, null, null);

        TrainingListener killAfterTwo = new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == 1) {
                    throw new IllegalStateException("simulated interruption");
                }
            }
        };
        assertThatThrownBy(() -> new Trainer(rt, artifacts, config("resumed").build()).fit(data, null, null, killAfterTwo))
                .hasMessage("simulated interruption");
        assertThatThrownBy(() -> new Trainer(rt, artifacts, config("resumed").build()).fit(data, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(dir.resolve("resumed") + " already holds last.ckpt from an earlier run; to continue that run,"
                        + " run train again with --resume; to start over, remove the run's checkpoints (last.ckpt,"
                        + " best.ckpt and their .sha256 files) or regenerate the artifacts");
        assertThatThrownBy(() -> new Trainer(rt, artifacts, config("resumed").learningRate(0.01).resume(true).build())
                .fit(data, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("--lr was 0.05, now 0.01");

        List<TrainingListener.Plan> plans = new ArrayList<>();
        TrainResult resumed = new Trainer(rt, artifacts, config("resumed").resume(true).build())
                .fit(data, null, null, new TrainingListener() {
                    @Override
                    public void onStart(Plan plan) {
                        plans.add(plan);
                    }
                });
        assertThat(plans.get(0).resumed()).isTrue();
        assertThat(plans.get(0).firstEpoch()).isEqualTo(2);

        Checkpoint a = Checkpoint.read(straight.lastCheckpoint());
        Checkpoint b = Checkpoint.read(resumed.lastCheckpoint());
        assertThat(b.parameters()).isEqualTo(a.parameters());
        assertThat(b.optimizer().orElseThrow().moments()).isEqualTo(a.optimizer().orElseThrow().moments());
        assertThat(b.optimizer().orElseThrow().step()).isEqualTo(a.optimizer().orElseThrow().step());
        assertThat(resumed.history()).extracting(EpochSummary::trainLoss)
                .containsExactlyElementsOf(straight.history().stream().map(EpochSummary::trainLoss).toList());
    }

    /** A dev metric that never changes: the first epoch is the best, and no later one improves on it. */
    private static EvalMetric flatMetric() {
        return new EvalMetric() {
            @Override
            public String name() {
                return "flat";
            }

            @Override
            public boolean higherIsBetter() {
                return true;
            }

            @Override
            public Accumulator newAccumulator() {
                return new Accumulator() {
                    @Override
                    public void add(Batch batch, java.util.Map<String, HostTensor> outputs) {
                    }

                    @Override
                    public double result() {
                        return 0.5;
                    }
                };
            }
        };
    }

    @Test
    void patienceStopsWhenTheDevMetricStopsImprovingButNotBeforeTheMinimumEpochs() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 1);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), WEIGHT_DECAY);
        List<Batch> data = model.data(BATCHES, ROWS, 2);
        List<String> notes = new ArrayList<>();
        TrainingListener l = new TrainingListener() {
            @Override
            public void onNote(String line) {
                notes.add(line);
            }
        };
        TrainResult r = new Trainer(TestRuntime.get(), artifacts, config("patient").patience(2).build())
                .fit(BatchSource.of(data), BatchSource.of(data), flatMetric(), l);
        assertThat(r.history()).hasSize(3); // best at epoch 1, then 2 epochs without improvement
        assertThat(r.bestEpoch()).isZero();
        assertThat(notes).containsExactly("early stop after epoch 3: no better dev flat for 2 epoch(s) (best: epoch 1)");
        // resuming the stopped run trains nothing more
        TrainResult again = new Trainer(TestRuntime.get(), artifacts, config("patient").patience(2).resume(true).build())
                .fit(BatchSource.of(data), BatchSource.of(data), flatMetric(), TrainingListener.NONE);
        assertThat(again.history()).hasSize(3);
        // without patience every epoch runs
        assertThat(new Trainer(TestRuntime.get(), artifacts, config("all").build())
                .fit(BatchSource.of(data), BatchSource.of(data), flatMetric(), TrainingListener.NONE).history()).hasSize(EPOCHS);

        // a minimum number of epochs holds the stop off: patience 2 alone stopped after epoch 3
        notes.clear();
        TrainResult held = new Trainer(TestRuntime.get(), artifacts, config("held").patience(2).minEpochs(5).build())
                .fit(BatchSource.of(data), BatchSource.of(data), flatMetric(), l);
        assertThat(held.history()).hasSize(5);
        assertThat(held.bestEpoch()).isZero();
        assertThat(notes).containsExactly("early stop after epoch 5: no better dev flat for 4 epoch(s) (best: epoch 1)");
        // a minimum of every epoch means no early stop at all
        assertThat(new Trainer(TestRuntime.get(), artifacts, config("whole").patience(2).minEpochs(EPOCHS).build())
                .fit(BatchSource.of(data), BatchSource.of(data), flatMetric(), TrainingListener.NONE).history()).hasSize(EPOCHS);
        assertThatThrownBy(() -> config("bad").minEpochs(-1).build()).hasMessageContaining("minimum epochs must be >= 0");
    }

    @Test
    void nonFiniteLossStopsWithEpochAndBatch() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 5);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        List<Batch> data = new ArrayList<>(model.data(BATCHES, ROWS, 6));
        BatchSource poisoned = new BatchSource() {
            @Override
            public int batchesPerEpoch() {
                return BATCHES;
            }

            @Override
            public Iterator<Batch> batches(int epoch) {
                List<Batch> copy = new ArrayList<>(data);
                if (epoch == 1) {
                    float[] x = ((HostTensor.Floats) data.get(3).get("x")).data().clone();
                    x[2] = Float.NaN;
                    copy.set(3, Batch.of("x", HostTensor.floats(x, ROWS, TinyModel.IN), "y", data.get(3).get("y")));
                }
                return copy.iterator();
            }
        };
        Trainer trainer = new Trainer(TestRuntime.get(), artifacts, config("nan").build());
        assertThatThrownBy(() -> trainer.fit(poisoned, null, null, null))
                .isInstanceOfSatisfying(TrainingDivergedException.class, e -> {
                    assertThat(e.epoch()).isEqualTo(1);
                    assertThat(e.batch()).isEqualTo(3);
                    assertThat(e.optimizerStep()).isEqualTo(4);
                })
                .hasMessageContaining("training loss is NaN at epoch 2, batch 4 of 6")
                .hasMessageContaining("last.ckpt holds the weights after epoch 1");
        assertThat(Files.exists(dir.resolve("nan").resolve(Trainer.LAST_CHECKPOINT))).isTrue();
    }

    /** Our reader parses ORT's checkpoint; our writer's copy of it continues training bit-identically. */
    @Test
    void ortCheckpointsReadAndRewriteExactly() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 8);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), WEIGHT_DECAY);
        List<Batch> data = model.data(BATCHES, ROWS, 9);
        TrainConfig cfg = config("run").epochs(1).build();
        TrainResult r = new Trainer(TestRuntime.get(), artifacts, cfg).fit(BatchSource.of(data), null, null, null);

        Checkpoint ort = Checkpoint.read(r.lastCheckpoint());
        assertThat(ort.trainable()).extracting(t -> t.name()).containsExactlyInAnyOrderElementsOf(TinyModel.TRAINABLE);
        assertThat(ort.optimizer().orElseThrow().step()).isEqualTo(3);
        assertThat(ort.properties().strings()).containsKey(Trainer.STATE_PROPERTY);
        Path ours = dir.resolve("ours.ckpt");
        ort.write(ours);

        List<Checkpoint> continued = new ArrayList<>();
        for (Path start : List.of(r.lastCheckpoint(), ours)) {
            try (TrainingSession s = TrainingSession.open(TestRuntime.get(), artifacts, start)) {
                s.lazyResetGrad();
                s.trainStep(data.get(0));
                s.setLearningRate(0.01f);
                s.optimizerStep();
                s.saveCheckpoint(dir.resolve("after-" + continued.size()), true);
                continued.add(Checkpoint.read(dir.resolve("after-" + continued.size())));
            }
        }
        assertThat(continued.get(1).parameters()).isEqualTo(continued.get(0).parameters());
        assertThat(continued.get(1).optimizer()).isEqualTo(continued.get(0).optimizer());
        assertThat(continued.get(1).optimizer().orElseThrow().step()).isEqualTo(4);
    }

    private static BatchSource shuffled(List<Batch> data) {
        return new BatchSource() {
            @Override
            public int batchesPerEpoch() {
                return data.size();
            }

            @Override
            public Iterator<Batch> batches(int epoch) {
                List<Batch> copy = new ArrayList<>(data);
                java.util.Collections.shuffle(copy, new java.util.Random(100 + epoch));
                return copy.iterator();
            }
        };
    }

    @Test
    void manifestNamesMatchWhatOrtReports() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 10);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        try (TrainingSession s = TrainingSession.open(TestRuntime.get(), artifacts, artifacts.checkpoint())) {
            assertThat(s.trainInputNames()).containsExactly("x", "labels");
            assertThat(s.evalOutputNames()).containsExactly(ArtifactNames.LOSS, "pred");
            assertThatThrownBy(() -> s.trainStep(Batch.of("x", HostTensor.floats(new float[8], 2, 4))))
                    .hasMessageContaining("the training model takes inputs [x, labels]; the batch has no 'labels'");
            assertThatThrownBy(() -> s.trainStep(Batch.of("x", HostTensor.floats(new float[8], 2, 4),
                    "labels", HostTensor.floats(new float[2], 2))))
                    .hasMessageContaining("training input 'labels' must be INT64, the batch holds FLOAT[2]");
            s.close();
            s.close();
            assertThatThrownBy(s::lazyResetGrad).hasMessage("TrainingSession is closed");
        }
    }
}
