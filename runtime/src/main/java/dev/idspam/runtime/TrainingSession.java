package dev.idspam.runtime;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtTrainingSession;
import dev.idspam.graphs.artifacts.ArtifactFormatException;
import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.Artifacts;
import dev.idspam.graphs.artifacts.Checkpoint;
import dev.idspam.graphs.artifacts.CheckpointSeal;
import dev.idspam.graphs.artifacts.CheckpointSummary;
import dev.idspam.graphs.artifacts.Manifest;
import dev.idspam.graphs.artifacts.NamedTensor;
import dev.idspam.graphs.artifacts.TensorSpec;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.io.TempFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One ONNX Runtime training session over verified artifacts and a checkpoint: the thin, checked
 * layer over {@code OrtTrainingSession} where {@code OrtException}s become
 * {@link NativeRuntimeException}s. Feeds are built in the model's input order (ORT feeds
 * positionally), per-call tensors are closed in one scope, all outputs are fetched (ORT rejects a
 * subset), and checkpoints and exports are written atomically.
 */
public final class TrainingSession implements AutoCloseable {
    private final NativeRuntime runtime;
    private final Artifacts artifacts;
    private final Path checkpoint;
    private final OrtTrainingSession session;
    private final List<String> trainInputs;
    private final List<String> evalInputs;
    private final List<String> evalOutputs;
    private final Map<String, TensorSpec> trainSpecs = new LinkedHashMap<>();
    private final Map<String, TensorSpec> evalSpecs = new LinkedHashMap<>();
    private boolean closed;

    private TrainingSession(NativeRuntime runtime, Artifacts artifacts, Path checkpoint, OrtTrainingSession session,
                            boolean cached) {
        this.runtime = runtime;
        this.artifacts = artifacts;
        this.checkpoint = checkpoint;
        this.session = session;
        Manifest m = artifacts.manifest();
        this.trainInputs = withPrefix(m.trainInputNames(), cached);
        this.evalInputs = withPrefix(m.evalInputNames(), cached);
        this.evalOutputs = m.evalOutputNames();
        m.trainInputs().forEach(s -> trainSpecs.put(s.name(), s));
        m.evalInputs().forEach(s -> evalSpecs.put(s.name(), s));
        if (cached) {
            TensorSpec xm = new TensorSpec(ArtifactNames.PREFIX_HIDDEN, DType.FLOAT, Shape.of("batch", "sequence", "hidden"));
            trainSpecs.put(xm.name(), xm);
            evalSpecs.put(xm.name(), xm);
        }
    }

    /** The suffix graphs take the whole graphs' user inputs, then X_m ({@link ArtifactGraphs}' check at generation). */
    private static List<String> withPrefix(List<String> names, boolean cached) {
        if (!cached) {
            return names;
        }
        List<String> out = new ArrayList<>(names);
        out.add(ArtifactNames.PREFIX_HIDDEN);
        return List.copyOf(out);
    }

    /**
     * Opens a session on {@code artifacts} with the weights (and optimizer state, if saved) of
     * {@code checkpoint}: the artifacts' own initial checkpoint or one saved by
     * {@link #saveCheckpoint}. Nothing reaches ONNX Runtime before {@link #requireUsable} accepted it.
     */
    public static TrainingSession open(NativeRuntime runtime, Artifacts artifacts, Path checkpoint) throws IOException {
        return open(runtime, artifacts, checkpoint, false);
    }

    /**
     * As {@link #open(NativeRuntime, Artifacts, Path)}; with {@code cached}, on the suffix graphs of a
     * prefix split ({@link Artifacts#hasPrefixCacheGraphs()}): every training and eval batch must then
     * also hold {@value ArtifactNames#PREFIX_HIDDEN}, X_m of its rows ({@link PrefixCache}). The
     * checkpoints are the same for both kinds of session.
     */
    public static TrainingSession open(NativeRuntime runtime, Artifacts artifacts, Path checkpoint, boolean cached)
            throws IOException {
        requireUsable(artifacts, checkpoint);
        return openChecked(runtime, artifacts, checkpoint, cached);
    }

