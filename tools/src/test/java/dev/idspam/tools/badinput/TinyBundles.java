package dev.idspam.tools.badinput;

import dev.idspam.tools.CliRun;

import ai.onnx.proto.OnnxMl;
import com.google.protobuf.ByteString;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Untrained bundles on the tiny backbone of {@link TinyRun} (generate, then export the initial
 * weights), for tests that need a bundle but not a trained one, and a way to spoil one's weights.
 */
final class TinyBundles {
    private TinyBundles() {
    }

    /** Generates {@code task} artifacts under {@code dir} and exports them to {@code dir/<task>-bundle}. */
    static Path build(Path dir, String task) throws IOException {
        Path backbone = dir.resolve("backbone");
        if (!Files.isDirectory(backbone)) {
            TinyRun.writeBackbone(backbone, 11);
        }
        Path run = dir.resolve(task + "-run");
        Path bundle = dir.resolve(task + "-bundle");
        cli("generate", "--backbone", backbone.toString(), "--method", "idspam", "--layer", "1", "--prompt-tokens", "2",
                "--bottleneck", "8", "--generator-heads", "2", "--task", task, "--max-length", "32", "--seed", "3",
                "--out", run.toString());
        cli("export", "--artifacts", run.toString(), "--out", bundle.toString(), "--threads", "1");
        return bundle;
    }

    private static void cli(String... args) {
        CliRun r = CliRun.of(args);
        if (r.exit() != 0) {
            throw new IllegalStateException("idspam " + String.join(" ", args) + " exited " + r.exit() + ": " + r.err());
        }
    }

    /**
     * Model bytes whose largest float initializer (the word embeddings) is all NaN, as a diverged
     * training run leaves them; the graph is otherwise unchanged, so it loads and runs.
     */
    static byte[] withNanWeights(byte[] model) {
        try {
            OnnxMl.ModelProto m = OnnxMl.ModelProto.parseFrom(model);
            OnnxMl.GraphProto.Builder g = m.getGraph().toBuilder();
            int biggest = -1;
            for (int i = 0; i < g.getInitializerCount(); i++) {
                OnnxMl.TensorProto t = g.getInitializer(i);
                if (t.getDataType() == OnnxMl.TensorProto.DataType.FLOAT.getNumber() && (biggest < 0
                        || size(t) > size(g.getInitializer(biggest)))) {
                    biggest = i;
                }
            }
            OnnxMl.TensorProto t = g.getInitializer(biggest);
            ByteBuffer nan = ByteBuffer.allocate(4 * (int) size(t)).order(ByteOrder.LITTLE_ENDIAN);
            while (nan.hasRemaining()) {
                nan.putFloat(Float.NaN);
            }
            g.setInitializer(biggest, t.toBuilder().clearFloatData().setRawData(ByteString.copyFrom(nan.array())).build());
            return m.toBuilder().setGraph(g).build().toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long size(OnnxMl.TensorProto t) {
        return t.getDimsList().stream().mapToLong(Long::longValue).reduce(1, (a, b) -> a * b);
    }

    /** Replaces {@code bundle}'s model by one with NaN weights and records its checksum, so only the outputs tell. */
    static void spoilWeights(Path bundle) throws IOException {
        Path model = bundle.resolve("model.onnx");
        byte[] bad = withNanWeights(Files.readAllBytes(model));
        Files.delete(model);
        Files.write(model, bad);
        Path manifest = bundle.resolve("bundle.json");
        String json = Files.readString(manifest);
        String sha = Workspace.sha256(model);
        String edited = json.replaceAll("\"model_sha256\": \"[0-9a-f]{64}\"", "\"model_sha256\": \"" + sha + "\"");
        Files.delete(manifest);
        Files.writeString(manifest, edited);
    }
}
