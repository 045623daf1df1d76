package dev.idspam.pipeline.run;

import ai.onnx.proto.OnnxMl;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.idspam.datasets.task.Task;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.ModelInfo;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.io.TempFiles;
import dev.idspam.graphs.methods.TaskModel;
import dev.idspam.runtime.NativeRuntime;
import dev.idspam.runtime.TrainingSession;
import dev.idspam.serving.AdapterTensors;
import dev.idspam.serving.BackboneWeights;
import dev.idspam.serving.Bundle;
import dev.idspam.serving.BundleManifest;
import dev.idspam.serving.SharedPrefix;
import dev.idspam.serving.TokenizerFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * Step 4: exports the trained eval graph as a lean inference graph (frozen and trained weights
 * baked in, loss and labels removed) into a self-contained bundle.
 */
public final class Export {
    private Export() {
    }

    /**
     * Writes the bundle into {@code out}. Everything it reads is checked before anything is
     * written: the artifacts (by {@link Artifacts#open}), the tokenizer reference (a plain file name)
     * and the tokenizer file (its SHA-256). It writes {@code bundle.json}, {@code model.onnx} and the
     * tokenizer (an adapter with a shared prefix also {@code suffix.onnx} and
     * {@code adapter.safetensors}), each directly in {@code out} and each by temp file + rename, so nothing outside {@code out} is touched, a link
     * in {@code out} is replaced rather than written through, and a replaced file keeps its
     * permissions.
     */
    public static Bundle run(Path artifactsDir, Path checkpoint, Path out, RunSettings settings) throws IOException {
        return run(artifactsDir, checkpoint, out, settings, false);
    }

    /**
     * As {@link #run(Path, Path, Path, RunSettings)}; with {@code adapter}, the bundle's model holds
     * only what training changed, and the frozen backbone weights go to one file named by its
     * SHA-256 in the {@code backbones} folder beside {@code out} (shared by every adapter exported
     * next to it; see {@link AdapterExport} and {@link dev.idspam.serving.BackboneWeights}).
     */
    public static Bundle run(Path artifactsDir, Path checkpoint, Path out, RunSettings settings, boolean adapter)
            throws IOException {
        return run(artifactsDir, checkpoint, out, settings, adapter, GraphOptions.DEFAULT);
    }

    /**
     * How the exported graph is written: with ONNX Runtime's fused encoder operators ({@link FusedGraph})
     * or plain, and with int8 backbone products ({@link Int8Graph}) or float32 ones.
     */
    public record GraphOptions(boolean fused, boolean int8) {
        /** The export's default (the CLI's too): fused float32; {@code --plain} turns the fusion off. */
        public static final GraphOptions DEFAULT = new GraphOptions(true, false);
        /** The graph as the training artifacts' eval graph has it. */
        public static final GraphOptions PLAIN = new GraphOptions(false, false);
    }

    /**
     * Rewrites an exported inference graph in place as {@code graph} says (nothing for
     * {@link GraphOptions#PLAIN}); {@code layers} and {@code heads} are the backbone's. Returns how
     * many encoder layers were fused (0 unless {@code graph.fused()}).
     */
    public static int rewrite(Path model, int layers, int heads, GraphOptions graph) throws IOException {
        if (!graph.fused() && !graph.int8()) {
            return 0;
        }
        OnnxMl.ModelProto m;
        try (java.io.InputStream in = Files.newInputStream(model)) {
            m = OnnxMl.ModelProto.parseFrom(in);
        }
        int fused = 0;
        if (graph.fused()) {
            FusedGraph.Result r = FusedGraph.rewrite(m, layers, heads);
            m = r.model();
            fused = r.fusedLayers();
        }
        if (graph.int8()) {
            m = Int8Graph.quantize(m).model();
        }
        AtomicFiles.write(model, m.toByteArray());
        return fused;
    }