    /** {@link #open} for a checkpoint that {@link #requireUsable} has just accepted. */
    static TrainingSession openChecked(NativeRuntime runtime, Artifacts artifacts, Path checkpoint, boolean cached)
            throws IOException {
        Manifest m = artifacts.manifest();
        if (cached && !artifacts.hasPrefixCacheGraphs()) {
            throw new IllegalArgumentException(artifacts.directory() + ": these artifacts have no prefix-cache graphs ("
                    + ArtifactNames.CACHED_TRAINING_MODEL + "); the method has no frozen prefix, or they were generated"
                    + " before the prefix cache existed");
        }
        OrtTrainingSession s;
        try (OrtSession.SessionOptions so = runtime.sessionOptions()) {
            s = runtime.environment().createTrainingSession(checkpoint.toString(),
                    (cached ? artifacts.cachedTrainingModel() : artifacts.trainingModel()).toString(),
                    (cached ? artifacts.cachedEvalModel() : artifacts.evalModel()).toString(),
                    artifacts.optimizerModel().toString(), so);
        } catch (OrtException e) {
            throw new NativeRuntimeException("creating the training session for " + artifacts.directory()
                    + " with checkpoint " + checkpoint, e);
        }
        TrainingSession ts = new TrainingSession(runtime, artifacts, checkpoint, s, cached);
        try {
            ts.requireNames("training inputs", new ArrayList<>(s.getTrainInputNames()), ts.trainInputs);
            ts.requireNames("training outputs", new ArrayList<>(s.getTrainOutputNames()), m.trainOutputs());
            ts.requireNames("eval inputs", new ArrayList<>(s.getEvalInputNames()), ts.evalInputs);
            ts.requireNames("eval outputs", new ArrayList<>(s.getEvalOutputNames()), m.evalOutputNames());
        } catch (RuntimeException e) {
            ts.close();
            throw e;
        }
        return ts;
    }

