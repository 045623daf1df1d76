package dev.idspam.graphs.artifacts;

import java.io.IOException;
import java.nio.file.Path;

/** A verified artifact directory: where the four files are and what the manifest says about them. */
public record Artifacts(Path directory, Manifest manifest) {
    /** Reads the manifest and verifies every file against it (format version, sizes, SHA-256). */
    public static Artifacts open(Path directory) throws IOException {
        return new Artifacts(directory, Manifest.read(directory));
    }

    public Path trainingModel() {
        return directory.resolve(ArtifactNames.TRAINING_MODEL);
    }

    public Path evalModel() {
        return directory.resolve(ArtifactNames.EVAL_MODEL);
    }

    public Path optimizerModel() {
        return directory.resolve(ArtifactNames.OPTIMIZER_MODEL);
    }

    /** Whether the artifacts hold the prefix-cache graphs ({@link PrefixSplit}): all three are listed and verified. */
    public boolean hasPrefixCacheGraphs() {
        return manifest.files().containsKey(ArtifactNames.CACHED_TRAINING_MODEL)
                && manifest.files().containsKey(ArtifactNames.CACHED_EVAL_MODEL)
                && manifest.files().containsKey(ArtifactNames.PREFIX_MODEL);
    }

    public Path cachedTrainingModel() {
        return directory.resolve(ArtifactNames.CACHED_TRAINING_MODEL);
    }

    public Path cachedEvalModel() {
        return directory.resolve(ArtifactNames.CACHED_EVAL_MODEL);
    }

    public Path prefixModel() {
        return directory.resolve(ArtifactNames.PREFIX_MODEL);
    }

    public Path checkpoint() {
        return directory.resolve(ArtifactNames.CHECKPOINT);
    }
}
