package dev.idspam.serving;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The {@code adapter_tensors} object of an adapter bundle's {@code bundle.json}: the trained tensors
 * (the method's and the head's) kept once, in {@value #FILE} inside the bundle, for both of its
 * graphs. An adapter bundle with a {@link SharedPrefix} has two graphs, {@code model.onnx} (the whole
 * adapter) and {@code suffix.onnx} (its part above layer m); each would otherwise carry its own copy
 * of the same trained tensors. Here both mark them as ONNX external data pointing into {@value #FILE}
 * (safetensors: raw little-endian float32, so its byte ranges are valid external data), and ONNX
 * Runtime reads them from there when a graph is opened from the bundle folder. Small initializers
 * (shape constants) stay inside the graphs.
 *
 * <p>The file is checked against {@code sha256} when the bundle is opened ({@link Bundle#open}), as
 * {@code model.onnx} is: a graph whose external data changed would otherwise load silently.
 *
 * @param sha256 SHA-256 of {@value #FILE}
 */
public record AdapterTensors(String sha256) {
    public static final String FIELD = "adapter_tensors";
    public static final String FILE = "adapter.safetensors";

    /** The bundle's reference, or null when its graphs hold their trained tensors themselves. */
    static AdapterTensors of(JsonFields top) throws IOException {
        if (!top.has(FIELD)) {
            return null;
        }
        JsonFields f = top.object(FIELD);
        f.oneOf("file", java.util.List.of(FILE));
        return new AdapterTensors(TokenizerFiles.sha256Field(f, "sha256"));
    }

    /** Checks the file in {@code bundleDir} against the recorded digest. */
    void check(Path bundleDir) throws IOException {
        Path file = TokenizerFiles.confined(bundleDir, FILE, "the bundle's adapter tensors");
        String actual = TokenizerFiles.sha256(file);
        if (!sha256.equals(actual)) {
            throw new IOException(file + ": SHA-256 mismatch (" + Bundle.MANIFEST + " field '" + FIELD + ".sha256' says "
                    + sha256 + ", file has " + actual + "); re-export the adapter");
        }
    }
}
