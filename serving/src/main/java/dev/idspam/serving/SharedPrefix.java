package dev.idspam.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code shared_prefix} object of an adapter bundle's {@code bundle.json}: the bundle's graph
 * cut at its injection layer m into a prefix shared by every adapter of that backbone and layer
 * and a suffix of its own.
 *
 * <p>Prefix ({@code backbones/prefix-<sha256>.onnx}, one file for all such adapters): the
 * embeddings and encoder layers 0..m-1, frozen weights only. Suffix ({@value #SUFFIX_MODEL} in the
 * bundle): the method's prompt generator, layers m.. and the head. Both take their frozen tensors
 * from the backbone weights file. Running the suffix on the prefix's outputs (the {@code boundary}
 * tensors, fed as they come, no copy) and the token tensors gives the bundle's logits; the export
 * wrote the cut (serving reads no graphs). Bundles without this object run {@code model.onnx}.
 *
 * @param file         {@code prefix-<sha256>.onnx}
 * @param sha256       SHA-256 of the prefix file: adapters whose prefixes have one digest compute
 *                     the same boundary tensors from the same tokens
 * @param layer        m, the injection layer the cut is at
 * @param boundary     the prefix's outputs, in graph order
 * @param suffixSha256 SHA-256 of {@value #SUFFIX_MODEL}
 */
public record SharedPrefix(String file, String sha256, int layer, List<String> boundary, String suffixSha256) {
    public static final String FIELD = "shared_prefix";
    public static final String SUFFIX_MODEL = "suffix.onnx";
    private static final String PREFIX = "prefix-";
    private static final Pattern NAME = Pattern.compile(PREFIX + "[0-9a-f]{64}\\.onnx");

    public SharedPrefix {
        boundary = List.copyOf(boundary);
    }

    /** The name a prefix graph with this content digest gets. */
    public static String fileName(String sha256) {
        return PREFIX + sha256 + ".onnx";
    }

    /** The bundle's shared prefix, or null when it has none. */
    public static SharedPrefix of(BundleManifest manifest, Path manifestFile) throws IOException {
        JsonFields top = JsonFields.of(manifest.json(), manifestFile);
        if (!top.has(FIELD)) {
            return null;
        }
        if (!top.has(BackboneWeights.FIELD)) {
            throw top.error(FIELD, "needs '" + BackboneWeights.FIELD + "' too (the prefix takes the backbone's tensors)");
        }
        JsonFields f = top.object(FIELD);
        String sha = TokenizerFiles.sha256Field(f, "sha256");
        String file = f.string("file");
        if (!NAME.matcher(file).matches() || !file.equals(fileName(sha))) {
            throw f.error("file", "must be " + fileName(sha) + " (the prefix graph's SHA-256), found '" + file + "'");
        }
        int layer = f.integer("layer", 0, 1 << 10);
        List<String> boundary = f.strings("boundary");
        if (boundary.isEmpty()) {
            throw f.error("boundary", "is empty; the prefix hands at least one tensor to the suffix");
        }
        f.oneOf("suffix", List.of(SUFFIX_MODEL));
        return new SharedPrefix(file, sha, layer, boundary, TokenizerFiles.sha256Field(f, "suffix_sha256"));
    }

    /** The prefix file: in {@code bundleDir}, else in {@code ../backbones/}; refused when in neither or when its digest differs. */
    Path locatePrefix(Path bundleDir) throws IOException {
        Path beside = bundleDir.resolve(file);
        Path parent = bundleDir.toAbsolutePath().normalize().getParent();
        Path shared = parent == null ? null : parent.resolve(BackboneWeights.SHARED_FOLDER).resolve(file);
        Path found = Files.isRegularFile(beside) ? beside : shared != null && Files.isRegularFile(shared) ? shared : null;
        if (found == null) {
            throw new IOException(bundleDir.resolve(Bundle.MANIFEST) + ": field '" + FIELD + ".file': the prefix graph "
                    + file + " is in neither " + bundleDir + " nor " + (shared == null ? "a backbones folder" : shared.getParent())
                    + "; copy it there from the folder the adapter was exported to");
        }
        check(found, sha256, FIELD + ".sha256", bundleDir);
        return found;
    }

    /** The suffix graph of the bundle, checked against its recorded digest. */
    Path locateSuffix(Path bundleDir) throws IOException {
        Path suffix = TokenizerFiles.confined(bundleDir, SUFFIX_MODEL, "the bundle's suffix graph");
        check(suffix, suffixSha256, FIELD + ".suffix_sha256", bundleDir);
        return suffix;
    }

    private static void check(Path file, String expected, String field, Path bundleDir) throws IOException {
        String actual = TokenizerFiles.sha256(file);
        if (!expected.equals(actual)) {
            throw new IOException(file + ": SHA-256 mismatch (" + bundleDir.resolve(Bundle.MANIFEST).getFileName() + " field '"
                    + field + "' says " + expected + ", file has " + actual + "); re-export the adapter");
        }
    }
}
