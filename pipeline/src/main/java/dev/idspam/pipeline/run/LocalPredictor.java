package dev.idspam.pipeline.run;

import ai.onnxruntime.OrtSession;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.serving.Predictor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Opens a bundle's {@link Predictor} in a process that also trains or evaluates: when a
 * {@link NativeRuntime} is installed, the model runs with its session options (global thread
 * pool, device, optimisation level), as evaluation does, so that a bundle check compares like
 * with like; otherwise with the stock defaults.
 */
public final class LocalPredictor {
    private LocalPredictor() {
    }

    public static Predictor open(Path bundleDir) throws IOException {
        Optional<NativeRuntime> runtime = NativeRuntime.current();
        if (runtime.isEmpty()) {
            return Predictor.open(bundleDir);
        }
        try (OrtSession.SessionOptions options = runtime.get().sessionOptions()) {
            return Predictor.open(bundleDir, options);
        }
    }
}
