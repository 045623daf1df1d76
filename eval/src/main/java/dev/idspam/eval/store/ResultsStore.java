package dev.idspam.eval.store;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.google.gson.JsonElement;

/**
 * Append-only JSON-lines file of finished runs, one {@link RunRecord} per line. Lines are never
 * rewritten: a re-run of a cell is a new line, and readers keep the last one
 * ({@link StoreContents#latestPerCell()}).
 *
 * <p><b>Crash safety.</b> Each append writes its whole line (with the line break) in one write
 * under an exclusive file lock and forces it to disk before returning. If a process dies during a
 * write, at most a fragment of its line is left at the end of the file. Readers skip such a
 * fragment with a warning, and the next append first ends the fragment's line so that its own
 * record starts on a fresh line. A fragment therefore can also end up in the middle of the file;
 * it is recognised because its braces do not close. Any other unreadable line is damage and fails
 * the read with the file and line number.
 *
 * <p>Several processes may append to one file at once (they serialise on the file lock).
 */
public final class ResultsStore {

    private static final Logger LOG = System.getLogger(ResultsStore.class.getName());

    /** One monitor per file, because a JVM may not hold two {@link FileLock}s on one file. */
    private static final ConcurrentHashMap<Path, Object> MONITORS = new ConcurrentHashMap<>();

    private final Path file;
    private final Object monitor;
    private CachedKeys cache;

    /** A store backed by {@code file}; the file is created by the first append. */
    public ResultsStore(Path file) {
        this.file = file.toAbsolutePath().normalize();
        this.monitor = MONITORS.computeIfAbsent(this.file, p -> new Object());
    }

    /** The backing file. */
    public Path file() {
        return file;
    }

    /**
     * Appends one record as one line, durably: when this returns, the line is on disk.
     */
    public void append(RunRecord record) throws IOException {
        byte[] line = (RecordJson.write(record) + "\n").getBytes(StandardCharsets.UTF_8);
        Path dir = file.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        synchronized (monitor) {
            boolean created = !Files.exists(file);
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
                 FileLock lock = ch.lock()) {
                long end = ch.size();
                ByteBuffer out;
                if (end > 0 && lastByte(ch, end) != '\n') {
                    // A crashed append left an unterminated fragment: end its line first.
                    out = ByteBuffer.allocate(line.length + 1).put((byte) '\n').put(line).flip();
                } else {
                    out = ByteBuffer.wrap(line);
                }
                long position = end;
                while (out.hasRemaining()) {
                    position += ch.write(out, position);
                }
                ch.force(true);
            }
            if (created && dir != null) {
                syncDirectory(dir);
            }
            cache = null;
        }
    }

    /**
     * Reads every record. Blank lines are ignored. A line that is cut short (its JSON braces or a
     * string do not close) is reported in {@link StoreContents#warnings()} and skipped, as is any
     * unparsable text after the last line break.
     *
     * @throws StoreFormatException for any other unreadable line, naming the file and line
     */
    public StoreContents read() throws IOException {
        if (!Files.exists(file)) {
            return new StoreContents(List.of(), List.of());
        }
        byte[] bytes = readLocked();
        List<RunRecord> records = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int start = 0;
        int lineNo = 0;
        while (start < bytes.length) {
            int end = start;
            while (end < bytes.length && bytes[end] != '\n') {
                end++;
            }
            lineNo++;
            boolean terminated = end < bytes.length;
            String text = decode(bytes, start, end).strip();
            if (!text.isEmpty()) {
                readLine(text, lineNo, terminated, records, warnings);
            }
            start = end + 1;
        }
        for (String w : warnings) {
            LOG.log(Level.WARNING, w);
        }
        return new StoreContents(records, warnings);
    }

    /** True when a record with this cell key is stored: the runner skips such a cell on resume. */
    public boolean contains(CellKey key) throws IOException {
        return cells().contains(key);
    }

    /** Every stored cell key. */
    public Set<CellKey> cells() throws IOException {
        synchronized (monitor) {
            FileTime modified = Files.exists(file) ? Files.getLastModifiedTime(file) : null;
            long size = Files.exists(file) ? Files.size(file) : -1;
            if (cache == null || cache.size != size || !Objects.equals(cache.modified, modified)) {
                Set<CellKey> keys = new HashSet<>();
                for (RunRecord r : read().records()) {
                    keys.add(r.cell());
                }
                cache = new CachedKeys(size, modified, Set.copyOf(keys));
            }
            return cache.keys;
        }
    }

    /** The file's bytes, read under a shared lock so no append of ours is half seen. */
    private byte[] readLocked() throws IOException {
        synchronized (monitor) {
            try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
                 FileLock lock = ch.lock(0, Long.MAX_VALUE, true)) {
                long size = ch.size();
                if (size > Integer.MAX_VALUE - 16) {
                    throw new IOException(file + " is " + size + " bytes, too large to read at once");
                }
                ByteBuffer all = ByteBuffer.allocate((int) size);
                while (all.hasRemaining() && ch.read(all, all.position()) >= 0) {
                    // keep reading until the buffer is full
                }
                return all.array();
            }
        }
    }

    private void readLine(String text, int lineNo, boolean terminated, List<RunRecord> records,
                          List<String> warnings) {
        String where = file + " line " + lineNo;
        JsonElement json;
        try {
            json = RecordJson.parse(text);
        } catch (IOException | RuntimeException e) {
            if (!terminated) {
                warnings.add(where + ": incomplete last line ignored (no line break; a run was "
                        + "probably interrupted while appending its record)");
                return;
            }
            if (isCutShort(text)) {
                warnings.add(where + ": truncated record ignored (its JSON does not close; left by "
                        + "an interrupted append before later records were added)");
                return;
            }
            throw new StoreFormatException(where + ": malformed JSON (" + e.getMessage()
                    + "); fix or delete this line, the store is otherwise append-only", e);
        }
        records.add(RecordJson.read(json, where));
    }

    /**
     * True when the text is a proper prefix of some JSON text: an object or array, or a string,
     * is still open at its end. A prefix of one of our lines always is, since each line is one
     * object whose closing brace comes last.
     */
    static boolean isCutShort(String text) {
        int depth = 0;
        boolean inString = false;
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (inString) {
                if (escaped) {
                    escaped = false;
                } else if (c == '\\') {
                    escaped = true;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth < 0) {
                    return false;
                }
            }
        }
        return inString || depth > 0;
    }

    private static String decode(byte[] bytes, int start, int end) {
        // A fragment may end inside a multi-byte character: replace it rather than fail.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        try {
            return decoder.decode(ByteBuffer.wrap(bytes, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            throw new AssertionError("a replacing decoder does not throw", e);
        }
    }

    private static byte lastByte(FileChannel ch, long size) throws IOException {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (one.hasRemaining()) {
            if (ch.read(one, size - 1) < 0) {
                throw new IOException("file shrank while appending");
            }
        }
        return one.get(0);
    }

    /** Makes the new file's directory entry durable too (Linux honours a directory fsync). */
    private static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Some file systems and platforms cannot open or sync a directory. The record itself
            // is already forced to disk; only the very first line's directory entry is at stake.
            LOG.log(Level.DEBUG, "cannot sync directory " + dir + ": " + e);
        }
    }

    private record CachedKeys(long size, FileTime modified, Set<CellKey> keys) {
    }

    @Override
    public String toString() {
        return "ResultsStore[" + file + "]";
    }
}
