package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.ArtifactFormatException;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

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
                .hasMessageStartingWith(ckpt + ": corrupt or truncated checkpoint");
    }

    @Test
    void checkpointWithOtherParameterNamesIsRefused() throws Exception {
        Artifacts other = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 32).write(dir.resolve("other"), 0f);
        // same names, other values: accepted (the values are the checkpoint's business) ...
        try (TrainingSession s = TrainingSession.open(TestRuntime.get(), artifacts, other.checkpoint())) {
            assertThat(s.trainInputNames()).containsExactly("x", "y");
        }
        // ... a checkpoint whose parameter names differ is not
        dev.idspam.graphs.artifacts.Checkpoint c = dev.idspam.graphs.artifacts.Checkpoint.read(artifacts.checkpoint());
        Path renamed = dir.resolve("renamed.ckpt");
        new dev.idspam.graphs.artifacts.Checkpoint(c.trainable(), c.frozen().subList(0, 1), c.optimizer(), c.properties())
                .write(renamed);
        assertThatThrownBy(() -> TrainingSession.open(TestRuntime.get(), artifacts, renamed))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessage(renamed + ": holds frozen parameters [W1] but " + artifacts.directory()
                        + " declares [W1, b1]; the checkpoint belongs to other artifacts");
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
        byte[] b = Files.readAllBytes(last);
        b[4] = 'Z';
        Files.write(last, b);
        TrainConfig resume = TrainConfig.builder(run).epochs(2).learningRate(0.01).resume(true).build();
        assertThatThrownBy(() -> new Trainer(TestRuntime.get(), artifacts, resume)
                .fit(BatchSource.of(model.data(2, 3, 1)), null, null, null))
                .isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("file identifier is 'ZDTC', expected 'ODTC'");
    }
}
