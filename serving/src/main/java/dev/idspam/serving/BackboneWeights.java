package dev.idspam.serving;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code backbone_weights} object of an adapter bundle's {@code bundle.json}: which frozen
 * backbone weights file the adapter graph needs and which of its tensors it takes as initializers.
 *
 * <p>The file is named by its content, {@code <sha256>.safetensors}, so one copy serves every
 * adapter trained on that backbone. Export writes it into the folder {@value #SHARED_FOLDER} beside
 * the bundle folder ({@code models/backbones/} for {@code models/sst2/}); loading looks in the
 * bundle folder first, then there. A deployment of N adapters is N bundle folders and one
 * {@code backbones/} folder.
 *
 * @param file         the weights file name, {@code <sha256>.safetensors}
 * @param sha256       SHA-256 of the whole file
 * @param backboneId   the backbone's catalogue id (informational; the digest decides)
 * @param maven        the backbone's Maven coordinates, when it came from a Maven artifact
 * @param initializers the tensor names the adapter graph takes from the file
 */
public record BackboneWeights(String file, String sha256, String backboneId, String maven, List<String> initializers) {
    public static final String FIELD = "backbone_weights";
    public static final String SHARED_FOLDER = "backbones";
    public static final String SUFFIX = ".safetensors";
    private static final Pattern NAME = Pattern.compile("[0-9a-f]{64}" + Pattern.quote(SUFFIX));

    public BackboneWeights {
        initializers = List.copyOf(initializers);
    }

    /** The name a weights file with this content digest gets. */
    public static String fileName(String sha256) {
        return sha256 + SUFFIX;
    }

    /** The bundle's reference, or null for a full bundle (one with its weights inside the model). */
    static BackboneWeights of(BundleManifest manifest, Path manifestFile) throws IOException {
        JsonFields top = JsonFields.of(manifest.json(), manifestFile);
        if (!top.has(FIELD)) {
            return null;
        }
        JsonFields f = top.object(FIELD);
        String sha = TokenizerFiles.sha256Field(f, "sha256");
        String file = f.string("file");
        if (!NAME.matcher(file).matches() || !file.equals(fileName(sha))) {
            throw f.error("file", "must be the weights file's SHA-256 followed by " + SUFFIX + " (" + fileName(sha)
                    + "), found '" + file + "'");
        }
        String id = f.string("backbone_id");
        String maven = f.has("maven") && !f.json().get("maven").isJsonNull() ? f.string("maven") : null;
        List<String> names = f.strings("initializers");
        if (names.isEmpty()) {
            throw f.error("initializers", "is empty; an adapter bundle takes at least one backbone tensor");
        }
        return new BackboneWeights(file, sha, id, maven, names);
    }

    /** Where the weights file is: in {@code bundleDir}, else in {@code ../backbones/}; refused when in neither. */
    Path locate(Path bundleDir) throws IOException {
        Path beside = bundleDir.resolve(file);
        if (Files.isRegularFile(beside)) {
            return beside;
        }
        Path parent = bundleDir.toAbsolutePath().normalize().getParent();
        Path shared = parent == null ? null : parent.resolve(SHARED_FOLDER).resolve(file);
        if (shared != null && Files.isRegularFile(shared)) {
            return shared;
        }
        throw new IOException(bundleDir.resolve(Bundle.MANIFEST) + ": the backbone weights file " + file + " ("
                + backboneId + (maven == null ? "" : ", " + maven) + ") is in neither " + bundleDir + " nor "
                + (shared == null ? "a " + SHARED_FOLDER + " folder beside it" : shared.getParent())
                + "; copy it there from the folder the adapter was exported to");
    }
}
