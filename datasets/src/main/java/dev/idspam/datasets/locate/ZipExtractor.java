package dev.idspam.datasets.locate;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Unpacks a zip archive into an empty folder. Entries that would land outside that folder
 * ({@code ../x}, absolute paths) are refused, as are archives with no files; macOS resource
 * entries ({@code __MACOSX/}) are left out.
 */
public final class ZipExtractor {

    private ZipExtractor() {
    }

    /**
     * Extracts {@code zip} into {@code destination} (created if missing; must be empty).
     *
     * @return the top-level files and folders created, sorted by name
     * @throws IOException if the archive is unreadable or an entry escapes {@code destination}
     */
    public static List<Path> extract(Path zip, Path destination) throws IOException {
        Files.createDirectories(destination);
        Path root = destination.toAbsolutePath().normalize();
        try (var listing = Files.list(root)) {
            if (listing.findAny().isPresent()) {
                throw new IOException("cannot extract " + zip + " into " + root + ": the folder is not empty");
            }
        }
        TreeSet<String> topLevel = new TreeSet<>();
        int files = 0;
        try (InputStream raw = Files.newInputStream(zip); ZipInputStream in = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                String name = entry.getName().replace('\\', '/');
                if (name.startsWith("__MACOSX/")) {
                    continue;
                }
                Path target = root.resolve(name).normalize();
                if (!target.startsWith(root) || target.equals(root)) {
                    throw new IOException(zip + ": entry '" + entry.getName()
                            + "' would be extracted outside " + root + "; refusing the archive");
                }
                topLevel.add(root.relativize(target).getName(0).toString());
                if (entry.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    Files.copy(in, target);
                    files++;
                }
            }
        }
        if (files == 0) {
            throw new IOException(zip + " contains no files");
        }
        List<Path> created = new ArrayList<>();
        for (String name : topLevel) {
            created.add(root.resolve(name));
        }
        return created;
    }
}
