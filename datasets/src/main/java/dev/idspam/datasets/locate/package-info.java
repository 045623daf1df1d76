/**
 * Finding data on disk: {@link dev.idspam.datasets.locate.DataLocator} resolves a task's split
 * under its data folders ({@code --data}, or else the repository's {@code data/} and
 * {@code ../shared/data}), each as {@code DIR/<official folder>/<file>} or {@code DIR/<file>}, or
 * in the download cache {@code ~/.cache/idspam/data}; its Javadoc gives the exact order.
 *
 * <p>When a split is missing and the task has a public zip (GLUE, except MRPC which GLUE never
 * hosted; SuperGLUE), the locator downloads it to a temporary file (reporting progress to a
 * {@link dev.idspam.datasets.locate.DownloadProgress}; the command line draws it), renames it into place once complete, unpacks it into a temporary folder with
 * {@link dev.idspam.datasets.locate.ZipExtractor} (refusing entries that escape the folder), and
 * moves the task folder into the cache. Without network access it throws
 * {@link dev.idspam.datasets.locate.DataNotFoundException}, whose message lists the paths tried
 * and the exact layout expected. IMDB ships as a tar.gz and is never downloaded.
 */
package dev.idspam.datasets.locate;
