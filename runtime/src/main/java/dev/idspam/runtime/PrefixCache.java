package dev.idspam.runtime;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.methods.TaskModel;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * X_m, the hidden states entering the injection layer m, kept per example so that training computes
 * the frozen layers 0..m−1 once instead of every epoch.
 *
 * <p>Why it is exact: below m the graph is the frozen backbone, which has no dropout and no
 * trainable weight ({@link dev.idspam.graphs.methods.Method#frozenPrefixLayers}), so X_m of an example
 * is a fixed function of its tokens. Per example only its L real positions are kept
 * ({@code [L, n]} floats; L = last position whose mask is 1, plus one). A batch of the suffix graphs
 * gets X_m {@code [rows, T, n]} with those rows and zeros at padded positions. Padded positions
 * never reach a real one: as attention keys they get the additive mask −10000, whose softmax weight
 * underflows to exactly 0 in float32; every other operation (projections, LayerNorm, feed-forward)
 * is per position; the head reads a real position. So the suffix computes the same logits and loss
 * as the whole graph, which the pipeline's tests check (losses within 1e-6, the same best epoch).
 *
 * <p>Storage: {@link Mode#MEMORY} keeps one float array per example on the Java heap;
 * {@link Mode#DISK} writes little-endian float32 to a scratch file and maps it read-only (in
 * segments of at most {@value #SEGMENT_BYTES} bytes, no example split between two). The file is the
 * cache of one run: it is created fresh and removed by {@link #close}, so it can never be stale.
 */
public final class PrefixCache implements AutoCloseable {
    /** How {@code --prefix-cache} is set: {@code auto} uses memory when the cache fits the cap, else trains without. */
    public enum Mode {
        AUTO, OFF, MEMORY, DISK;

        public String option() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses an option value; the error lists the values. */
        public static Mode parse(String value) {
            for (Mode m : values()) {
                if (m.option().equals(value)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("--prefix-cache must be auto, off, memory or disk, got '" + value + "'");
        }
    }

    /** A mapped segment's size limit (a MappedByteBuffer addresses at most 2 GiB). */
    static final long SEGMENT_BYTES = 1L << 30;

    private final int hidden;
    private final Map<Long, Integer> slots;
    private final int[] lengths;
    /** MEMORY: one array per slot. */
    private final float[][] rows;
    /** DISK: the scratch file, where each slot starts, and the mapped segments. */
    private final Path file;
    private final long[] offsets;
    private final List<MappedByteBuffer> segments;
    private final long bytes;

    private PrefixCache(int hidden, Map<Long, Integer> slots, int[] lengths, float[][] rows, Path file, long[] offsets,
                        List<MappedByteBuffer> segments, long bytes) {
        this.hidden = hidden;
        this.slots = slots;
        this.lengths = lengths;
        this.rows = rows;
        this.file = file;
        this.offsets = offsets;
        this.segments = segments;
        this.bytes = bytes;
    }

    /** Examples held. */
    public int size() {
        return lengths.length;
    }

    /** Bytes of X_m held (float32, real positions only). */
    public long bytes() {
        return bytes;
    }

    /**
     * The bytes a cache of {@code source} takes: the real positions of every distinct example times
     * the hidden size times 4. Reads only the masks (no model runs).
     */
    public static long estimateBytes(BatchSource source, String keyInput, int hidden) {
        Map<Long, Integer> seen = new HashMap<>();
        long positions = 0;
        Iterator<Batch> it = source.batches(0);
        while (it.hasNext()) {
            Batch b = it.next();
            long[] keys = ((HostTensor.Longs) b.get(keyInput)).data();
            HostTensor.Longs mask = (HostTensor.Longs) b.get(TaskModel.ATTENTION_MASK);
            int len = (int) mask.shape()[1];
            for (int r = 0; r < keys.length; r++) {
                if (seen.putIfAbsent(keys[r], r) == null) {
                    positions += realLength(mask.data(), r, len);
                }
            }
        }
        return positions * hidden * 4L;
    }

    /** Index of the last 1 of row {@code r} of the mask, plus one. */
    private static int realLength(long[] mask, int r, int len) {
        for (int j = len - 1; j >= 0; j--) {
            if (mask[r * len + j] != 0) {
                return j + 1;
            }
        }
        return 0;
    }

    /**
     * The training data with X_m added to every batch as {@value ArtifactNames#PREFIX_HIDDEN}: the
     * same batches in the same order, each example's cached rows zero-padded to the batch length.
     */
    public BatchSource wrap(BatchSource source, String keyInput) {
        return new BatchSource() {
            @Override
            public int batchesPerEpoch() {
                return source.batchesPerEpoch();
            }

            @Override
            public Iterator<Batch> batches(int epoch) {
                return BatchSource.mapping(source.batches(epoch), b -> withPrefix(b, keyInput));
            }
        };
    }

    private Batch withPrefix(Batch b, String keyInput) {
        long[] keys = ((HostTensor.Longs) b.get(keyInput)).data();
        long[] shape = b.get(TaskModel.ATTENTION_MASK).shape();
        int t = (int) shape[1];
        float[] x = new float[Math.multiplyExact(Math.multiplyExact(keys.length, t), hidden)];
        for (int r = 0; r < keys.length; r++) {
            Integer slot = slots.get(keys[r]);
            if (slot == null) {
                throw new IllegalStateException("the prefix cache holds no example " + keys[r] + "; it was built from"
                        + " other data");
            }
            int len = lengths[slot];
            if (len > t) {
                throw new IllegalStateException("example " + keys[r] + " has " + len + " cached positions but its batch is "
                        + t + " long; the cache was built from other data");
            }
            copyRows(slot, x, r * t * hidden, len * hidden);
        }
        Map<String, HostTensor> m = new LinkedHashMap<>(b.inputs());
        m.put(ArtifactNames.PREFIX_HIDDEN, HostTensor.floats(x, keys.length, t, hidden));
        return new Batch(m);
    }

    private void copyRows(int slot, float[] into, int at, int count) {
        if (rows != null) {
            System.arraycopy(rows[slot], 0, into, at, count);
            return;
        }
        long off = offsets[slot];
        MappedByteBuffer seg = segments.get((int) (off / SEGMENT_BYTES));
        FloatBuffer fb = seg.duplicate().order(ByteOrder.LITTLE_ENDIAN).position((int) (off % SEGMENT_BYTES))
                .slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        fb.get(into, at, count);
    }

    /** Frees the arrays, or unmaps and deletes the scratch file. */
    @Override
    public void close() throws IOException {
        if (file != null) {
            segments.clear(); // the mappings go with the buffers; Linux lets a mapped file be deleted
            Files.deleteIfExists(file);
        }
    }

    /**
     * The prefix graph of an artifacts folder on a plain ONNX Runtime session, fed the frozen weights
     * it reads from the artifacts' initial checkpoint (frozen weights never change in training).
     */
    public static final class Model implements AutoCloseable {
        private final NativeRuntime runtime;
        private final OrtSession session;
        private final Map<String, OnnxTensor> weights = new LinkedHashMap<>();
        private final List<String> tokenInputs = new ArrayList<>();
        private final int hidden;

        private Model(NativeRuntime runtime, Artifacts artifacts) throws IOException {
            this.runtime = runtime;
            if (!artifacts.hasPrefixCacheGraphs()) {
                throw new IllegalArgumentException(artifacts.directory() + ": no " + ArtifactNames.PREFIX_MODEL
                        + "; the method has no frozen prefix to cache, or the artifacts predate the prefix cache");
            }
            try (OrtSession.SessionOptions so = runtime.sessionOptions()) {
                session = runtime.environment().createSession(artifacts.prefixModel().toString(), so);
            } catch (OrtException e) {
                throw new NativeRuntimeException("loading the prefix graph " + artifacts.prefixModel(), e);
            }
            try {
                Checkpoint initial = Checkpoint.read(artifacts.checkpoint());
                Map<String, TensorData> params = initial.parameters();
                for (String name : session.getInputNames()) {
                    TensorData t = params.get(name);
                    if (t == null) {
                        tokenInputs.add(name);
                    } else {
                        weights.put(name, OrtTensors.toOnnx(runtime.environment(), HostTensor.floats(t.toFloats(), t.dims())));
                    }
                }
                NodeInfo out = session.getOutputInfo().get(ArtifactNames.PREFIX_HIDDEN);
                long[] shape = out == null ? null : ((TensorInfo) out.getInfo()).getShape();
                if (shape == null || shape.length != 3 || shape[2] < 1) {
                    throw new IllegalStateException(artifacts.prefixModel() + ": output " + ArtifactNames.PREFIX_HIDDEN
                            + " must be [batch, sequence, hidden] with a fixed hidden size");
                }
                hidden = (int) shape[2];
            } catch (OrtException e) {
                close();
                throw new NativeRuntimeException("reading the prefix graph " + artifacts.prefixModel(), e);
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
        }

        public static Model open(NativeRuntime runtime, Artifacts artifacts) throws IOException {
            return new Model(runtime, artifacts);
        }

        /** n, the width of X_m. */
        public int hidden() {
            return hidden;
        }

        /**
         * Runs the prefix once over the batches of {@code source} (epoch 0) and keeps each distinct
         * example's X_m, keyed by the batch input {@code keyInput}; with {@code scratch} non-null, in
         * that file (whatever was at that path, a link included, is removed first), else in memory.
         */
        public PrefixCache cache(BatchSource source, String keyInput, Path scratch) throws IOException {
            Map<Long, Integer> slots = new HashMap<>();
            List<Integer> lengths = new ArrayList<>();
            List<float[]> rows = new ArrayList<>();
            List<Long> offsets = new ArrayList<>();
            if (scratch != null) {
                // a file or link left there (a killed run, or planted) is removed, never followed or truncated
                Files.deleteIfExists(scratch);
            }
            FileChannel ch = scratch == null ? null : FileChannel.open(scratch, StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.READ, StandardOpenOption.WRITE, java.nio.file.LinkOption.NOFOLLOW_LINKS);
            long pos = 0;
            long held = 0;
            try {
                Iterator<Batch> it = source.batches(0);
                while (it.hasNext()) {
                    Batch b = it.next();
                    long[] keys = ((HostTensor.Longs) b.get(keyInput)).data();
                    HostTensor.Longs mask = (HostTensor.Longs) b.get(TaskModel.ATTENTION_MASK);
                    int len = (int) mask.shape()[1];
                    float[] xm = run(b);
                    for (int r = 0; r < keys.length; r++) {
                        if (slots.containsKey(keys[r])) {
                            continue;
                        }
                        int real = realLength(mask.data(), r, len);
                        int count = real * hidden;
                        slots.put(keys[r], lengths.size());
                        lengths.add(real);
                        held += 4L * count;
                        if (ch == null) {
                            float[] row = new float[count];
                            System.arraycopy(xm, r * len * hidden, row, 0, count);
                            rows.add(row);
                        } else {
                            long size = 4L * count;
                            if (pos / SEGMENT_BYTES != (pos + size - 1) / SEGMENT_BYTES && size > 0) {
                                pos = (pos / SEGMENT_BYTES + 1) * SEGMENT_BYTES; // keep an example in one segment
                            }
                            ByteBuffer buf = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
                            buf.asFloatBuffer().put(xm, r * len * hidden, count);
                            for (long at = pos; buf.hasRemaining(); ) {
                                at += ch.write(buf, at);
                            }
                            offsets.add(pos);
                            pos += size;
                        }
                    }
                }
                int[] lens = lengths.stream().mapToInt(Integer::intValue).toArray();
                if (ch == null) {
                    return new PrefixCache(hidden, slots, lens, rows.toArray(new float[0][]), null, null, null, held);
                }
                List<MappedByteBuffer> segments = new ArrayList<>();
                for (long start = 0; start < pos; start += SEGMENT_BYTES) {
                    segments.add(ch.map(FileChannel.MapMode.READ_ONLY, start, Math.min(SEGMENT_BYTES, pos - start)));
                }
                return new PrefixCache(hidden, slots, lens, null, scratch,
                        offsets.stream().mapToLong(Long::longValue).toArray(), segments, held);
            } catch (IOException | RuntimeException e) {
                if (ch != null) {
                    ch.close();
                    ch = null;
                    Files.deleteIfExists(scratch);
                }
                throw e;
            } finally {
                if (ch != null) {
                    ch.close(); // the mappings stay valid after the channel is closed
                }
            }
        }

        /** The batch with X_m added as {@value ArtifactNames#PREFIX_HIDDEN} (computed now, not cached). */
        public Batch withPrefix(Batch b) {
            long[] shape = b.get(TaskModel.ATTENTION_MASK).shape();
            Map<String, HostTensor> m = new LinkedHashMap<>(b.inputs());
            m.put(ArtifactNames.PREFIX_HIDDEN, HostTensor.floats(run(b), shape[0], shape[1], hidden));
            return new Batch(m);
        }

        /** X_m of one batch, {@code [rows * len * hidden]}. */
        private float[] run(Batch b) {
            try (OrtTensors.Scope scope = new OrtTensors.Scope()) {
                Map<String, OnnxTensor> feeds = new LinkedHashMap<>();
                for (String name : session.getInputNames()) {
                    OnnxTensor w = weights.get(name);
                    feeds.put(name, w != null ? w : scope.add(OrtTensors.toOnnx(runtime.environment(), b.get(name))));
                }
                try (OrtSession.Result r = session.run(feeds)) {
                    OnnxValue v = r.get(ArtifactNames.PREFIX_HIDDEN).orElseThrow();
                    return ((HostTensor.Floats) OrtTensors.fromOnnx(ArtifactNames.PREFIX_HIDDEN, v)).data();
                }
            } catch (OrtException e) {
                throw new NativeRuntimeException("running the prefix graph", e);
            }
        }

        @Override
        public void close() {
            weights.values().forEach(OnnxTensor::close);
            weights.clear();
            if (session != null) {
                try {
                    session.close();
                } catch (OrtException e) {
                    throw new NativeRuntimeException("closing the prefix graph", e);
                }
            }
        }
    }
}
