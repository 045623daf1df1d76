package dev.idspam.graphs.artifacts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bounds-checked, read-only access to a FlatBuffers buffer: the checks of the C++ verifier that
 * matter for reading (offsets inside the buffer, vtables well-formed, vectors and strings fully
 * inside, strings NUL-terminated and valid UTF-8), so that a corrupt or truncated file gives an
 * {@link ArtifactFormatException} naming the byte offset instead of an exception from deep inside.
 */
final class FlatView {
    private final ByteBuffer buf;
    private final int limit;
    private final String source;

    FlatView(ByteBuffer bytes, String source) {
        this.buf = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.limit = buf.limit();
        this.source = source;
    }

    int size() {
        return limit;
    }

    ArtifactFormatException corrupt(String detail) {
        return new ArtifactFormatException(source + ": corrupt or truncated checkpoint: " + detail
                + " (file has " + limit + " bytes)");
    }

    private void check(long pos, int width, String what) throws ArtifactFormatException {
        if (pos < 0 || pos + width > limit) {
            throw corrupt(what + " at byte " + pos + " lies outside the file");
        }
    }

    int i32(long pos, String what) throws ArtifactFormatException {
        check(pos, 4, what);
        return buf.getInt((int) pos);
    }

    long i64(long pos, String what) throws ArtifactFormatException {
        check(pos, 8, what);
        return buf.getLong((int) pos);
    }

    float f32(long pos, String what) throws ArtifactFormatException {
        check(pos, 4, what);
        return buf.getFloat((int) pos);
    }

    int u16(long pos, String what) throws ArtifactFormatException {
        check(pos, 2, what);
        return Short.toUnsignedInt(buf.getShort((int) pos));
    }

    int u8(long pos, String what) throws ArtifactFormatException {
        check(pos, 1, what);
        return Byte.toUnsignedInt(buf.get((int) pos));
    }

    /** Follows a uoffset stored at {@code pos}; returns the absolute target. */
    int deref(long pos, String what) throws ArtifactFormatException {
        long off = Integer.toUnsignedLong(i32(pos, what));
        long target = pos + off;
        if (off == 0 || target >= limit) {
            throw corrupt(what + ": offset " + off + " at byte " + pos + " points outside the file");
        }
        return (int) target;
    }

    /** The 4-character file identifier at bytes 4–7 ("" when the file is too short). */
    String identifier() {
        if (limit < 8) {
            return "";
        }
        byte[] id = new byte[4];
        buf.get(4, id);
        StringBuilder sb = new StringBuilder();
        for (byte b : id) {
            sb.append(b >= 0x20 && b < 0x7f ? String.valueOf((char) b) : String.format("\\x%02x", b & 0xff));
        }
        return sb.toString();
    }

    Table root(String what) throws ArtifactFormatException {
        if (limit < 8) {
            throw corrupt("shorter than the 8-byte FlatBuffers header");
        }
        return table(deref(0, "root offset"), what);
    }

    Table table(int pos, String what) throws ArtifactFormatException {
        if ((pos & 3) != 0) {
            throw corrupt(what + " table at byte " + pos + " is not 4-byte aligned");
        }
        long vt = (long) pos - i32(pos, what + " vtable offset");
        if (vt < 0 || vt + 4 > limit || (vt & 1) != 0) {
            throw corrupt(what + " table at byte " + pos + " has its vtable at " + vt + ", outside the file");
        }
        int vsize = u16(vt, what + " vtable size");
        int tsize = u16(vt + 2, what + " table size");
        if (vsize < 4 || (vsize & 1) != 0 || vt + vsize > limit) {
            throw corrupt(what + " vtable at byte " + vt + " declares size " + vsize);
        }
        if (tsize < 4 || (long) pos + tsize > limit) {
            throw corrupt(what + " table at byte " + pos + " declares size " + tsize);
        }
        return new Table(pos, (int) vt, vsize, tsize, what);
    }

    /** A vector's element region. */
    record Vec(int start, int length) {
    }

