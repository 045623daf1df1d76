package dev.idspam.runtime;

import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.io.TempFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a run leaves and what it refuses: resume checks, earlier checkpoints, leftovers of a kill. */
class RunSafetyTest {
    @TempDir
    Path dir;

    private static TrainingListener stopAfterEpoch(int epoch) {
        return new TrainingListener() {
            @Override
            public void onEpochEnd(EpochSummary s) {
                if (s.epoch() == epoch) {
                    throw new IllegalStateException("killed");
                }
            }
        };
    }

    private static Map<String, String> fingerprint(String samples, String data) {
        Map<String, String> f = new LinkedHashMap<>();
        f.put("--max-train-samples", samples);
        f.put("training data", data);
        f.put("--batch-size", "4");
        return f;
    }

    @Test
    void resumeNamesEveryItemOfTheFingerprintThatDiffers() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 41);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        BatchSource data = BatchSource.of(model.data(3, 4, 42));
        TrainConfig.Builder cfg = TrainConfig.builder(dir.resolve("run")).epochs(3).learningRate(0.01);
        assertThatThrownBy(() -> new Trainer(TestRuntime.get(), artifacts, cfg.fingerprint(fingerprint("200", "train.tsv a1"))
                .build()).fit(data, null, null, stopAfterEpoch(0))).hasMessage("killed");

        Path last = dir.resolve("run").resolve(Trainer.LAST_CHECKPOINT);
        byte[] before = Files.readAllBytes(last);
        Map<String, String> now = fingerprint("100", "train.tsv b2");
        now.remove("--batch-size");
        now.put("--skip-bad-rows", "true");
        assertThatThrownBy(() -> new Trainer(TestRuntime.get(), artifacts, cfg.fingerprint(now).resume(true).build())
                .fit(data, null, null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("cannot resume " + last + ": --max-train-samples was 200, now 100; training data was train.tsv a1,"
                        + " now train.tsv b2; --batch-size was 4, now not set; --skip-bad-rows was not set, now true. A resumed"
                        + " run must use the data and options it was started with: run train again with those, or remove the"
                        + " run's checkpoints (last.ckpt, best.ckpt) to start over");
        assertThat(Files.readAllBytes(last)).isEqualTo(before);

        TrainResult r = new Trainer(TestRuntime.get(), artifacts, cfg.fingerprint(fingerprint("200", "train.tsv a1"))
                .resume(true).build()).fit(data, null, null, null);
        assertThat(r.history()).hasSize(3);
    }

    @Test
    void aNewRunDoesNotStartOverTheCheckpointsOfAnEarlierOne() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.CROSS_ENTROPY, 43);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        List<Batch> batches = model.data(2, 4, 44);
        Path run = dir.resolve("run");
        TrainConfig.Builder cfg = TrainConfig.builder(run).epochs(1).learningRate(0.01);
        new Trainer(TestRuntime.get(), artifacts, cfg.build()).fit(BatchSource.of(batches), BatchSource.of(batches), null, null);
        Path best = run.resolve(Trainer.BEST_CHECKPOINT);
        Files.delete(run.resolve(Trainer.LAST_CHECKPOINT)); // as if killed between the two saves of epoch 1
        byte[] kept = Files.readAllBytes(best);
        assertThatThrownBy(() -> new Trainer(TestRuntime.get(), artifacts, cfg.build())
                .fit(BatchSource.of(batches), BatchSource.of(batches), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(run + " already holds best.ckpt from an earlier run; to continue that run, run train"
                        + " again with --resume");
        assertThat(Files.readAllBytes(best)).isEqualTo(kept);
        // with --resume there is nothing to resume: the run starts over and saves both again
        TrainResult r = new Trainer(TestRuntime.get(), artifacts, cfg.resume(true).build())
                .fit(BatchSource.of(batches), BatchSource.of(batches), null, null);
        assertThat(r.history()).hasSize(1);
        CheckpointSeal.verify(r.lastCheckpoint());
        CheckpointSeal.verify(r.bestCheckpoint());
    }

    /**
     * kill -9 inside the save of epoch 2's last.ckpt, after its checksum was written and before the
     * rename: the older last.ckpt is still accepted, the resume redoes epoch 2, and the weights equal
     * those of an uninterrupted run.
     */
    @Test
    void aKillInsideTheSaveLeavesAResumableRun() throws Exception {
        TinyModel model = new TinyModel(TinyModel.Loss.SQUARED_ERROR, 45);
        Artifacts artifacts = model.write(dir.resolve("artifacts"), 0f);
        BatchSource data = BatchSource.of(model.data(3, 4, 46));
        NativeRuntime rt = TestRuntime.get();
        TrainResult straight = new Trainer(rt, artifacts, TrainConfig.builder(dir.resolve("straight")).epochs(3)
                .learningRate(0.02).build()).fit(data, null, null, null);

        Path run = dir.resolve("run");
        TrainConfig.Builder cfg = TrainConfig.builder(run).epochs(3).learningRate(0.02);
        Path last = run.resolve(Trainer.LAST_CHECKPOINT);
        assertThatThrownBy(() -> new Trainer(rt, artifacts, cfg.build()).fit(data, null, null, stopAfterEpoch(0)))
                .hasMessage("killed");
        byte[] afterOne = Files.readAllBytes(last);
        assertThatThrownBy(() -> new Trainer(rt, artifacts, cfg.resume(true).build()).fit(data, null, null, stopAfterEpoch(1)))
                .hasMessage("killed");
        byte[] afterTwo = Files.readAllBytes(last);
        Files.write(last, afterOne);
        Files.writeString(CheckpointSeal.sidecar(last), sha256(afterTwo) + "  last.ckpt\n" + sha256(afterOne) + "  last.ckpt\n");
        // and the temporary file ORT was writing, named after the dead process
        Path partial = run.resolve(".last.ckpt." + deadPid() + "-99.partial");
        Files.write(partial, new byte[100]);

        List<TrainingListener.Plan> plans = new java.util.ArrayList<>();
        TrainResult resumed = new Trainer(rt, artifacts, cfg.resume(true).build()).fit(data, null, null, new TrainingListener() {
            @Override
            public void onStart(Plan plan) {
                plans.add(plan);
            }
        });
        assertThat(plans.get(0).firstEpoch()).isEqualTo(1);
        assertThat(partial).doesNotExist();
        assertThat(Checkpoint.read(resumed.lastCheckpoint()).parameters())
                .isEqualTo(Checkpoint.read(straight.lastCheckpoint()).parameters());
        assertThat(Files.readString(CheckpointSeal.sidecar(last))).isEqualTo(sha256(Files.readAllBytes(last)) + "  last.ckpt\n");
    }

    @Test
    void theNativeLibrariesLiveInTheProcessFolder() throws Exception {
        NativeRuntime rt = TestRuntime.get();
        assertThat(Path.of(rt.coreLocation()).getParent()).isEqualTo(TempFiles.processFolder());
    }

    static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
