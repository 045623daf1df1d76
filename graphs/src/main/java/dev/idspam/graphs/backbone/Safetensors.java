package dev.idspam.graphs.backbone;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.io.AtomicFiles;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header mapping tensor names
 * to {@code dtype}, {@code shape} and {@code data_offsets} (relative to the end of the header), then
 * the raw little-endian data. Float tensors stored as F32, F16 or BF16 are read as float32.
 */
public final class Safetensors {
    private Safetensors() {
    }

    /** Storage types the writer can produce (and the reader converts to float32). */
    public enum StorageType { F32, F16, BF16 }

    /** One header entry; offsets are absolute positions in the file. */
    public record Entry(String name, String dtype, long[] shape, long begin, long end) {
        public long numElements() {
            return TensorData.count(shape);
        }
    }

    /** An open safetensors file. Reads one tensor at a time, straight from the file. */
    public static final class Reader implements AutoCloseable {
        private final Path file;
        private final FileChannel channel;
        private final Map<String, Entry> entries;
        private boolean closed;

        private Reader(Path file, FileChannel channel, Map<String, Entry> entries) {
            this.file = file;
            this.channel = channel;
            this.entries = entries;
        }

        /** Header entries in file order (the {@code __metadata__} block excluded). */
        public Map<String, Entry> entries() {
            return entries;
        }