    /** A table with field accessors; absent fields give the schema default. */
    final class Table {
        private final int pos;
        private final int vt;
        private final int vsize;
        private final int tsize;
        private final String what;

        Table(int pos, int vt, int vsize, int tsize, String what) {
            this.pos = pos;
            this.vt = vt;
            this.vsize = vsize;
            this.tsize = tsize;
            this.what = what;
        }

        String what() {
            return what;
        }

        /** Absolute position of the field's value, or -1 when absent. */
        private int field(int index, int width) throws ArtifactFormatException {
            int slot = 4 + 2 * index;
            if (slot + 2 > vsize) {
                return -1;
            }
            int off = u16(vt + slot, what + " vtable");
            if (off == 0) {
                return -1;
            }
            if (off + width > tsize) {
                throw corrupt(what + " field " + index + " at offset " + off + " lies outside its table (size " + tsize + ")");
            }
            return pos + off;
        }

        boolean has(int index) throws ArtifactFormatException {
            return field(index, 1) >= 0;
        }

        int i32(int index, int dflt) throws ArtifactFormatException {
            int p = field(index, 4);
            return p < 0 ? dflt : FlatView.this.i32(p, what + " field " + index);
        }

        long i64(int index, long dflt) throws ArtifactFormatException {
            int p = field(index, 8);
            return p < 0 ? dflt : FlatView.this.i64(p, what + " field " + index);
        }

        float f32(int index, float dflt) throws ArtifactFormatException {
            int p = field(index, 4);
            return p < 0 ? dflt : FlatView.this.f32(p, what + " field " + index);
        }

        boolean bool(int index) throws ArtifactFormatException {
            int p = field(index, 1);
            return p >= 0 && u8(p, what + " field " + index) != 0;
        }

        /** A sub-table, or null when absent. */
        Table table(int index, String childWhat) throws ArtifactFormatException {
            int p = field(index, 4);
            return p < 0 ? null : FlatView.this.table(deref(p, childWhat), childWhat);
        }

        /** A vector of {@code elemSize}-byte elements, or null when absent. */
        Vec vector(int index, int elemSize, String vecWhat) throws ArtifactFormatException {
            int p = field(index, 4);
            if (p < 0) {
                return null;
            }
            int v = deref(p, vecWhat);
            if ((v & 3) != 0) {
                throw corrupt(vecWhat + " vector at byte " + v + " is not 4-byte aligned");
            }
            long n = Integer.toUnsignedLong(FlatView.this.i32(v, vecWhat + " length"));
            long end = v + 4L + n * elemSize;
            if (end > limit) {
                throw corrupt(vecWhat + " vector at byte " + v + " has " + n + " elements and would end at byte " + end);
            }
            return new Vec(v + 4, (int) n);
        }

        /** The i-th table of a vector of tables. */
        Table tableAt(Vec vec, int i, String elemWhat) throws ArtifactFormatException {
            return FlatView.this.table(deref(vec.start() + 4L * i, elemWhat), elemWhat);
        }

        /** A string, or null when absent. */
        String string(int index, String strWhat) throws ArtifactFormatException {
            Vec v = vector(index, 1, strWhat);
            return v == null ? null : decode(v, strWhat);
        }
    }

    String decode(Vec v, String what) throws ArtifactFormatException {
        check(v.start() + (long) v.length(), 1, what + " terminator");
        if (buf.get(v.start() + v.length()) != 0) {
            throw corrupt(what + " string at byte " + v.start() + " is not NUL-terminated");
        }
        ByteBuffer slice = buf.slice(v.start(), v.length());
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw corrupt(what + " string at byte " + v.start() + " is not valid UTF-8");
        }
    }

    /** Copies {@code length} bytes starting at {@code start}. */
    byte[] bytes(int start, int length) {
        byte[] out = new byte[length];
        buf.get(start, out);
        return out;
    }

    /** Reads the i-th int64 of a vector. */
    long i64At(Vec v, int i, String what) throws ArtifactFormatException {
        return i64(v.start() + 8L * i, what);
    }
}