    /**
     * Checks a checkpoint before ONNX Runtime sees it, so that every refusal names the file and the
     * cause instead of surfacing from inside the runtime: (1) its integrity: the artifacts' initial
     * checkpoint by the manifest's SHA-256 (checked when the artifacts were opened), any other by its
     * checksum file ({@link CheckpointSeal}); (2) its structure; (3) its layout: the same tensors,
     * in the same group (trainable or frozen), with the same type and shape as the initial
     * checkpoint, whose digest the manifest records, so a checkpoint of another task or method is
     * refused at the first tensor that differs; (4) every trainable value finite: NaN or infinite
     * weights would evaluate and export to NaN predictions.
     */
    public static void requireUsable(Artifacts artifacts, Path checkpoint) throws IOException {
        Path initial = artifacts.checkpoint();
        boolean isInitial = checkpoint.toAbsolutePath().normalize().equals(initial.toAbsolutePath().normalize());
        if (!isInitial) {
            CheckpointSeal.verify(checkpoint);
        }
        CheckpointSummary found = Checkpoint.inspect(checkpoint);
        if (isInitial) {
            return;
        }
        requireSameLayout(checkpoint, Checkpoint.inspect(initial), found, artifacts.directory());
        for (NamedTensor t : Checkpoint.readTrainable(checkpoint)) {
            TensorData d = t.data();
            if (d.type() != DType.FLOAT && d.type() != DType.DOUBLE) {
                continue;
            }
            double[] v = d.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new ArtifactFormatException(checkpoint + ": trainable tensor '" + t.name() + "' holds "
                            + (Double.isNaN(v[i]) ? "NaN" : v[i] > 0 ? "+infinity" : "-infinity") + " (element " + i + " of "
                            + v.length + "); the weights are unusable; use another checkpoint or train again");
                }
            }
        }
    }

    private static void requireSameLayout(Path checkpoint, CheckpointSummary expected, CheckpointSummary found,
                                          Path artifactsDir) throws ArtifactFormatException {
        Map<String, CheckpointSummary.TensorInfo> trainable = byName(found.trainable());
        Map<String, CheckpointSummary.TensorInfo> frozen = byName(found.frozen());
        String other = "; the checkpoint belongs to other artifacts (another task, method or backbone)";
        for (boolean isTrainable : new boolean[] {true, false}) {
            for (CheckpointSummary.TensorInfo e : isTrainable ? expected.trainable() : expected.frozen()) {
                CheckpointSummary.TensorInfo f = (isTrainable ? trainable : frozen).remove(e.name());
                if (f == null) {
                    boolean elsewhere = (isTrainable ? frozen : trainable).containsKey(e.name());
                    throw new ArtifactFormatException(checkpoint + ": does not fit " + artifactsDir + ": tensor '" + e.name()
                            + "' " + (elsewhere ? "is " + (isTrainable ? "frozen" : "trainable") + " in the checkpoint but "
                            + (isTrainable ? "trainable" : "frozen") + " in the artifacts" : "is missing (expected shape "
                            + shape(e) + ")") + other);
                }
                if (f.type() != e.type() || !java.util.Arrays.equals(f.dims(), e.dims())) {
                    throw new ArtifactFormatException(checkpoint + ": does not fit " + artifactsDir + ": tensor '" + e.name()
                            + "' has shape " + shape(f) + ", expected " + shape(e) + other);
                }
            }
        }
        for (Map<String, CheckpointSummary.TensorInfo> left : List.of(trainable, frozen)) {
            for (CheckpointSummary.TensorInfo f : left.values()) {
                throw new ArtifactFormatException(checkpoint + ": does not fit " + artifactsDir + ": it holds tensor '"
                        + f.name() + "' (shape " + shape(f) + "), which the artifacts do not declare" + other);
            }
        }
    }

    private static Map<String, CheckpointSummary.TensorInfo> byName(List<CheckpointSummary.TensorInfo> infos) {
        Map<String, CheckpointSummary.TensorInfo> m = new LinkedHashMap<>();
        infos.forEach(i -> m.put(i.name(), i));
        return m;
    }

    /** {@code FLOAT[2, 16]}. */
    private static String shape(CheckpointSummary.TensorInfo t) {
        return t.type() + java.util.Arrays.toString(t.dims());
    }

    private void requireNames(String what, List<String> ort, List<String> manifest) {
        if (!ort.equals(manifest)) {
            throw new NativeRuntimeException("ONNX Runtime reports " + what + " " + ort + " for " + artifacts.directory()
                    + " but its manifest says " + manifest + "; a name ending in _grad, _grad.accumulation.buffer or"
                    + " _grad.accumulation.out, or a parameter missing from the checkpoint, changes how ORT classifies"
                    + " inputs; regenerate the artifacts");
        }
    }

    public Artifacts artifacts() {
        return artifacts;
    }

    /** The checkpoint this session was created from. */
    public Path initialCheckpoint() {
        return checkpoint;
    }

    public List<String> trainInputNames() {
        return trainInputs;
    }

    public List<String> evalInputNames() {
        return evalInputs;
    }

    public List<String> evalOutputNames() {
        return evalOutputs;
    }

    // ------------------------------------------------------------------------------------ steps

    /** Makes the next {@link #trainStep} overwrite the gradient buffers instead of adding to them. */
    public void lazyResetGrad() {
        requireOpen();
        try {
            session.lazyResetGrad();
        } catch (OrtException e) {
            throw new NativeRuntimeException("lazyResetGrad", e);
        }
    }

    /** Forward + backward on one batch, accumulating gradients; returns the batch's loss. */
    public float trainStep(Batch batch) {
        requireOpen();
        try (OrtTensors.Scope scope = new OrtTensors.Scope()) {
            Map<String, OnnxTensor> feeds = feeds(batch, trainInputs, trainSpecs, "training", scope);
            try (OrtSession.Result r = session.trainStep(feeds)) {
                return ((HostTensor.Floats) OrtTensors.fromOnnx(ArtifactNames.LOSS, r.get(0))).scalar();
            }
        } catch (OrtException e) {
            throw new NativeRuntimeException("trainStep", e);
        }
    }

    /** The forward pass of the eval graph on one batch: every eval output by name, {@code loss} first. */
    public Map<String, HostTensor> evalStep(Batch batch) {
        requireOpen();
        try (OrtTensors.Scope scope = new OrtTensors.Scope()) {
            Map<String, OnnxTensor> feeds = feeds(batch, evalInputs, evalSpecs, "eval", scope);
            try (OrtSession.Result r = session.evalStep(feeds)) {
                Map<String, HostTensor> out = new LinkedHashMap<>();
                for (int i = 0; i < evalOutputs.size(); i++) {
                    OnnxValue v = r.get(i);
                    out.put(evalOutputs.get(i), OrtTensors.fromOnnx(evalOutputs.get(i), v));
                }
                return out;
            }
        } catch (OrtException e) {
            throw new NativeRuntimeException("evalStep", e);
        }
    }

    private Map<String, OnnxTensor> feeds(Batch batch, List<String> names, Map<String, TensorSpec> specs, String graph,
                                          OrtTensors.Scope scope) throws OrtException {
        Map<String, OnnxTensor> feeds = new LinkedHashMap<>(); // in model input order: ORT feeds by position
        for (String name : names) {
            HostTensor t = batch.inputs().get(name);
            if (t == null) {
                throw new IllegalArgumentException("the " + graph + " model takes inputs " + names + "; the batch has no '"
                        + name + "' (it holds " + batch.inputs().keySet() + ")");
            }
            OrtTensors.check(specs.get(name), t, graph);
            feeds.put(name, scope.add(OrtTensors.toOnnx(runtime.environment(), t)));
        }
        return feeds;
    }

    /** Sets the learning rate of the next {@link #optimizerStep}. */
    public void setLearningRate(float lr) {
        requireOpen();
        try {
            session.setLearningRate(lr);
        } catch (OrtException e) {
            throw new NativeRuntimeException("setLearningRate(" + lr + ")", e);
        }
    }

    public float learningRate() {
        requireOpen();
        try {
            return session.getLearningRate();
        } catch (OrtException e) {
            throw new NativeRuntimeException("getLearningRate", e);
        }
    }

    /** One AdamW update of the trainable parameters from the accumulated gradients. */
    public void optimizerStep() {
        requireOpen();
        try {
            session.optimizerStep();
        } catch (OrtException e) {
            throw new NativeRuntimeException("optimizerStep", e);
        }
    }

    /** Seeds ORT's random generators (dropout). Process-wide in ORT; safe here because training is enabled. */
    public void setSeed(long seed) {
        requireOpen();
        try {
            OrtTrainingSession.setSeed(seed);
        } catch (OrtException e) {
            throw new NativeRuntimeException("setSeed(" + seed + ")", e);
        }
    }

    /**
     * Adds a string property to the checkpoint state (saved with the next checkpoint). There is no
     * int variant on purpose: ORT 1.24.1 saves Java int properties with garbage upper bits (pitfall 17).
     */
    public void addProperty(String name, String value) {
        requireOpen();
        try {
            session.addProperty(name, value);
        } catch (OrtException e) {
            throw new NativeRuntimeException("addProperty(" + name + ")", e);
        }
    }

    public void addProperty(String name, float value) {
        requireOpen();
        try {
            session.addProperty(name, value);
        } catch (OrtException e) {
            throw new NativeRuntimeException("addProperty(" + name + ")", e);
        }
    }

    // ------------------------------------------------------------------------------------ files

    /**
     * Saves the current weights (and AdamW moments and step when {@code includeOptimizerState})
     * atomically: ORT writes a temporary file beside {@code target}, which is then renamed over it.
     */
    public void saveCheckpoint(Path target, boolean includeOptimizerState) throws IOException {
        requireOpen();
        Path tmp = temporarySibling(target);
        try {
            session.saveCheckpoint(tmp, includeOptimizerState);
            Path external = tmp.resolveSibling(tmp.getFileName() + ".data");
            if (Files.exists(external)) {
                Files.deleteIfExists(external);
                throw new NativeRuntimeException("ONNX Runtime stored " + target + " with an external data file; checkpoints"
                        + " above 2 GiB are not supported");
            }
            forceToDisk(tmp);
            CheckpointSeal.commit(tmp, target.toAbsolutePath());
        } catch (OrtException e) {
            throw new NativeRuntimeException("saving checkpoint " + target, e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Exports the eval graph with the current weights baked in as initializers, keeping only what
     * {@code outputNames} need (they must be tensors of the eval graph, e.g. {@code logits});
     * user inputs that lose all consumers (labels) are dropped. Written atomically.
     */
    public void exportForInference(Path target, List<String> outputNames) throws IOException {
        requireOpen();
        if (outputNames.isEmpty()) {
            throw new IllegalArgumentException("name at least one output to export (eval outputs: " + evalOutputs + ")");
        }
        TempFiles.removeStale(target.toAbsolutePath().getParent());
        Path tmp = temporarySibling(target);
        try {
            session.exportModelForInference(tmp, outputNames.toArray(String[]::new));
            AtomicFiles.move(tmp, target.toAbsolutePath());
        } catch (OrtException e) {
            throw new NativeRuntimeException("exporting " + outputNames + " to " + target + " (names must be tensors of the"
                    + " eval graph; its outputs are " + evalOutputs + ")", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The current parameters (no optimizer state), read back through a temporary checkpoint. */
    public Checkpoint weights() throws IOException {
        requireOpen();
        Path tmp = TempFiles.partialBeside(TempFiles.processFolder().resolve("weights.ckpt"));
        try {
            Files.delete(tmp);
            session.saveCheckpoint(tmp, false);
            return Checkpoint.read(tmp);
        } catch (OrtException e) {
            throw new NativeRuntimeException("reading the current weights", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** A fresh name beside {@code target} that carries this process's id (see {@link TempFiles}); ORT creates the file. */
    private static Path temporarySibling(Path target) throws IOException {
        Path tmp = TempFiles.partialBeside(target);
        Files.delete(tmp);
        return tmp;
    }

    /** ORT does not sync what it saves; the rename that publishes it must not overtake the data. */
    private static void forceToDisk(Path file) throws IOException {
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("TrainingSession is closed");
        }
    }

    /** Releases the native session and its checkpoint state; idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            session.close();
        }
    }
}
