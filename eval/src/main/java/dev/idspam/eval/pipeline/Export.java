package dev.idspam.eval.pipeline;

import com.google.gson.JsonObject;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Step 4: exports the trained eval graph as a lean inference graph (frozen and trained weights
 * baked in, loss and labels removed) into a self-contained bundle.
 */
public final class Export {
    private Export() {
    }

    public static Bundle run(Path artifactsDir, Path checkpoint, Path out, RunSettings settings) throws IOException {
        Artifacts artifacts = Artifacts.open(artifactsDir);
        Path ckpt = checkpoint != null ? checkpoint : Evaluate.defaultCheckpoint(artifacts);
        NativeRuntime runtime = NativeRuntime.install(settings.runtimeConfig());
        Files.createDirectories(out);
        Path tmp = Files.createTempFile(out, ".model.", ".onnx");
        try {
            try (TrainingSession session = TrainingSession.open(runtime, artifacts, ckpt)) {
                session.exportForInference(tmp, List.of(TaskModel.LOGITS));
            }
            AtomicFiles.move(tmp, out.resolve(Bundle.MODEL));
        } finally {
            Files.deleteIfExists(tmp);
        }
        JsonObject tokenizer = artifacts.manifest().tokenizer();
        TokenizerFiles.copy(tokenizer, artifactsDir, out);
        JsonObject model = artifacts.manifest().model();
        JsonObject m = new JsonObject();
        m.addProperty("format", Bundle.FORMAT);
        m.addProperty("format_version", Bundle.FORMAT_VERSION);
        m.addProperty("task", model.get("task").getAsString());
        m.add("labels", model.get("labels"));
        m.addProperty("regression", model.get("regression").getAsBoolean());
        m.addProperty("max_length", model.get("max_length").getAsInt());
        m.addProperty("method", model.get("method").getAsString());
        m.add("method_config", model.get("method_config"));
        m.add("backbone", model.get("backbone"));
        m.add("tokenizer", tokenizer);
        m.addProperty("output", TaskModel.LOGITS);
        m.addProperty("checkpoint", ckpt.getFileName().toString());
        m.addProperty("model_sha256", TokenizerFiles.sha256(Files.readAllBytes(out.resolve(Bundle.MODEL))));
        m.addProperty("exported_at", Instant.now().toString());
        AtomicFiles.writeString(out.resolve(Bundle.MANIFEST), Bundle.GSON.toJson(m) + "\n");
        return Bundle.open(out);
    }
}
