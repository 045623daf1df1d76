package dev.idspam.graphs.artifacts;

import java.io.IOException;

/**
 * A training artifact or checkpoint on disk is missing, corrupt, or does not match what it is
 * expected to be. The message names the file, what was expected and what was found, and the fix.
 */
public final class ArtifactFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public ArtifactFormatException(String message) {
        super(message);
    }

    public ArtifactFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
