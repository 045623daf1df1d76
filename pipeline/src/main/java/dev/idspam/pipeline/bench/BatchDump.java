package dev.idspam.pipeline.bench;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.Batch;
import dev.idspam.runtime.HostTensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Writes the benchmark's batches to a folder, so that another implementation (the plain PyTorch
 * peer under {@code bench/}) can be timed on exactly the batches this benchmark times: the same
 * token ids, masks, types and labels, in the same order and the same bucketing.
 * <p>
 * Layout: one sub-folder per workload (its name in lower case, every run of other characters a
 * dash), holding per batch {@code NNN-<tensor>.npy} for the model inputs {@code input_ids},
 * {@code attention_mask}, {@code token_type_ids} (where the batch has them) and {@code labels}.
 * The files are NumPy {@code .npy} version 1.0 (int64 {@code <i8}, or float32 {@code <f4} for
 * regression targets, little-endian, C order), which NumPy reads with {@code numpy.load} and which
 * is simple enough to read without it. {@code index.json} lists the workloads in benchmark order,
 * each batch's rows, length and files (relative to the folder); it is written last, so a folder
 * with an index holds every file the index names.
 */
public final class BatchDump {
    /** {@code format} of {@code index.json}. */
    public static final String FORMAT = "idspam-benchmark-batches";
    /** {@code format_version} of {@code index.json}. */
    public static final int FORMAT_VERSION = 1;
    /** The index file in the dump folder. */
    public static final String INDEX = "index.json";
    /** The batch tensors that are written, in this order: the models' inputs and the labels. */
    public static final List<String> TENSORS = List.of(TaskModel.INPUT_IDS, TaskModel.ATTENTION_MASK,
            TaskModel.TOKEN_TYPE_IDS, TaskModel.LABELS);

    private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0};
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private BatchDump() {
    }

    /**
     * Writes every workload's batches under {@code dir} (created if missing; files of the same names
     * are replaced, others left alone) and then {@code index.json}.
     *
     * @param workloads workload name → its batches, in benchmark order
     * @param about     extra fields for the index (backbone, batch size, ...), written as given
     */
    public static void write(Path dir, Map<String, List<Batch>> workloads, Map<String, Object> about) throws IOException {
        Files.createDirectories(dir);
        JsonObject index = new JsonObject();
        index.addProperty("format", FORMAT);
        index.addProperty("format_version", FORMAT_VERSION);
        about.forEach((k, v) -> index.add(k, GSON.toJsonTree(v)));
        JsonArray ws = new JsonArray();
        for (Map.Entry<String, List<Batch>> w : workloads.entrySet()) {
            String folder = folderName(w.getKey());
            Files.createDirectories(dir.resolve(folder));
            JsonArray batches = new JsonArray();
            long samples = 0;
            for (int i = 0; i < w.getValue().size(); i++) {
                Batch b = w.getValue().get(i);
                JsonObject entry = new JsonObject();
                entry.addProperty("rows", b.rows());
                entry.addProperty("length", b.get(TaskModel.INPUT_IDS).shape()[1]);
                JsonObject files = new JsonObject();
                for (String name : TENSORS) {
                    HostTensor t = b.inputs().get(name);
                    if (t == null) {
                        continue;
                    }
                    String file = String.format(Locale.ROOT, "%s/%03d-%s.npy", folder, i, name);
                    AtomicFiles.write(dir.resolve(file), npy(t));
                    files.addProperty(name, file);
                }
                entry.add("files", files);
                batches.add(entry);
                samples += b.rows();
            }
            JsonObject wo = new JsonObject();
            wo.addProperty("name", w.getKey());
            wo.addProperty("folder", folder);
            wo.addProperty("samples", samples);
            wo.add("batches", batches);
            ws.add(wo);
        }
        index.add("workloads", ws);
        AtomicFiles.writeString(dir.resolve(INDEX), GSON.toJson(index) + "\n");
    }

    /**
     * A workload's folder: {@code "fixed 32x128"} → {@code fixed-32x128}, {@code "SST-2 lengths"} → {@code sst-2-lengths}.
     */
    static String folderName(String workload) {
        String s = workload.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (s.isEmpty()) {
            throw new IllegalArgumentException("workload name '" + workload + "' gives no folder name");
        }
        return s;
    }

    /** A tensor as a NumPy {@code .npy} (format 1.0) file; {@code bench/PeerCheck.java} writes its outputs with it. */
    public static byte[] npy(HostTensor t) {
        long[] shape = t.shape();
        StringJoiner dims = new StringJoiner(", ", "(", shape.length == 1 ? ",)" : ")");
        for (long d : shape) {
            dims.add(Long.toString(d));
        }
        String descr = t instanceof HostTensor.Floats ? "<f4" : "<i8";
        String header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        // magic (8) + header length (2) + header, padded with spaces and ended by '\n' to a multiple of 64
        int unpadded = NPY_MAGIC.length + 2 + header.length() + 1;
        int padding = (64 - unpadded % 64) % 64;
        byte[] h = (header + " ".repeat(padding) + "\n").getBytes(StandardCharsets.US_ASCII);
        int elementBytes = t instanceof HostTensor.Floats ? 4 : 8;
        ByteBuffer out = ByteBuffer.allocate(NPY_MAGIC.length + 2 + h.length + t.size() * elementBytes)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.put(NPY_MAGIC).putShort((short) h.length).put(h);
        if (t instanceof HostTensor.Floats f) {
            for (float v : f.data()) {
                out.putFloat(v);
            }
        } else {
            for (long v : ((HostTensor.Longs) t).data()) {
                out.putLong(v);
            }
        }
        return out.array();
    }
}