    /**
     * As {@link #run(Path, Path, Path, RunSettings, boolean)}, rewriting the exported graph as
     * {@code graph} says: {@link FusedGraph} (ONNX Runtime's fused attention, skip-LayerNorm and
     * bias-GELU operators; full and adapter bundles, and an adapter's shared prefix and suffix, on
     * encoder backbones: a GPT-2 decoder is exported plain) and/or {@link Int8Graph} (int8 backbone
     * matrix products; full bundles only, since an adapter bundle reads the backbone's float32
     * weights from the shared file as they are).
     */
    public static Bundle run(Path artifactsDir, Path checkpoint, Path out, RunSettings settings, boolean adapter,
                             GraphOptions graph) throws IOException {
        if (adapter && graph.int8()) {
            throw new IllegalArgumentException("--adapter cannot be combined with --quantize int8: an adapter bundle takes"
                    + " the backbone's float32 weights from the shared file as they are");
        }
        Artifacts artifacts = Artifacts.open(artifactsDir);
        Path manifest = artifactsDir.resolve(ArtifactNames.MANIFEST);
        JsonObject tokenizerJson = artifacts.manifest().tokenizer();
        TokenizerFiles.Reference tokenizer = TokenizerFiles.Reference.parse(tokenizerJson, manifest);
        TokenizerFiles.readVerified(tokenizer, manifest);
        ModelInfo info = ModelInfo.of(artifacts);
        if (graph.fused() && "GPT2".equals(info.backbone().family())) {
            // the fused operators are those of post-LN encoder layers; a pre-LN causal decoder stays plain
            graph = new GraphOptions(false, graph.int8());
        }
        Task task = TrainJob.task(artifacts);
        int maxLength = info.maxLength();
        if (maxLength < 2 || maxLength > BundleManifest.MAX_LENGTH_LIMIT) {
            throw new IOException(manifest + ": field 'model.max_length' must be in [2, " + BundleManifest.MAX_LENGTH_LIMIT
                    + "], found " + maxLength);
        }
        Path ckpt = checkpoint != null ? checkpoint : Evaluate.defaultCheckpoint(artifacts);
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new IOException(out + ": --out must be a folder, this is a file");
        }
        NativeRuntime runtime = NativeRuntime.install(settings.runtimeConfig());
        Files.createDirectories(out);
        TempFiles.removeStale(out); // partial files of an export that was killed
        Path target = out.resolve(Bundle.MODEL);
        Path tmp = TempFiles.partialBeside(target);
        String modelSha;
        AdapterExport.Result split = null;
        PrefixExport.Result cut = null;
        AdapterExport.Trained trained = null;
        Path suffixTarget = out.resolve(SharedPrefix.SUFFIX_MODEL);
        int fusedLayers;
        try {
            try (TrainingSession session = TrainingSession.open(runtime, artifacts, ckpt)) {
                session.exportForInference(tmp, List.of(TaskModel.LOGITS));
            }
            fusedLayers = rewrite(tmp, info.backbone().layers(), info.backbone().heads(), graph);
            if (adapter) {
                Path parent = out.toAbsolutePath().normalize().getParent();
                split = AdapterExport.split(tmp, target, Set.copyOf(artifacts.manifest().frozen().names()),
                        parent.resolve(BackboneWeights.SHARED_FOLDER));
                JsonObject mc = info.methodConfig();
                if (mc != null && mc.has("layer") && mc.get("layer").isJsonPrimitive()) {
                    // a method with an injection layer: the part below it is shared by every task on this backbone
                    cut = PrefixExport.cut(tmp, mc.get("layer").getAsInt(), parent.resolve(BackboneWeights.SHARED_FOLDER));
                    // the adapter graph and its suffix hold the same trained tensors: keep them once, beside both
                    trained = AdapterExport.externalizeTrained(tmp, cut.suffix(), out);
                    if (trained != null) {
                        cut = cut.withSuffix(trained.suffix());
                    }
                    AtomicFiles.write(suffixTarget, cut.suffix());
                }
            }
            if (cut == null) {
                Files.deleteIfExists(suffixTarget); // of an earlier export into this folder
            }
            if (trained == null) {
                Files.deleteIfExists(out.resolve(AdapterTensors.FILE));
            }
            modelSha = TokenizerFiles.sha256(tmp);
            TokenizerCopies.copy(tokenizer, manifest, out);
            AtomicFiles.matchPermissions(tmp, target);
            AtomicFiles.move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
        JsonObject m = BundleManifest.describe(task, info.labels(), maxLength, info.method(), info.methodConfig(),
                info.backbone().toJson(), tokenizerJson, ckpt.getFileName().toString(), modelSha, Instant.now());
        JsonObject described = new JsonObject(); // informational: serving runs any graph the same way
        described.addProperty("fused", graph.fused());
        described.addProperty("fused_layers", fusedLayers);
        described.addProperty("quantize", graph.int8() ? "int8" : "none");
        m.add("graph", described);
        if (split != null) {
            m.add(BackboneWeights.FIELD, AdapterExport.describe(split, info.backbone()));
        }
        if (cut != null) {
            m.add(SharedPrefix.FIELD, PrefixExport.describe(cut));
        }
        if (trained != null) {
            m.add(AdapterTensors.FIELD, AdapterExport.describe(trained));
        }
        AtomicFiles.writeString(out.resolve(Bundle.MANIFEST), Bundle.GSON.toJson(m) + "\n");
        return Bundle.open(out);
    }
}
