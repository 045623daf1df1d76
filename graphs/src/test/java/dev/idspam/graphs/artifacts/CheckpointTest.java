package dev.idspam.graphs.artifacts;

import com.google.flatbuffers.FlatBufferBuilder;
import dev.idspam.graphs.build.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

class CheckpointTest {
    @TempDir
    Path dir;

    private static Checkpoint sample() {
        SplittableRandom r = new SplittableRandom(7);
        TensorData w = TinyMlp.gaussian(r, 1, 3, 2);
        TensorData b = TinyMlp.gaussian(r, 1, 2);
        Map<String, OptimizerState.Moments> moments = new LinkedHashMap<>();
        moments.put("W", new OptimizerState.Moments(TinyMlp.gaussian(r, 1, 3, 2), TinyMlp.gaussian(r, 1, 3, 2)));
        moments.put("b", new OptimizerState.Moments(TinyMlp.gaussian(r, 1, 2), TinyMlp.gaussian(r, 1, 2)));
        PropertyBag props = PropertyBag.empty()
                .withInt("answer", 0x7F47_0000_002AL).withInt("zero", 0)
                .withFloat("lr", 0.05f).withString("note", "größe ✓");
        return new Checkpoint(
                List.of(new NamedTensor("W", w), new NamedTensor("b", b)),
                List.of(new NamedTensor("frozen", TinyMlp.gaussian(r, 1, 4)),
                        new NamedTensor("scalar", TensorData.scalarFloat(2.5f)),
                        new NamedTensor("empty", TensorData.zeros(dev.idspam.graphs.build.DType.FLOAT, 0, 3)),
                        new NamedTensor("ids", TensorData.ofLongs(new long[] {2}, Long.MIN_VALUE, 42))),
                Optional.of(new OptimizerState(15, 0.001f, moments)), props);
    }

    @Test
    void roundTripKeepsTensorsOptimizerStateAndProperties() throws Exception {
        Checkpoint c = sample();
        Path f = dir.resolve("ckpt");
        c.write(f);
        Checkpoint back = Checkpoint.read(f);
        assertThat(back).isEqualTo(c);
        assertThat(back.optimizer().orElseThrow().step()).isEqualTo(15);
        assertThat(back.properties().ints()).containsEntry("answer", 0x7F47_0000_002AL);
        assertThat(back.properties().strings()).containsEntry("note", "größe ✓");

        CheckpointSummary s = Checkpoint.inspect(f);
        assertThat(s.trainableNames()).containsExactly("W", "b");
        assertThat(s.frozenNames()).containsExactly("frozen", "scalar", "empty", "ids");
        assertThat(s.optimizerStep()).hasValue(15);
        assertThat(s.hasMoments()).isTrue();
        assertThat(s.fileBytes()).isEqualTo(Files.size(f));
    }

    @Test
    void encodingIsDeterministicAndAligned() throws Exception {
        ByteBuffer a = sample().toFlatBuffer();
        ByteBuffer b = sample().toFlatBuffer();
        assertThat(a).isEqualTo(b);
        assertThat(a.get(4)).isEqualTo((byte) 'O');
        // every raw_data payload starts on a 16-byte boundary, every dims vector on 8
        FlatView v = new FlatView(a, "mem");
        FlatView.Table root = v.root("Checkpoint");
        FlatView.Table module = root.table(CheckpointWriter.CHECKPOINT_MODULE_STATE, "ModuleState");
        FlatView.Vec frozen = module.vector(CheckpointWriter.MODULE_FROZEN, 4, "frozen");
        for (int i = 0; i < frozen.length(); i++) {
            FlatView.Table t = module.tableAt(frozen, i, "t");
            assertThat(t.vector(CheckpointWriter.TENSOR_RAW_DATA, 1, "raw").start() % 16).isZero();
            assertThat(t.vector(CheckpointWriter.TENSOR_DIMS, 8, "dims").start() % 8).isZero();
        }
    }

    @Test
    void refusesTruncatedFiles() throws Exception {
        byte[] full = bytes(sample().toFlatBuffer());
        for (int len : new int[] {0, 3, 7, 8, 12, 64, full.length / 3, full.length / 2, full.length - 100}) {
            Path f = dir.resolve("cut" + len);
            Files.write(f, Arrays.copyOf(full, len));
            assertThatThrownBy(() -> Checkpoint.read(f))
                    .as("length %d", len)
                    .isInstanceOf(ArtifactFormatException.class)
                    .hasMessageStartingWith(f.toString());
        }
        Path f = dir.resolve("cut8");
        assertThatThrownBy(() -> Checkpoint.read(f)).hasMessageContaining("points outside the file");
    }

