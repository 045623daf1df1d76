package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A saved checkpoint and its checksum file: verified on use, and verifiable at every step of a save. */
class CheckpointSealTest {
    @TempDir
    Path dir;

    private static Checkpoint weights(float v) {
        return new Checkpoint(List.of(new NamedTensor("w", TensorData.ofFloats(new long[] {3}, v, v + 1, v + 2))),
                List.of(new NamedTensor("frozen", TensorData.ofFloats(new long[] {2}, 9, 8))), Optional.empty(),
                PropertyBag.empty());
    }

    @Test
    void writeRecordsTheDigestInSha256sumFormat() throws Exception {
        Path f = dir.resolve("best.ckpt");
        weights(1).write(f);
        String side = Files.readString(CheckpointSeal.sidecar(f));
        assertThat(side).isEqualTo(Digests.sha256(f) + "  best.ckpt\n");
        CheckpointSeal.verify(f);
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("best.ckpt", "best.ckpt.sha256");
        }
    }

    @Test
    void aFlippedByteATruncationOrAMissingChecksumIsRefusedNamingTheFile() throws Exception {
        Path f = dir.resolve("last.ckpt");
        weights(1).write(f);
        byte[] good = Files.readAllBytes(f);
        byte[] flipped = good.clone();
        flipped[good.length - 3] ^= 0x01;
        Files.write(f, flipped);
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(f + ": SHA-256 mismatch (last.ckpt.sha256 says " + Digests.sha256(good) + ", file has ")
                .hasMessageEndingWith("the checkpoint was damaged or changed after it was saved; use another checkpoint or"
                        + " train again");
        Files.write(f, Arrays.copyOf(good, good.length / 2));
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).hasMessageContaining("SHA-256 mismatch");
        Files.write(f, good);
        CheckpointSeal.verify(f);
        Files.writeString(CheckpointSeal.sidecar(f), "not a digest\n");
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(CheckpointSeal.sidecar(f) + ": line 1 is not '<sha256 hex>  <file name>'");
        Files.delete(CheckpointSeal.sidecar(f));
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageStartingWith(f + ": has no checksum file last.ckpt.sha256 beside it");
        Files.delete(f);
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).hasMessage(f + ": checkpoint file does not exist");
    }

    /** The states a kill -9 can leave inside a save: each one verifies, and holds the old or the new weights. */
    @Test
    void everyStateOfAnInterruptedSaveVerifies() throws Exception {
        Path f = dir.resolve("last.ckpt");
        weights(1).write(f);
        byte[] old = Files.readAllBytes(f);
        String oldSide = Files.readString(CheckpointSeal.sidecar(f));
        Path next = dir.resolve("next");
        weights(2).write(next);
        byte[] neu = Files.readAllBytes(next);
        String both = Digests.sha256(neu) + "  last.ckpt\n" + Digests.sha256(old) + "  last.ckpt\n";

        // after step 2 (checksum lists new and old), before the rename: the old file is an intact, older commit
        Files.writeString(CheckpointSeal.sidecar(f), both);
        CheckpointSeal.verify(f);
        // after the rename, before step 4
        Files.write(f, neu);
        CheckpointSeal.verify(f);
        // a second save interrupted at the same point keeps every digest the file may still have
        Files.write(f, old);
        Path third = dir.resolve("third");
        weights(3).write(third);
        Path staged = dir.resolve(".last.ckpt.staged");
        Files.copy(third, staged);
        CheckpointSeal.commit(staged, f);
        assertThat(Files.readAllBytes(f)).isEqualTo(Files.readAllBytes(third));
        assertThat(Files.readString(CheckpointSeal.sidecar(f))).isEqualTo(Digests.sha256(third) + "  last.ckpt\n");
        assertThat(staged).doesNotExist();
        // and the finished save leaves one line, which other content no longer matches
        Files.write(f, old);
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).hasMessageContaining("SHA-256 mismatch");
        assertThat(oldSide).isEqualTo(Digests.sha256(old) + "  last.ckpt\n");
    }

    @Test
    void sealRecordsAFileWrittenByOtherMeans() throws Exception {
        Path f = dir.resolve("copy.ckpt");
        Files.write(f, bytes(weights(4)));
        assertThatThrownBy(() -> CheckpointSeal.verify(f)).hasMessageContaining("has no checksum file");
        CheckpointSeal.seal(f);
        CheckpointSeal.verify(f);
    }

    private static byte[] bytes(Checkpoint c) {
        java.nio.ByteBuffer b = c.toFlatBuffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
