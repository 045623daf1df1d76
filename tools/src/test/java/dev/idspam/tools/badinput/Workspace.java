package dev.idspam.tools.badinput;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/**
 * One row's private copy of the fixture. Files are hard links to the fixture's (the runs hold
 * megabytes of checkpoints and the table has dozens of rows); {@link #mutate} and the other
 * editors replace a link by a real file first, so a row never changes the fixture. The commands
 * under test write atomically (temp file + rename), which also replaces a link rather than writing
 * through it; a command that wrote in place would show up as a changed digest.
 */
final class Workspace {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();
    private final Path root;

    private Workspace(Path root) {
        this.root = root;
    }

    /** Links every file of {@code fixture} into the new folder {@code dir}. */
    static Workspace linkCopy(Path fixture, Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(fixture)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path target = dir.resolve(fixture.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.createLink(target, p);
                }
            }
        }
        return new Workspace(dir);
    }

    Path root() {
        return root;
    }

    Path path(String relative) {
        return root.resolve(relative);
    }

    /** Replaces the file by a new one holding {@code f(bytes)}. */
    void mutate(String relative, UnaryOperator<byte[]> f) throws IOException {
        Path p = path(relative);
        byte[] bytes = f.apply(Files.readAllBytes(p));
        Files.delete(p);
        Files.write(p, bytes);
    }

    void write(String relative, String text) throws IOException {
        Path p = path(relative);
        Files.createDirectories(p.getParent());
        Files.deleteIfExists(p);
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    void append(String relative, String text) throws IOException {
        mutate(relative, b -> {
            byte[] extra = text.getBytes(StandardCharsets.UTF_8);
            byte[] out = java.util.Arrays.copyOf(b, b.length + extra.length);
            System.arraycopy(extra, 0, out, b.length, extra.length);
            return out;
        });
    }

    /** Flips every bit of the byte at {@code offset} (negative: from the end). */
    void flipByte(String relative, long offset) throws IOException {
        mutate(relative, b -> {
            int i = (int) (offset >= 0 ? offset : b.length + offset);
            b[i] ^= (byte) 0xFF;
            return b;
        });
    }

    void truncate(String relative, int keep) throws IOException {
        mutate(relative, b -> java.util.Arrays.copyOf(b, Math.min(keep, b.length)));
    }

    void delete(String relative) throws IOException {
        Files.delete(path(relative));
    }

    /** Edits a JSON object file in place (through a new file). */
    void editJson(String relative, Consumer<JsonObject> edit) throws IOException {
        JsonObject o = JsonParser.parseString(Files.readString(path(relative))).getAsJsonObject();
        edit.accept(o);
        write(relative, GSON.toJson(o) + "\n");
    }

    /** SHA-256 of every regular file under the workspace, by relative path. */
    Map<String, String> digests() throws IOException {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p)) {
                    m.put(root.relativize(p).toString(), sha256(p));
                }
            }
        }
        return m;
    }

    static String sha256(Path p) {
        try (var in = Files.newInputStream(p)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                d.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