        /** Reads an F32/F16/BF16 tensor as float32. */
        public TensorData readFloat(String name) throws IOException {
            if (closed) {
                throw new IllegalStateException("Safetensors.Reader is closed");
            }
            Entry e = entries.get(name);
            if (e == null) {
                throw new IllegalArgumentException(file + ": no tensor '" + name + "'");
            }
            int width = switch (e.dtype()) {
                case "F32" -> 4;
                case "F16", "BF16" -> 2;
                default -> throw new IllegalArgumentException(file + ": tensor '" + name + "' has dtype " + e.dtype()
                        + "; only F32, F16 and BF16 can be read as float weights");
            };
            long n = e.numElements();
            if (e.end() - e.begin() != n * width) {
                throw new IllegalArgumentException(file + ": tensor '" + name + "' " + e.dtype() + Arrays.toString(e.shape())
                        + " needs " + n * width + " bytes, its data_offsets span " + (e.end() - e.begin()));
            }
            byte[] raw = new byte[Math.toIntExact(e.end() - e.begin())];
            ByteBuffer buf = ByteBuffer.wrap(raw);
            long pos = e.begin();
            while (buf.hasRemaining()) {
                int r = channel.read(buf, pos);
                if (r < 0) {
                    throw new IOException(file + ": file ends inside tensor '" + name + "'");
                }
                pos += r;
            }
            if (width == 4) {
                return TensorData.adoptRaw(DType.FLOAT, e.shape(), raw);
            }
            return TensorData.adoptRaw(DType.FLOAT, e.shape(), widen(raw, e.dtype().equals("BF16")));
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                channel.close();
            }
        }
    }

    /** Opens a file and parses its header. */
    public static Reader open(Path file) throws IOException {
        FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
        try {
            long size = ch.size();
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0, file);
            long headerLen = lenBuf.getLong(0);
            if (headerLen <= 0 || headerLen > Math.min(size - 8, 100L << 20)) {
                throw new IOException(file + " is not a safetensors file: header length " + headerLen
                        + " does not fit the file size " + size);
            }
            ByteBuffer header = ByteBuffer.allocate((int) headerLen);
            readFully(ch, header, 8, file);
            long dataStart = 8 + headerLen;
            JsonObject json = JsonParser.parseString(new String(header.array(), StandardCharsets.UTF_8)).getAsJsonObject();
            Map<String, Entry> entries = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : json.entrySet()) {
                if (e.getKey().equals("__metadata__")) {
                    continue;
                }
                JsonObject o = e.getValue().getAsJsonObject();
                JsonArray shape = o.getAsJsonArray("shape");
                long[] dims = new long[shape.size()];
                for (int i = 0; i < dims.length; i++) {
                    dims[i] = shape.get(i).getAsLong();
                }
                JsonArray off = o.getAsJsonArray("data_offsets");
                long begin = dataStart + off.get(0).getAsLong();
                long end = dataStart + off.get(1).getAsLong();
                if (begin > end || end > size) {
                    throw new IOException(file + ": tensor '" + e.getKey() + "' has data_offsets " + off
                            + " outside the data section (" + (size - dataStart) + " bytes)");
                }
                entries.put(e.getKey(), new Entry(e.getKey(), o.get("dtype").getAsString(), dims, begin, end));
            }
            return new Reader(file, ch, Collections.unmodifiableMap(entries));
        } catch (IOException | RuntimeException ex) {
            ch.close();
            if (ex instanceof IOException io) {
                throw io;
            }
            throw new IOException(file + " is not a readable safetensors file: " + ex.getMessage(), ex);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos, Path file) throws IOException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos);
            if (r < 0) {
                throw new IOException(file + " is truncated");
            }
            pos += r;
        }
    }

    /** Writes float32 tensors, stored as the given type, in map order. */
    public static void write(Path file, Map<String, TensorData> tensors, StorageType storage) throws IOException {
        write(file, tensors, storage, Map.of());
    }

    /**
     * As {@link #write(Path, Map, StorageType)}, with a {@code __metadata__} block of string pairs
     * first in the header when {@code metadata} is not empty (PyTorch's writer records
     * {@code {"format": "pt"}} there).
     */
    public static void write(Path file, Map<String, TensorData> tensors, StorageType storage, Map<String, String> metadata)
            throws IOException {
        JsonObject header = new JsonObject();
        if (!metadata.isEmpty()) {
            JsonObject meta = new JsonObject();
            new java.util.TreeMap<>(metadata).forEach(meta::addProperty);
            header.add("__metadata__", meta);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, TensorData> e : tensors.entrySet()) {
            TensorData t = e.getValue();
            if (t.type() != DType.FLOAT) {
                throw new IllegalArgumentException("safetensors writer: tensor '" + e.getKey() + "' is " + t.type()
                        + "; only FLOAT tensors are written");
            }
            byte[] bytes = storage == StorageType.F32 ? t.rawView() : narrow(t.toFloats(), storage == StorageType.BF16);
            JsonObject o = new JsonObject();
            o.addProperty("dtype", storage.name());
            JsonArray shape = new JsonArray();
            for (long d : t.dims()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray off = new JsonArray();
            off.add(data.size());
            off.add(data.size() + bytes.length);
            o.add("data_offsets", off);
            header.add(e.getKey(), o);
            data.write(bytes);
        }
        StringBuilder h = new StringBuilder(header.toString());
        while ((8 + h.toString().getBytes(StandardCharsets.UTF_8).length) % 8 != 0) {
            h.append(' ');
        }
        byte[] hb = h.toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + hb.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(hb.length).put(hb).put(data.toByteArray());
        AtomicFiles.write(file, out.array());
    }

    private static byte[] widen(byte[] half, boolean bf16) {
        ByteBuffer in = ByteBuffer.wrap(half).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer out = ByteBuffer.allocate(half.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        while (in.hasRemaining()) {
            int h = in.getShort() & 0xffff;
            out.putFloat(bf16 ? Float.intBitsToFloat(h << 16) : halfToFloat(h));
        }
        return out.array();
    }

    private static byte[] narrow(float[] values, boolean bf16) {
        ByteBuffer out = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            out.putShort((short) (bf16 ? floatToBfloat16(v) : floatToHalf(v)));
        }
        return out.array();
    }

    /** IEEE 754 binary16 → float32 (exact). */
    static float halfToFloat(int h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1f;
        int mant = h & 0x3ff;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign == 0 ? v : -v;
        }
        if (exp == 31) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** float32 → binary16, round to nearest even. */
    static int floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exp = (bits >>> 23) & 0xff;
        int mant = bits & 0x7fffff;
        if (exp == 0xff) {
            return sign | 0x7c00 | (mant != 0 ? 0x200 : 0);
        }
        int e = exp - 127 + 15;
        if (e >= 31) {
            return sign | 0x7c00;
        }
        if (e <= 0) {
            if (e < -10) {
                return sign;
            }
            mant |= 0x800000;
            int shift = 14 - e;
            int half = mant >>> shift;
            int rem = mant & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
                half++;
            }
            return sign | half;
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1fff;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++;
        }
        return sign | half;
    }

    /** float32 → bfloat16, round to nearest even. */
    static int floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (bits >>> 16) | 0x40;
        }
        return (bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16;
    }
}
