package dev.idspam.runtime;

import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The one place the CUDA tests decide between skipping and failing. On a machine without CUDA they
 * are skipped; with {@code -Didspam.requireCuda=true} (GPU runners: {@code mvn -B -Pgpu test
 * -Didspam.requireCuda=true}) a missing prerequisite fails the test instead, so a misconfigured GPU
 * runner cannot stay green.
 */
final class CudaRequirement {
    static final String PROPERTY = "idspam.requireCuda";

    private CudaRequirement() {
    }

    /** Skips (or, when CUDA is required, fails) the calling test unless {@code present}. */
    static void require(boolean present, String missing) {
        require(present, missing, Boolean.parseBoolean(System.getProperty(PROPERTY, "false")));
    }

    static void require(boolean present, String missing, boolean required) {
        if (present) {
            return;
        }
        if (required) {
            throw new AssertionFailedError(missing + ", and CUDA is required (-D" + PROPERTY + "=true)");
        }
        throw new TestAbortedException("skipped: " + missing + " (set -D" + PROPERTY + "=true to make this a failure)");
    }
}
