package dev.idspam.graphs.backbone;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.zip.CRC32C;

/** Writes LevelDB-format tables (one data block, prefix-compressed keys) for tests. */
final class TestTables {
    private TestTables() {
    }

    /** A table holding the entries in map order (callers pass sorted keys), blocks of the given compression type. */
    static byte[] table(Map<String, byte[]> entries, int compression) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] data = block(entries);
        out.writeBytes(data);
        out.writeBytes(trailer(data, compression));
        ByteArrayOutputStream handle = new ByteArrayOutputStream();
        varint(handle, 0);
        varint(handle, data.length);
        String last = entries.keySet().stream().reduce((a, b) -> b).orElse("");
        byte[] index = block(Map.of(last + "\u0001", handle.toByteArray()));
        int indexOffset = out.size();
        out.writeBytes(index);
        out.writeBytes(trailer(index, 0));
        ByteArrayOutputStream footer = new ByteArrayOutputStream();
        varint(footer, 0);
        varint(footer, 0);
        varint(footer, indexOffset);
        varint(footer, index.length);
        footer.writeBytes(new byte[40 - footer.size()]);
        footer.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0xdb4775248b80fb57L).array());
        out.writeBytes(footer.toByteArray());
        return out.toByteArray();
    }

    private static byte[] block(Map<String, byte[]> entries) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] prev = new byte[0];
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int shared = 0;
            while (shared < Math.min(prev.length, key.length) && prev[shared] == key[shared]) {
                shared++;
            }
            varint(b, shared);
            varint(b, key.length - shared);
            varint(b, e.getValue().length);
            b.write(key, shared, key.length - shared);
            b.writeBytes(e.getValue());
            prev = key;
        }
        b.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(1).array());
        return b.toByteArray();
    }

    private static byte[] trailer(byte[] block, int type) {
        CRC32C crc = new CRC32C();
        crc.update(block);
        crc.update(type);
        return ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN).put((byte) type).putInt(SsTable.mask((int) crc.getValue())).array();
    }

    static void varint(ByteArrayOutputStream out, long v) {
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }
}
