package dev.idspam.serving;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Holds the frozen backbone weights of the adapter bundles open in this process, one copy per
 * weights file: the file is read once into native memory, checked against its SHA-256, and wrapped
 * as ONNX Runtime tensors that every adapter session over that backbone receives as initializers
 * ({@code SessionOptions.addInitializer}), so N adapters hold one copy of the backbone.
 *
 * <p>Lifetime: a session uses the tensors' memory for as long as it lives, so each adapter holds a
 * {@link Lease} and returns it only after closing its session; the tensors are freed when the last
 * lease is returned. Thread-safe (acquire and release are synchronised; reading a file happens
 * under the lock, so two adapters opened at once still read it once).
 *
 * <p>The file is a safetensors file (8-byte little-endian header length, a JSON header of
 * {@code name -> {dtype, shape, data_offsets}}, then the data); only {@code F32} tensors occur.
 */
public final class BackboneWeightsStore {
    private static final BackboneWeightsStore SHARED = new BackboneWeightsStore();
    /** One ByteBuffer holds the whole file; the exported backbones are far below this. */
    private static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    private static final long MAX_HEADER_BYTES = 100L << 20;

    private final Map<String, Loaded> files = new HashMap<>();

    /** The store of this process; adapter bundles opened with {@link Predictor} share it. */
    public static BackboneWeightsStore shared() {
        return SHARED;
    }

    /** How many weights files are held now (each once, whatever the number of adapters). */
    public synchronized int heldFiles() {
        return files.size();
    }

    /** One adapter's use of a weights file's tensors; {@link #close} after the session that uses them. */
    public final class Lease implements AutoCloseable {
        private final Loaded loaded;
        private boolean closed;

        private Lease(Loaded loaded) {
            this.loaded = loaded;
        }

        /** The file's tensors by name; valid until this lease is closed. */
        public Map<String, OnnxTensor> tensors() {
            return loaded.tensors;
        }

        @Override
        public void close() {
            synchronized (BackboneWeightsStore.this) {
                if (closed) {
                    return;
                }
                closed = true;
                if (--loaded.leases == 0) {
                    files.remove(loaded.sha256);
                    loaded.tensors.values().forEach(OnnxTensor::close);
                }
            }
        }
    }

    private static final class Loaded {
        final String sha256;
        final Map<String, OnnxTensor> tensors;
        /** Keeps the native memory the tensors point into reachable while they live. */
        @SuppressWarnings({"unused", "FieldCanBeLocal"})
        final ByteBuffer data;
        int leases;

        Loaded(String sha256, Map<String, OnnxTensor> tensors, ByteBuffer data) {
            this.sha256 = sha256;
            this.tensors = tensors;
            this.data = data;
        }
    }

    /**
     * The tensors of {@code file}, read now unless already held. Refuses a file whose SHA-256 is not
     * {@code expectedSha256}, naming both digests, and a file that is not a well-formed weights file.
     */
    public synchronized Lease acquire(Path file, String expectedSha256) throws IOException {
        Loaded l = files.get(expectedSha256);
        if (l == null) {
            l = load(file, expectedSha256);
            files.put(expectedSha256, l);
        }
        l.leases++;
        return new Lease(l);
    }

    private static Loaded load(Path file, String expectedSha256) throws IOException {
        ByteBuffer all;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > MAX_FILE_BYTES) {
                throw new IOException(file + ": " + size + " bytes is more than one weights file may hold (" + MAX_FILE_BYTES + ")");
            }
            all = ByteBuffer.allocateDirect((int) size).order(ByteOrder.LITTLE_ENDIAN);
            while (all.hasRemaining() && ch.read(all) >= 0) {
                // reads until the buffer is full or the file ends
            }
            all.flip();
        }
        String actual = sha256(all.duplicate());
        if (!actual.equals(expectedSha256)) {
            throw new IOException(file + ": SHA-256 mismatch (the adapter bundle expects backbone weights " + expectedSha256
                    + ", the file has " + actual + "); use the weights file the adapter was exported with");
        }
        Map<String, Header> headers = headers(all, file);
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        Map<String, OnnxTensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Header> e : headers.entrySet()) {
                Header h = e.getValue();
                ByteBuffer slice = all.slice((int) h.begin, (int) (h.end - h.begin)).order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(e.getKey(), OnnxTensor.createTensor(env, slice.asFloatBuffer(), h.shape));
            }
        } catch (OrtException | RuntimeException e) {
            tensors.values().forEach(OnnxTensor::close);
            throw new IOException(file + ": creating the backbone tensors failed: " + e.getMessage(), e);
        }
        return new Loaded(expectedSha256, Collections.unmodifiableMap(tensors), all);
    }

    private record Header(long[] shape, long begin, long end) { }

    /** Parses the safetensors header of {@code all}; offsets are returned as absolute positions in the file. */
    private static Map<String, Header> headers(ByteBuffer all, Path file) throws IOException {
        if (all.remaining() < 8) {
            throw new IOException(file + ": not a weights file (" + all.remaining() + " bytes, too short for a header)");
        }
        long n = all.getLong(0);
        if (n <= 0 || n > MAX_HEADER_BYTES || 8 + n > all.remaining()) {
            throw new IOException(file + ": not a weights file (header length " + n + " does not fit the file)");
        }
        byte[] text = new byte[(int) n];
        all.get(8, text);
        JsonObject root;
        try {
            JsonElement e = JsonParser.parseString(new String(text, StandardCharsets.UTF_8));
            if (!e.isJsonObject()) {
                throw new IOException(file + ": not a weights file (its header is not a JSON object)");
            }
            root = e.getAsJsonObject();
        } catch (JsonParseException e) {
            throw new IOException(file + ": not a weights file (malformed JSON header)");
        }
        long dataStart = 8 + n;
        long dataBytes = all.remaining() - dataStart;
        Map<String, Header> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : root.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                continue;
            }
            String where = file + ": tensor '" + e.getKey() + "'";
            try {
                JsonObject t = e.getValue().getAsJsonObject();
                String dtype = t.get("dtype").getAsString();
                if (!dtype.equals("F32")) {
                    throw new IOException(where + " has dtype " + dtype + "; backbone weights are F32");
                }
                List<Long> dims = new ArrayList<>();
                long count = 1;
                for (JsonElement d : t.getAsJsonArray("shape")) {
                    long v = d.getAsLong();
                    if (v < 0) {
                        throw new IOException(where + " has a negative dimension");
                    }
                    dims.add(v);
                    count = Math.multiplyExact(count, v);
                }
                long begin = t.getAsJsonArray("data_offsets").get(0).getAsLong();
                long end = t.getAsJsonArray("data_offsets").get(1).getAsLong();
                if (begin < 0 || end < begin || end > dataBytes || end - begin != 4 * count || begin % 4 != 0) {
                    throw new IOException(where + " has data offsets [" + begin + ", " + end + "] that do not fit its shape "
                            + dims + " and the file's " + dataBytes + " data bytes");
                }
                out.put(e.getKey(), new Header(dims.stream().mapToLong(Long::longValue).toArray(), dataStart + begin, dataStart + end));
            } catch (IllegalStateException | NullPointerException | UnsupportedOperationException | ClassCastException
                     | IndexOutOfBoundsException | NumberFormatException | ArithmeticException ex) {
                throw new IOException(where + " is malformed (needs dtype, shape and data_offsets)");
            }
        }
        return out;
    }

    static String sha256(ByteBuffer data) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(data);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
