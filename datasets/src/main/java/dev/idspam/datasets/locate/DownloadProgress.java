package dev.idspam.datasets.locate;

/**
 * Follows the download of one data archive. This module draws nothing: the command line renders
 * these calls as its progress bar (see {@link DataLocator#downloadProgress}), and {@link #NONE}
 * ignores them.
 */
public interface DownloadProgress {
    /** Shows nothing. */
    DownloadProgress NONE = new DownloadProgress() {
        @Override
        public void started(String file, String url, long total) {
        }

        @Override
        public void progressed(long bytes, long total) {
        }

        @Override
        public void ended(boolean ok) {
        }
    };

    /** The archive {@code file} starts to arrive from {@code url}; {@code total} bytes, -1 when unknown. */
    void started(String file, String url, long total);

    /** {@code bytes} of {@code total} have arrived. */
    void progressed(long bytes, long total);

    /** The download ended: {@code ok} is false when it failed or came up short. */
    void ended(boolean ok);
}
