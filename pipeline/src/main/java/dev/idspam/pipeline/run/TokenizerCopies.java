package dev.idspam.pipeline.run;

import com.google.gson.JsonObject;
import dev.idspam.datasets.tokenize.TextTokenizer;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.backbone.TokenizerRef;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Copies a backbone's tokenizer next to the artifacts (and from there into exported bundles) so
 * that both are self-contained, and opens the copy of an artifacts folder. The reference written
 * here is read by {@link TokenizerFiles}, the one reader of that format.
 */
public final class TokenizerCopies {
    private TokenizerCopies() {
    }

    /** Copies the tokenizer into {@code dir} and returns its reference. */
    public static JsonObject copyInto(TokenizerRef ref, Path dir) throws IOException {
        if (ref == null) {
            throw new IOException("the backbone has no tokenizer; put a tokenizer.json or vocab.txt next to the model");
        }
        byte[] bytes = ref.location().readAllBytes();
        String file = ref.kind() == TokenizerRef.Kind.HF_JSON ? "tokenizer.json" : "vocab.txt";
        AtomicFiles.write(dir.resolve(file), bytes);
        JsonObject o = new JsonObject();
        o.addProperty("kind", TokenizerFiles.Kind.valueOf(ref.kind().name()).name());
        o.addProperty("file", file);
        o.addProperty("sha256", TokenizerFiles.sha256(bytes));
        o.addProperty("lowercase", ref.lowercase());
        o.addProperty("style", ref.style().name());
        o.addProperty("source", ref.location().toString());
        return o;
    }

    /**
     * Copies the verified tokenizer file of a reference in {@code fromManifest} into
     * {@code toDir}, under the same plain name (so never outside {@code toDir}).
     */
    static void copy(TokenizerFiles.Reference ref, Path fromManifest, Path toDir) throws IOException {
        byte[] bytes = TokenizerFiles.readVerified(ref, fromManifest);
        AtomicFiles.write(toDir.resolve(ref.file()), bytes);
    }

    /** Opens the tokenizer that the artifacts manifest in {@code dir} references, checking its checksum first. */
    public static TextTokenizer open(JsonObject reference, Path dir) throws IOException {
        return TokenizerFiles.open(reference, dir.resolve(ArtifactNames.MANIFEST));
    }
}
