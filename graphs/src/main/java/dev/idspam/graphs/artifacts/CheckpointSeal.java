package dev.idspam.graphs.artifacts;

import dev.idspam.graphs.io.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-256 of a run checkpoint ({@code best.ckpt}, {@code last.ckpt}, any checkpoint this project
 * saves), kept beside it in {@code <name>.sha256} in the format of {@code sha256sum}
 * ({@code <hex>  <name>} per line), and checked before the checkpoint is used. (The artifacts' initial
 * {@code checkpoint} has its digest in {@code manifest.json} instead.)
 *
 * <p>A checkpoint and its checksum are two files, and no rename replaces two files at once, so
 * {@link #commit} keeps the pair verifiable at every instant: (1) the new file is complete and forced
 * to disk under a temporary name and its digest computed; (2) the checksum file is atomically
 * rewritten to list the new digest first, then the digests it listed before; (3) the new file is
 * renamed over the checkpoint; (4) if (2) listed more than one digest, the checksum file is
 * atomically rewritten to list the new digest only. A crash before (2) leaves the old pair (or no
 * checkpoint yet); between (2) and (3) the old checkpoint, whose digest is still listed (an intact, older commit: for {@code last.ckpt} the trainer state inside it says
 * which epoch it holds, so a resume simply redoes the newer epoch); between (3) and (4) the new
 * checkpoint, listed first. {@link #verify} accepts a file whose digest is listed and refuses any
 * other content, so a flipped byte or a truncation is always caught and a kill -9 never makes a
 * good checkpoint unusable.
 */
public final class CheckpointSeal {
    public static final String SUFFIX = ".sha256";
    private static final Pattern LINE = Pattern.compile("([0-9a-f]{64}) [ *](.+)");
    /** Digests of interrupted commits kept at most; only a chain of crashes inside one commit adds more than one. */
    private static final int MAX_LISTED = 8;

    private CheckpointSeal() {
    }

    /** {@code <checkpoint>.sha256}. */
    public static Path sidecar(Path checkpoint) {
        return checkpoint.resolveSibling(checkpoint.getFileName() + SUFFIX);
    }

    /**
     * Moves the complete, forced file {@code staged} over {@code target} and records its digest, in
     * the order of the class comment. {@code staged} must be in the same folder.
     */
    public static void commit(Path staged, Path target) throws IOException {
        String digest = Digests.sha256(staged);
        Path side = sidecar(target);
        List<String> listed = new ArrayList<>();
        listed.add(digest);
        for (String d : listedDigests(side)) {
            if (!listed.contains(d) && listed.size() < MAX_LISTED) {
                listed.add(d);
            }
        }
        String name = target.getFileName().toString();
        AtomicFiles.writeString(side, lines(listed, name));
        if (!staged.toAbsolutePath().equals(target.toAbsolutePath())) {
            AtomicFiles.move(staged, target);
        }
        if (listed.size() > 1) {
            AtomicFiles.writeString(side, lines(List.of(digest), name));
        }
    }

    /** Records the digest of {@code checkpoint} as it is now (for a file written by other means). */
    public static void seal(Path checkpoint) throws IOException {
        commit(checkpoint, checkpoint);
    }

    /**
     * Checks {@code checkpoint} against its checksum file: it must exist, and the file's SHA-256 must
     * be one it lists. The message names the checkpoint and says what is wrong.
     */
    public static void verify(Path checkpoint) throws IOException {
        if (!Files.isRegularFile(checkpoint)) {
            throw new ArtifactFormatException(checkpoint + ": checkpoint file does not exist");
        }
        Path side = sidecar(checkpoint);
        if (!Files.isRegularFile(side)) {
            throw new ArtifactFormatException(checkpoint + ": has no checksum file " + side.getFileName() + " beside it, so"
                    + " its integrity cannot be checked (it was not saved by this build, or the checksum file was removed);"
                    + " use a checkpoint saved by train, or train again");
        }
        List<String> listed = parse(side);
        String actual = Digests.sha256(checkpoint);
        if (!listed.contains(actual)) {
            throw new ArtifactFormatException(checkpoint + ": SHA-256 mismatch (" + side.getFileName() + " says "
                    + listed.get(0) + ", file has " + actual + "); the checkpoint was damaged or changed after it was"
                    + " saved; use another checkpoint or train again");
        }
    }

    private static List<String> parse(Path side) throws IOException {
        List<String> digests = new ArrayList<>();
        List<String> lines = Files.readAllLines(side, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = LINE.matcher(lines.get(i));
            if (!m.matches()) {
                throw new ArtifactFormatException(side + ": line " + (i + 1) + " is not '<sha256 hex>  <file name>'");
            }
            digests.add(m.group(1));
        }
        if (digests.isEmpty()) {
            throw new ArtifactFormatException(side + ": empty; it should hold the checkpoint's SHA-256");
        }
        return digests;
    }

    /** The digests a checksum file lists, or none when it is missing or unreadable (it is rewritten next). */
    private static List<String> listedDigests(Path side) {
        try {
            return parse(side);
        } catch (IOException e) {
            return List.of();
        }
    }

    private static String lines(List<String> digests, String name) {
        StringBuilder sb = new StringBuilder();
        for (String d : digests) {
            sb.append(d).append("  ").append(name).append('\n');
        }
        return sb.toString();
    }
}