    @Test
    void refusesWrongIdentifierAndVersion() throws Exception {
        byte[] b = bytes(sample().toFlatBuffer());
        b[4] = 'X';
        Path f = dir.resolve("ident");
        Files.write(f, b);
        assertThatThrownBy(() -> Checkpoint.read(f)).isInstanceOf(ArtifactFormatException.class)
                .hasMessage(f + ": not an ONNX Runtime training checkpoint (file identifier is 'XDTC', expected 'ODTC')");

        Path v3 = dir.resolve("v3");
        Files.write(v3, bytes(handMade(3, true)));
        assertThatThrownBy(() -> Checkpoint.read(v3)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("checkpoint version 3 is not supported (expected 2");

        Path noFrozen = dir.resolve("nofrozen");
        Files.write(noFrozen, bytes(handMade(2, false)));
        assertThatThrownBy(() -> Checkpoint.read(noFrozen)).isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("no frozen_params vector");

        assertThat(Checkpoint.read(write("ok", handMade(2, true))).trainable()).isEmpty();
        assertThatThrownBy(() -> Checkpoint.read(dir.resolve("absent"))).isInstanceOf(ArtifactFormatException.class)
                .hasMessageContaining("does not exist");
    }

    /** Random byte flips and truncations: the reader either succeeds or throws ArtifactFormatException. */
    @Test
    void neverFailsWithAnythingButAFormatErrorOnCorruptInput() {
        byte[] good = bytes(sample().toFlatBuffer());
        SplittableRandom r = new SplittableRandom(11);
        int refused = 0;
        for (int trial = 0; trial < 2000; trial++) {
            byte[] b = good.clone();
            int flips = 1 + r.nextInt(3);
            for (int k = 0; k < flips; k++) {
                b[r.nextInt(b.length)] = (byte) r.nextInt(256);
            }
            if (trial % 4 == 0) {
                b = Arrays.copyOf(b, r.nextInt(b.length));
            }
            try {
                Checkpoint.parse(ByteBuffer.wrap(b), "fuzz");
            } catch (ArtifactFormatException expected) {
                assertThat(expected.getMessage()).startsWith("fuzz: ");
                refused++;
            } catch (RuntimeException | Error e) {
                fail("trial " + trial + " threw " + e, e);
            }
        }
        assertThat(refused).isGreaterThan(500);
    }

    @Test
    void handlesLargeTensorsInOnePass() throws Exception {
        int n = 10_000_000; // 3 × 40 MB
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = i * 0.5f;
        }
        TensorData big = TensorData.ofFloats(new long[] {n}, v);
        Checkpoint c = new Checkpoint(List.of(new NamedTensor("a", big)),
                List.of(new NamedTensor("b", big), new NamedTensor("c", big)), Optional.empty(), PropertyBag.empty());
        Path f = dir.resolve("big");
        c.write(f);
        assertThat(Files.size(f)).isBetween(3L * 4 * n, 3L * 4 * n + 1024);
        Checkpoint back = Checkpoint.read(f);
        assertThat(back.parameter("c").toFloats()[n - 1]).isEqualTo((n - 1) * 0.5f);
        assertThat(back.parameter("a")).isEqualTo(big);
    }

    @Test
    void rejectsInconsistentContentOnConstruction() {
        TensorData w = TensorData.ofFloats(new long[] {2}, 1, 2);
        assertThatThrownBy(() -> new Checkpoint(List.of(new NamedTensor("w", w)), List.of(new NamedTensor("w", w)),
                Optional.empty(), PropertyBag.empty())).hasMessageContaining("'w' twice");
        OptimizerState wrongShape = new OptimizerState(1, 0.1f, Map.of("w",
                new OptimizerState.Moments(TensorData.ofFloats(new long[] {1}, 0), TensorData.ofFloats(new long[] {1}, 0))));
        assertThatThrownBy(() -> new Checkpoint(List.of(new NamedTensor("w", w)), List.of(), Optional.of(wrongShape),
                PropertyBag.empty())).hasMessageContaining("moments of 'w'");
    }

    private Path write(String name, ByteBuffer b) throws Exception {
        Path f = dir.resolve(name);
        Files.write(f, bytes(b));
        return f;
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    /** A minimal checkpoint with no tensors, a chosen version, and optionally no frozen vector. */
    private static ByteBuffer handMade(int version, boolean withFrozen) {
        FlatBufferBuilder fb = new FlatBufferBuilder(256);
        int empty1 = fb.createVectorOfTables(new int[0]);
        int empty2 = fb.createVectorOfTables(new int[0]);
        fb.startTable(2);
        fb.addOffset(0, empty1, 0);
        if (withFrozen) {
            fb.addOffset(1, empty2, 0);
        }
        int module = fb.endTable();
        fb.startTable(4);
        fb.addInt(0, version, 0);
        fb.addOffset(1, module, 0);
        int root = fb.endTable();
        fb.finish(root, "ODTC");
        return fb.dataBuffer();
    }
}
