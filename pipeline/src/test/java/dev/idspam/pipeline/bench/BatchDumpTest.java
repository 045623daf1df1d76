package dev.idspam.pipeline.bench;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batches the benchmark writes for another implementation: every model input and the labels of
 * every batch, as NumPy files whose header and data read back to the batch, listed by an index in
 * benchmark order.
 */
class BatchDumpTest {

    @Test
    void writesEveryBatchAsNpyFilesAndAnIndexInBenchmarkOrder(@TempDir Path dir) throws Exception {
        TrainingBenchmark.Spec spec = new TrainingBenchmark.Spec("minilm-l6", List.of(), 3, 5, 0, 1, null, dir, dir, null);
        List<Batch> fixed = TrainingBenchmark.fixedBatches(spec, 30522);
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put(TaskModel.INPUT_IDS, HostTensor.longs(new long[] {101, 7592, 102, 101, 102, 0}, 2, 3));
        m.put(TaskModel.ATTENTION_MASK, HostTensor.longs(new long[] {1, 1, 1, 1, 1, 0}, 2, 3));
        m.put(TaskModel.LABELS, HostTensor.longs(new long[] {1, 0}, 2));
        m.put("example_index", HostTensor.longs(new long[] {4, 9}, 2));
        Map<String, List<Batch>> workloads = new LinkedHashMap<>();
        workloads.put("fixed 3x5", fixed);
        workloads.put("SST-2 lengths", List.of(new Batch(m)));

        BatchDump.write(dir.resolve("out"), workloads, Map.of("backbone", "minilm-l6"));

        JsonObject index = JsonParser.parseString(Files.readString(dir.resolve("out/index.json"))).getAsJsonObject();
        assertThat(index.get("format").getAsString()).isEqualTo(BatchDump.FORMAT);
        assertThat(index.get("backbone").getAsString()).isEqualTo("minilm-l6");
        var ws = index.getAsJsonArray("workloads");
        assertThat(ws).hasSize(2);
        JsonObject first = ws.get(0).getAsJsonObject();
        assertThat(first.get("name").getAsString()).isEqualTo("fixed 3x5");
        assertThat(first.get("folder").getAsString()).isEqualTo("fixed-3x5");
        assertThat(first.get("samples").getAsLong()).isEqualTo(6);
        assertThat(first.getAsJsonArray("batches")).hasSize(fixed.size());
        for (int i = 0; i < fixed.size(); i++) {
            JsonObject b = first.getAsJsonArray("batches").get(i).getAsJsonObject();
            assertThat(b.get("rows").getAsLong()).isEqualTo(3);
            assertThat(b.get("length").getAsLong()).isEqualTo(5);
            JsonObject files = b.getAsJsonObject("files");
            assertThat(files.keySet()).containsExactlyElementsOf(BatchDump.TENSORS);
            for (String name : BatchDump.TENSORS) {
                HostTensor.Longs t = (HostTensor.Longs) fixed.get(i).get(name);
                assertThat(readLongs(dir.resolve("out").resolve(files.get(name).getAsString()), t.shape()))
                        .as(name + " of batch " + i).containsExactly(t.data());
            }
        }
        JsonObject second = ws.get(1).getAsJsonObject();
        assertThat(second.get("folder").getAsString()).isEqualTo("sst-2-lengths");
        JsonObject files = second.getAsJsonArray("batches").get(0).getAsJsonObject().getAsJsonObject("files");
        assertThat(files.keySet()).as("the inputs the batch has, not its bookkeeping")
                .containsExactly(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK, TaskModel.LABELS);
        assertThat(readLongs(dir.resolve("out").resolve(files.get(TaskModel.LABELS).getAsString()), new long[] {2}))
                .containsExactly(1, 0);
    }

    @Test
    void npyHeadersAreAlignedAndNameTypeAndShape() {
        byte[] f = BatchDump.npy(HostTensor.floats(new float[] {0.5f, -1f}, 2));
        int headerLength = ByteBuffer.wrap(f, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        String header = new String(f, 10, headerLength, StandardCharsets.US_ASCII);
        assertThat((10 + headerLength) % 64).isZero();
        assertThat(header).startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }").endsWith("\n");
        assertThat(ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).getFloat(10 + headerLength + 4)).isEqualTo(-1f);
        assertThat(f).hasSize(10 + headerLength + 8);
        String matrix = new String(BatchDump.npy(HostTensor.longs(new long[6], 2, 3)), 10, 60, StandardCharsets.US_ASCII);
        assertThat(matrix).startsWith("{'descr': '<i8', 'fortran_order': False, 'shape': (2, 3), }");
        assertThat(BatchDump.folderName("SST-2 lengths")).isEqualTo("sst-2-lengths");
    }

    /** Reads an int64 .npy file, checking its magic, version and header. */
    private static long[] readLongs(Path file, long[] shape) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        assertThat(bytes[0] & 0xff).isEqualTo(0x93);
        assertThat(new String(bytes, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
        assertThat(bytes[6]).isEqualTo((byte) 1);
        ByteBuffer in = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = in.getShort(8);
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) {
            dims.append(i == 0 ? "" : ", ").append(shape[i]);
        }
        assertThat(header).contains("'descr': '<i8'").contains("'shape': (" + dims + (shape.length == 1 ? ",)" : ")"));
        long[] out = new long[(bytes.length - 10 - headerLength) / 8];
        in.position(10 + headerLength);
        in.asLongBuffer().get(out);
        return out;
    }
}
