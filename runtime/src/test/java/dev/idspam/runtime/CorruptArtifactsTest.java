package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.ArtifactFormatException;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.artifacts.PropertyBag;
import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damaged or mismatched files are refused with a message naming the file; the JVM survives. */
class CorruptArtifactsTest {
    @TempDir
    Path dir;
    Artifacts artifacts;
    TinyModel model;

    @BeforeEach
    void write() throws Exception {
        model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 31);
        artifacts = model.write(dir.resolve("artifacts"), 0f);
    }

    @Test
    void truncatedCheckpointIsRefusedBeforeOrtSeesIt() throws Exception {
        Path ckpt = dir.resolve("cut.ckpt");
        byte[] b = Files.readAllBytes(artifacts.checkpoint());
        Files.write(ckpt, Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, ckpt))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(ckpt + ": has no checksum file cut.ckpt.sha256 beside it");
        // even with a checksum that matches the cut file, its structure is checked before ORT sees it
        CheckpointSeal.seal(ckpt);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, ckpt))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(ckpt + ": corrupt or truncated checkpoint");
    }

    @Test
    void checkpointWithOtherParameterNamesIsRefused() throws Exception {
        Artifacts other = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 32).write(dir.resolve("other"), 0f);
        Path sameNames = dir.resolve("same-names.ckpt");
        Checkpoint.read(other.checkpoint()).write(sameNames);
        // same names and shapes, other values: accepted (the values are the checkpoint's business) ...
        try (TrainingSession s = TrainingSession.open(TestRuntime.get(), artifacts, sameNames)) {
            assertThat(s.trainInputNames()).containsExactly("x", "y");
        }
        // ... a checkpoint whose parameter names differ is not
        Checkpoint c = Checkpoint.read(artifacts.checkpoint());
        Path renamed = dir.resolve("renamed.ckpt");
        new Checkpoint(c.trainable(), c.frozen().subList(0, 1), c.optimizer(), c.properties()).write(renamed);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, renamed))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage(renamed + ": does not fit " + artifacts.directory() + ": tensor 'b1' is missing (expected shape"
                        + " FLOAT[8]); the checkpoint belongs to other artifacts (another task, method or backbone)");
    }

    /** Another task's head ([3] classes, here [5]): refused naming the tensor and both shapes, before ORT. */
    @Test
    void checkpointWithOtherShapesIsRefusedNamingTheFirstDifferingTensor() throws Exception {
        Checkpoint c = Checkpoint.read(artifacts.checkpoint());
        List<NamedTensor> trainable = new ArrayList<>(c.trainable());
        for (int i = 0; i < trainable.size(); i++) {
            if (trainable.get(i).name().equals("b2")) {
                trainable.set(i, new NamedTensor("b2", TensorData.ofFloats(new long[] {5}, new float[5])));
            }
        }
        Path wide = dir.resolve("wide.ckpt");
        new Checkpoint(trainable, c.frozen(), Optional.empty(), PropertyBag.empty()).write(wide);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, wide))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage(wide + ": does not fit " + artifacts.directory() + ": tensor 'b2' has shape FLOAT[5], expected"
                        + " FLOAT[3]; the checkpoint belongs to other artifacts (another task, method or backbone)");

        // a frozen tensor stored as trainable, and a tensor the artifacts do not have
        List<NamedTensor> moved = new ArrayList<>(c.trainable());
        moved.add(c.frozen().get(0));
        Path regrouped = dir.resolve("regrouped.ckpt");
        new Checkpoint(moved, c.frozen().subList(1, 2), Optional.empty(), PropertyBag.empty()).write(regrouped);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, regrouped))
                .hasMessageContaining("tensor 'W1' is trainable in the checkpoint but frozen in the artifacts");
        List<NamedTensor> extra = new ArrayList<>(c.trainable());
        extra.add(new NamedTensor("prompt", TensorData.ofFloats(new long[] {2}, 1, 2)));
        Path more = dir.resolve("more.ckpt");
        new Checkpoint(extra, c.frozen(), Optional.empty(), PropertyBag.empty()).write(more);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, more))
                .hasMessageContaining("it holds tensor 'prompt' (shape FLOAT[2]), which the artifacts do not declare");
    }

    @Test
    void nonFiniteTrainableWeightsAreRefusedNamingTheTensor() throws Exception {
        Checkpoint c = Checkpoint.read(artifacts.checkpoint());
        for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            List<NamedTensor> trainable = new ArrayList<>();
            for (NamedTensor t : c.trainable()) {
                float[] v = t.data().toFloats();
                if (t.name().equals("W2")) {
                    v[5] = bad;
                }
                trainable.add(new NamedTensor(t.name(), TensorData.ofFloats(t.data().dims(), v)));
            }
            Path poisoned = dir.resolve("poisoned.ckpt");
            new Checkpoint(trainable, c.frozen(), Optional.empty(), PropertyBag.empty()).write(poisoned);
            assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, poisoned))
                    .isInstanceOf(ArtifactFormatException.class)
                    .hasMessage(poisoned + ": trainable tensor 'W2' holds " + (Float.isNaN(bad) ? "NaN" : "+infinity")
                            + " (element 5 of 24); the weights are unusable; use another checkpoint or train again");
        }
    }

    @Test
    void modifiedModelIsRefusedByTheManifest() throws Exception {
        Path eval = artifacts.evalModel();
        byte[] b = Files.readAllBytes(eval);
        b[b.length - 5] ^= 0x20;
        Files.write(eval, b);
        assertThatThrownBy(() -> Artifacts.open(artifacts.directory()))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining(ArtifactNames.EVAL_MODEL + ": SHA-256 mismatch");
    }

    /** Bypassing the manifest, a broken model reaches ORT: its error comes back wrapped, no crash. */
    @Test
    void ortErrorsAreWrappedWithWhatWasBeingDone() throws Exception {
        Path train = artifacts.trainingModel();
        byte[] b = Files.readAllBytes(train);
        Files.write(train, Arrays.copyOf(b, b.length / 3));
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, artifacts.checkpoint()))
                .isInstanceOf(NativeRuntimeException.class)
                .hasMessageStartingWith("creating the training session for " + artifacts.directory());
        assertThatThrownBy(() -> Artifacts.open(artifacts.directory()))
                .hasMessageContaining(ArtifactNames.TRAINING_MODEL + ": size mismatch");
    }

    @Test
    void corruptLastCheckpointStopsTheResume() throws Exception {
        Path run = dir.resolve("run");
        TrainConfig cfg = TrainConfig.builder(run).epochs(1).learningRate(0.01).build();
        new Trainer(TestRuntime.get(), artifacts, cfg).fit(BatchSource.of(model.data(2, 3, 1)), null, null, null);
        Path last = run.resolve(Trainer.LAST_CHECKPOINT);
        byte[] good = Files.readAllBytes(last);
        TrainConfig resume = TrainConfig.builder(run).epochs(2).learningRate(0.01).resume(true).build();
        // a flipped byte anywhere, even in a tensor value the structure checks cannot see
        for (int at : new int[] {4, good.length / 2, good.length - 20}) {
            byte[] b = good.clone();
            b[at] ^= 0x10;
            Files.write(last, b);
            assertThatThrownBy(() -> new Trainer(TestRuntime.get(), artifacts, resume)
                    .fit(BatchSource.of(model.data(2, 3, 1)), null, null, null))
                    .as("byte %d", at)
                    .isInstanceOf(ArtifactFormatException.class)
                    .hasMessageStartingWith(last + ": SHA-256 mismatch (last.ckpt.sha256 says ");
        }
    }
}
