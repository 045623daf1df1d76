package dev.idspam.datasets.read;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Reads a file line by line, splitting on {@code \n} only (a trailing {@code \r} is removed, a lone
 * {@code \r} stays inside the line, unlike {@link java.io.BufferedReader}). Each line is decoded as
 * strict UTF-8 on its own, so an invalid byte sequence is reported with its exact line number and
 * the following lines can still be read. A byte order mark at the start of the file is dropped.
 */
final class Utf8Lines implements Closeable {
    private final InputStream in;
    private final String file;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] chunk = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[512];
    private int lineLength;
    private long number;

    Utf8Lines(Path path, String file) throws IOException {
        this.in = Files.newInputStream(path);
        this.file = file;
    }

    /** 1-based number of the line last returned by {@link #next()}. */
    long number() {
        return number;
    }

    /**
     * The next line without its terminator, or null at the end of the file.
     *
     * @throws DatasetFormatException if the line is not valid UTF-8; the reader has moved past it
     */
    String next() throws IOException {
        lineLength = 0;
        boolean sawBytes = false;
        while (true) {
            if (pos >= limit) {
                int n = in.read(chunk);
                if (n <= 0) {
                    pos = 0;
                    limit = 0;
                    if (!sawBytes) {
                        return null;
                    }
                    break;
                }
                pos = 0;
                limit = n;
            }
            sawBytes = true;
            int newline = -1;
            for (int i = pos; i < limit; i++) {
                if (chunk[i] == '\n') {
                    newline = i;
                    break;
                }
            }
            int end = newline < 0 ? limit : newline;
            append(end - pos);
            pos = newline < 0 ? limit : newline + 1;
            if (newline >= 0) {
                break;
            }
        }
        number++;
        int length = lineLength;
        if (length > 0 && line[length - 1] == '\r') {
            length--;
        }
        String text;
        try {
            text = decoder.reset().decode(ByteBuffer.wrap(line, 0, length)).toString();
        } catch (CharacterCodingException e) {
            throw new DatasetFormatException(file, number, "encoding",
                    "not valid UTF-8 (" + e.getMessage() + ")");
        }
        if (number == 1 && text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return text;
    }

    private void append(int count) {
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(chunk, pos, line, lineLength, count);
        lineLength += count;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
