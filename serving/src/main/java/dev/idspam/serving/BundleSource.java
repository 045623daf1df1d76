package dev.idspam.serving;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Where a bundle's three files come from: a folder, a folder of the classpath (a bundle packed in
 * the service's own jar), or a zip archive read from a stream. A source only hands out files by
 * their plain names ({@code bundle.json}, {@code model.onnx}, the tokenizer file that
 * {@code bundle.json} names); {@link Predictor} copies them into a private temporary folder, checks
 * them there exactly as a bundle folder is checked, loads them and removes the copy.
 */
public interface BundleSource {
    /** How errors name this source: a folder, {@code classpath:/models/sst2}, or the archive's description. */
    String describe();

    /**
     * Opens the file {@code name} of the bundle.
     *
     * @throws NoSuchFileException when the source has no such file
     */
    InputStream open(String name) throws IOException;

    /** The bundle folder {@code dir}; it is read in place, never copied. */
    static BundleSource directory(Path dir) {
        return new Directory(dir);
    }

    /** A bundle stored under {@code folder} of the context class loader's classpath (or this library's loader). */
    static BundleSource classpath(String folder) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return classpath(cl != null ? cl : BundleSource.class.getClassLoader(), folder);
    }

    /** A bundle stored under {@code folder} of {@code loader}'s classpath, e.g. {@code models/sst2}. */
    static BundleSource classpath(ClassLoader loader, String folder) {
        Objects.requireNonNull(loader, "loader");
        String prefix = folder.replaceAll("^/+|/+$", "");
        return new BundleSource() {
            @Override
            public String describe() {
                return "classpath:/" + prefix;
            }

            @Override
            public InputStream open(String name) throws IOException {
                InputStream in = loader.getResourceAsStream(prefix.isEmpty() ? name : prefix + "/" + name);
                if (in == null) {
                    throw new NoSuchFileException(describe() + "/" + name);
                }
                return in;
            }
        };
    }

    /**
     * A zip archive holding the bundle's files at its top level (other entries are ignored). The
     * archive is read once, into memory, when the predictor is opened; the stream stays the caller's
     * to close.
     */
    static BundleSource zip(InputStream archive, String description) {
        Objects.requireNonNull(archive, "archive");
        return new BundleSource() {
            private Map<String, byte[]> files;

            @Override
            public String describe() {
                return description;
            }

            @Override
            public synchronized InputStream open(String name) throws IOException {
                if (files == null) {
                    files = read(archive, description);
                }
                byte[] b = files.get(name);
                if (b == null) {
                    throw new NoSuchFileException(description + "/" + name);
                }
                return new ByteArrayInputStream(b);
            }
        };
    }

    private static Map<String, byte[]> read(InputStream archive, String description) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        ZipInputStream zip = new ZipInputStream(archive);
        try {
            for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
                String name = e.getName();
                if (!e.isDirectory() && name.indexOf('/') < 0 && name.indexOf('\\') < 0 && !name.startsWith(".")) {
                    ByteArrayOutputStream b = new ByteArrayOutputStream();
                    zip.transferTo(b);
                    out.put(name, b.toByteArray());
                }
            }
        } catch (IOException e) {
            throw new IOException(description + ": not a readable zip archive (" + e.getMessage() + ")");
        }
        if (out.isEmpty()) {
            throw new IOException(description + ": not a zip archive of a bundle (no files at its top level)");
        }
        return out;
    }

    /** A bundle folder on disk. */
    record Directory(Path dir) implements BundleSource {
        public Directory {
            Objects.requireNonNull(dir, "dir");
        }

        @Override
        public String describe() {
            return dir.toString();
        }

        @Override
        public InputStream open(String name) throws IOException {
            return Files.newInputStream(dir.resolve(name));
        }
    }
}
