package dev.idspam.datasets.locate;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URLConnection;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Downloads one file, reporting its progress to a {@link DownloadProgress}. The bytes go to a temporary file next to the target,
 * which is renamed into place only once complete, so an interrupted download never leaves a
 * truncated archive under the final name. Works for {@code http(s):} and {@code file:} URLs.
 */
final class ArchiveDownloader {
    private final DownloadProgress progress;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    ArchiveDownloader(DownloadProgress progress, Duration connectTimeout, Duration readTimeout) {
        this.progress = progress;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** Downloads {@code url} to {@code target}, replacing it if present, and returns {@code target}. */
    Path download(URI url, Path target) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path partial = Files.createTempFile(dir, "." + target.getFileName() + "-", ".part");
        try {
            URLConnection connection = url.toURL().openConnection();
            connection.setConnectTimeout((int) connectTimeout.toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            if (connection instanceof HttpURLConnection) {
                HttpURLConnection http = (HttpURLConnection) connection;
                http.setInstanceFollowRedirects(true);
                int status = http.getResponseCode();
                if (status != HttpURLConnection.HTTP_OK) {
                    throw new IOException("HTTP " + status + " " + http.getResponseMessage() + " from " + url);
                }
            }
            long total = connection.getContentLengthLong();
            progress.started(target.getFileName().toString(), url.toString(), total);
            long done = 0;
            boolean ok = false;
            try {
                try (InputStream in = connection.getInputStream();
                     OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buffer = new byte[1 << 16];
                    int n;
                    while ((n = in.read(buffer)) > 0) {
                        out.write(buffer, 0, n);
                        done += n;
                        progress.progressed(done, total);
                    }
                }
                if (total > 0 && done != total) {
                    throw new IOException("download of " + url + " ended after " + done + " of " + total + " bytes");
                }
                ok = true;
            } finally {
                progress.ended(ok);
            }
            moveIntoPlace(partial, target);
            return target;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    static void moveIntoPlace(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
