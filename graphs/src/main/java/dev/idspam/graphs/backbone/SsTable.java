package dev.idspam.graphs.backbone;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Reads a LevelDB-format table (TensorFlow's {@code .index} files): the 48-byte footer with the
 * metaindex and index block handles and the magic number, an index block whose values are handles
 * of data blocks, and data blocks of prefix-compressed entries followed by restart offsets. Every
 * block carries a 5-byte trailer (compression type, masked CRC32C), which is checked. Only
 * uncompressed blocks are supported; a Snappy block fails with a message saying so.
 */
public final class SsTable {
    private static final long MAGIC = 0xdb4775248b80fb57L;
    private static final int FOOTER = 48;

    private SsTable() {
    }

    /** All entries of the table, in key order. Keys are decoded as UTF-8 (TensorFlow names are ASCII). */
    public static Map<String, byte[]> read(byte[] file, String origin) {
        if (file.length < FOOTER) {
            throw new IllegalArgumentException(origin + " is not a table file: " + file.length + " bytes, shorter than the footer");
        }
        ByteBuffer footer = ByteBuffer.wrap(file, file.length - FOOTER, FOOTER).order(ByteOrder.LITTLE_ENDIAN);
        long magic = ByteBuffer.wrap(file, file.length - 8, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (magic != MAGIC) {
            throw new IllegalArgumentException(origin + " is not a LevelDB/TensorFlow table: bad magic 0x"
                    + Long.toHexString(magic) + " (expected 0x" + Long.toHexString(MAGIC) + ")");
        }
        readVarint(footer);  // metaindex offset
        readVarint(footer);  // metaindex size
        long indexOffset = readVarint(footer);
        long indexSize = readVarint(footer);
        Map<String, byte[]> index = block(file, indexOffset, indexSize, origin, "index block");
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : index.entrySet()) {
            ByteBuffer handle = ByteBuffer.wrap(e.getValue());
            long off = readVarint(handle);
            long size = readVarint(handle);
            out.putAll(block(file, off, size, origin, "data block at " + off));
        }
        return out;
    }

    private static Map<String, byte[]> block(byte[] file, long offset, long size, String origin, String what) {
        if (offset < 0 || size < 4 || offset + size + 5 > file.length) {
            throw new IllegalArgumentException(origin + ": " + what + " (offset " + offset + ", size " + size
                    + ") lies outside the file (" + file.length + " bytes)");
        }
        int start = (int) offset;
        int end = (int) (offset + size);
        int type = file[end] & 0xff;
        if (type != 0) {
            throw new IllegalArgumentException(origin + ": " + what + " is compressed (type " + type
                    + (type == 1 ? ", Snappy" : "") + "); only uncompressed tables are supported");
        }
        CRC32C crc = new CRC32C();
        crc.update(file, start, (int) size + 1);
        int expected = ByteBuffer.wrap(file, end + 1, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        if (mask((int) crc.getValue()) != expected) {
            throw new IllegalArgumentException(origin + ": " + what + " fails its CRC32C check (file corrupt or truncated)");
        }
        ByteBuffer b = ByteBuffer.wrap(file, start, (int) size).order(ByteOrder.LITTLE_ENDIAN);
        int numRestarts = b.getInt(end - 4);
        int dataEnd = end - 4 - 4 * numRestarts;
        if (numRestarts < 1 || dataEnd < start) {
            throw new IllegalArgumentException(origin + ": " + what + " has an invalid restart count " + numRestarts);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        byte[] key = new byte[0];
        int pos = start;
        while (pos < dataEnd) {
            b.position(pos);
            int shared = (int) readVarint(b);
            int nonShared = (int) readVarint(b);
            int valueLen = (int) readVarint(b);
            pos = b.position();
            if (shared > key.length || pos + nonShared + valueLen > dataEnd) {
                throw new IllegalArgumentException(origin + ": " + what + " has a malformed entry at byte " + pos);
            }
            byte[] k = new byte[shared + nonShared];
            System.arraycopy(key, 0, k, 0, shared);
            System.arraycopy(file, pos, k, shared, nonShared);
            pos += nonShared;
            byte[] v = new byte[valueLen];
            System.arraycopy(file, pos, v, 0, valueLen);
            pos += valueLen;
            key = k;
            out.put(new String(k, StandardCharsets.UTF_8), v);
        }
        return out;
    }

    /** LevelDB's CRC mask: rotate right by 15 bits and add a constant. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    static long readVarint(ByteBuffer b) {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int by = b.get() & 0xff;
            result |= (long) (by & 0x7f) << shift;
            if ((by & 0x80) == 0) {
                return result;
            }
        }
        throw new IllegalArgumentException("varint longer than 64 bits");
    }
}
