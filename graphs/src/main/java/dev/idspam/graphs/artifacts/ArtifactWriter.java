package dev.idspam.graphs.artifacts;

import com.google.gson.JsonObject;
import dev.idspam.graphs.autodiff.Autodiff;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.Graph;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.Parameter;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.io.FolderUpdate;
import dev.idspam.graphs.onnx.OnnxWriter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the four ONNX Runtime training artifacts plus {@code manifest.json} for a
 * {@link ModelDefinition}:
 * <ul>
 *   <li>{@code training_model.onnx}: the forward graph ({@code training = true}), the backward
 *       graph from {@link Autodiff} for the trainable parameters, and one
 *       {@code com.microsoft::InPlaceAccumulatorV2} per trainable parameter. Inputs: user inputs,
 *       every parameter, {@code <p>_grad.accumulation.buffer} per trainable parameter,
 *       {@code lazy_reset_grad}. Outputs: {@code loss}, then the {@code <p>_grad.accumulation.out} flags.</li>
 *   <li>{@code eval_model.onnx}: the forward graph ({@code training = false}); outputs {@code loss}
 *       then the model's eval outputs; the parameters as inputs in the training graph's order.</li>
 *   <li>{@code optimizer_model.onnx}: AdamW ({@link OptimizerModel}).</li>
 *   <li>{@code checkpoint}: trainable parameters in {@code requires_grad_params}, frozen ones in
 *       {@code frozen_params}, no optimizer state (ORT starts the moments at zero).</li>
 * </ul>
 * The graphs are built and checked before any file is touched; the files are then staged and
 * committed with {@link FolderUpdate}, the manifest being the commit file: a failure before the
 * commit leaves an earlier artifacts folder byte-identical, a crash inside it leaves a folder
 * without manifest, which {@link Manifest#read} refuses. The same definition and settings give
 * byte-identical files.
 */
public final class ArtifactWriter {
    private final ModelDefinition definition;
    private final AdamWConfig optimizer;
    private final JsonObject model;
    private final JsonObject tokenizer;
    private final Autodiff autodiff;

    private ArtifactWriter(Builder b) {
        this(b.definition, b.optimizer, b.model, b.tokenizer, b.autodiff);
    }

    private ArtifactWriter(ModelDefinition definition, AdamWConfig optimizer, JsonObject model, JsonObject tokenizer,
                           Autodiff autodiff) {
        this.definition = definition;
        this.optimizer = optimizer;
        this.model = model.deepCopy();
        this.tokenizer = tokenizer == null ? null : tokenizer.deepCopy();
        this.autodiff = autodiff;
    }

    /** This writer with another tokenizer reference (known only once the tokenizer is staged). */
    public ArtifactWriter withTokenizer(JsonObject reference) {
        return new ArtifactWriter(definition, optimizer, model, reference, autodiff);
    }

    public static Builder forModel(ModelDefinition definition) {
        return new Builder(definition);
    }

    /** Options of an {@link ArtifactWriter}. */
    public static final class Builder {
        private final ModelDefinition definition;
        private AdamWConfig optimizer = AdamWConfig.defaults();
        private JsonObject model = new JsonObject();
        private JsonObject tokenizer;
        private Autodiff autodiff = Autodiff.standard();

        private Builder(ModelDefinition definition) {
            if (definition == null) {
                throw new IllegalArgumentException("model definition is required");
            }
            this.definition = definition;
        }

        public Builder optimizer(AdamWConfig config) {
            this.optimizer = config;
            return this;
        }

        /** Free-form description recorded in the manifest: backbone id, method and config, task, labels... */
        public Builder modelInfo(JsonObject info) {
            this.model = info.deepCopy();
            return this;
        }

        /** Tokenizer reference recorded in the manifest (for example {"id": "bert-base-uncased", "maxLength": 128}). */
        public Builder tokenizer(JsonObject reference) {
            this.tokenizer = reference == null ? null : reference.deepCopy();
            return this;
        }

        /** The differentiation engine (defaults to {@link Autodiff#standard()}). */
        public Builder autodiff(Autodiff engine) {
            this.autodiff = engine;
            return this;
        }

        public ArtifactWriter build() {
            return new ArtifactWriter(this);
        }
    }

    // ------------------------------------------------------------------------------------ graphs

    /**
     * Builds and validates both graphs without writing anything; for a definition with a
     * {@link PrefixSplit}, also the prefix graph and the suffix's training and eval graphs, checked
     * to declare exactly the whole graphs' parameters (one checkpoint serves both pairs).
     */
    public ArtifactGraphs buildGraphs() {
        ArtifactGraphs whole = buildPair(definition, "");
        PrefixSplit split = definition.prefixSplit();
        if (split == null) {
            return whole;
        }
        ArtifactGraphs sfx = buildPair(split.suffix(), "cached ");
        try {
            requireSameParameters(whole.parameters(), sfx.parameters());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the suffix graphs of the prefix split differ from the whole graphs: "
                    + e.getMessage(), e);
        }
        List<String> wholeInputs = whole.training().userInputs().stream().map(Value::name).toList();
        List<String> sfxInputs = sfx.training().userInputs().stream().map(Value::name).toList();
        List<String> expected = new ArrayList<>(wholeInputs.stream().filter(n -> !isOrtInput(n, whole.trainableNames())).toList());
        expected.add(ArtifactNames.PREFIX_HIDDEN);
        List<String> found = sfxInputs.stream().filter(n -> !isOrtInput(n, sfx.trainableNames())).toList();
        if (!found.equals(expected)) {
            throw new IllegalStateException("the suffix training graph takes " + found + "; expected " + expected);
        }
        return new ArtifactGraphs(whole.training(), whole.eval(), whole.parameters(),
                new ArtifactGraphs.Cached(sfx.training(), sfx.eval(), prefixGraph(split)));
    }

    private static boolean isOrtInput(String name, List<String> trainable) {
        return name.equals(ArtifactNames.LAZY_RESET_GRAD) || isBuffer(name, trainable);
    }

    /**
     * The prefix as a plain inference graph: token inputs, then only the frozen parameters it reads
     * (as graph inputs, fed from the checkpoint by name), output {@value ArtifactNames#PREFIX_HIDDEN}.
     */
    private static Graph prefixGraph(PrefixSplit split) {
        GraphBuilder pb = new GraphBuilder("prefix");
        Value xm = split.buildPrefix(pb);
        pb.output(xm, ArtifactNames.PREFIX_HIDDEN);
        Graph g = pb.build();
        for (Parameter p : g.parameters()) {
            if (p.trainable()) {
                throw new IllegalStateException("prefix graph: parameter '" + p.name() + "' is trainable; a cached prefix"
                        + " must read frozen weights only");
            }
        }
        Graph pruned = finish(g, List.copyOf(g.parameters()), 1);
        Set<String> read = new HashSet<>();
        pruned.nodes().forEach(n -> n.inputs().forEach(read::add));
        List<Value> inputs = pruned.inputs().stream().filter(v -> read.contains(v.name())).toList();
        List<Parameter> params = pruned.parameters().stream().filter(p -> read.contains(p.name())).toList();
        return new Graph(pruned.name(), inputs, params, pruned.initializers(), pruned.nodes(), pruned.outputs(), pruned.values());
    }

    /** The training and eval graphs of one definition; {@code label} prefixes messages. */
    private ArtifactGraphs buildPair(ModelDefinition definition, String label) {
        GraphBuilder tb = new GraphBuilder("training");
        ForwardOutputs tf = definition.build(tb, true);
        List<Parameter> params = List.copyOf(tb.parameters());
        List<String> trainable = params.stream().filter(Parameter::trainable).map(Parameter::name).toList();
        if (trainable.isEmpty()) {
            throw new IllegalArgumentException("training graph: the model declares no trainable parameter; nothing to train");
        }
        for (Parameter p : params) {
            ArtifactNames.requireOrdinaryName("training", "parameter", p.name());
            if (p.trainable() && p.initial().type() != DType.FLOAT) {
                throw new IllegalArgumentException("training graph: trainable parameter '" + p.name() + "' is "
                        + p.initial().type() + "; the AdamW optimizer updates FLOAT tensors only");
            }
        }
        Map<String, Value> grads = autodiff.backward(tb, tf.loss(), trainable);
        List<Value> buffers = new ArrayList<>();
        for (Parameter p : params) {
            if (p.trainable()) {
                buffers.add(tb.input(p.name() + ArtifactNames.ACCUMULATION_BUFFER_SUFFIX, p.initial().type(),
                        p.initial().shape()));
            }
        }
        Value reset = tb.input(ArtifactNames.LAZY_RESET_GRAD, DType.BOOL, Shape.ofSizes(1));
        tb.output(tf.loss(), ArtifactNames.LOSS);
        for (int i = 0; i < trainable.size(); i++) {
            String p = trainable.get(i);
            Value grad = grads.get(p);
            if (grad == null) {
                throw new IllegalStateException("autodiff returned no gradient for '" + p + "'");
            }
            Value flag = tb.nodeWithOutputs("InPlaceAccumulatorV2", OnnxWriter.MS_DOMAIN,
                    List.of(buffers.get(i), grad, reset), List.of(),
                    List.of(p + ArtifactNames.ACCUMULATION_OUT_SUFFIX)).get(0);
            tb.output(flag);
        }
        Graph training = finish(tb.build(), params, 1 + trainable.size());

        GraphBuilder eb = new GraphBuilder("eval");
        ForwardOutputs ef = definition.build(eb, false);
        eb.output(ef.loss(), ArtifactNames.LOSS);
        for (Map.Entry<String, Value> e : ef.evalOutputs().entrySet()) {
            if (e.getKey().equals(ArtifactNames.LOSS)) {
                throw new IllegalArgumentException("eval graph: eval output 'loss' is reserved for the loss; rename it");
            }
            ArtifactNames.requireOrdinaryName("eval", "output", e.getKey());
            eb.output(e.getValue(), e.getKey());
        }
        Graph eval = finish(eb.build(), List.copyOf(eb.parameters()), 1 + ef.evalOutputs().size());

        try {
            requireSameParameters(params, eval.parameters());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(label + e.getMessage(), e);
        }
        for (Value v : training.userInputs()) {
            if (!v.name().equals(ArtifactNames.LAZY_RESET_GRAD) && !isBuffer(v.name(), trainable)) {
                ArtifactNames.requireOrdinaryName("training", "user input", v.name());
            }
        }
        for (Value v : eval.userInputs()) {
            ArtifactNames.requireOrdinaryName("eval", "user input", v.name());
        }
        return new ArtifactGraphs(training, eval, params);
    }

    private static boolean isBuffer(String name, List<String> trainable) {
        return name.endsWith(ArtifactNames.ACCUMULATION_BUFFER_SUFFIX)
                && trainable.contains(name.substring(0, name.length() - ArtifactNames.ACCUMULATION_BUFFER_SUFFIX.length()));
    }

    /** Checks the output count, drops nodes and constants that no output needs, orders the inputs. */
    private static Graph finish(Graph g, List<Parameter> params, int expectedOutputs) {
        if (g.outputs().size() != expectedOutputs) {
            throw new IllegalArgumentException(g.name() + " graph: has outputs " + g.outputs().stream().map(Value::name).toList()
                    + "; ModelDefinition.build must not declare graph outputs itself (return them in ForwardOutputs)");
        }
        Set<String> live = new HashSet<>();
        g.outputs().forEach(v -> live.add(v.name()));
        List<Node> kept = new ArrayList<>();
        List<Node> nodes = g.nodes();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            if (n.outputs().stream().anyMatch(live::contains)) {
                kept.add(n);
                n.inputs().stream().filter(s -> !s.isEmpty()).forEach(live::add);
            }
        }
        java.util.Collections.reverse(kept);
        Map<String, TensorData> inits = new LinkedHashMap<>();
        g.initializers().forEach((name, data) -> {
            if (live.contains(name)) {
                inits.put(name, data);
            }
        });
        // user inputs first, then parameters, then what ORT feeds itself (buffers, reset flag), each in declaration order
        Set<String> paramNames = new HashSet<>();
        params.forEach(p -> paramNames.add(p.name()));
        List<Value> inputs = new ArrayList<>();
        for (int pass = 0; pass < 3; pass++) {
            for (Value v : g.inputs()) {
                int kind = paramNames.contains(v.name()) ? 1
                        : v.name().endsWith(ArtifactNames.ACCUMULATION_BUFFER_SUFFIX)
                        || v.name().equals(ArtifactNames.LAZY_RESET_GRAD) ? 2 : 0;
                if (kind == pass) {
                    inputs.add(v);
                }
            }
        }
        return new Graph(g.name(), inputs, g.parameters(), inits, kept, g.outputs(), g.values());
    }

    /** ORT feeds its parameter list, built in training order, positionally into the eval graph. */
    private static void requireSameParameters(List<Parameter> train, List<Parameter> eval) {
        List<String> tn = train.stream().map(Parameter::name).toList();
        List<String> en = eval.stream().map(Parameter::name).toList();
        if (!tn.equals(en)) {
            throw new IllegalArgumentException("the eval graph declares parameters " + en + " but the training graph "
                    + tn + "; ModelDefinition.build must declare the same parameters in the same order for training=true"
                    + " and training=false (ONNX Runtime feeds them by position)");
        }
        for (int i = 0; i < train.size(); i++) {
            Parameter a = train.get(i);
            Parameter b = eval.get(i);
            if (a.trainable() != b.trainable()) {
                throw new IllegalArgumentException("parameter '" + a.name() + "' is " + (a.trainable() ? "trainable" : "frozen")
                        + " in the training graph but " + (b.trainable() ? "trainable" : "frozen") + " in the eval graph");
            }
            if (a.initial().type() != b.initial().type() || !Arrays.equals(a.initial().dims(), b.initial().dims())) {
                throw new IllegalArgumentException("parameter '" + a.name() + "' is " + a.initial() + " in the training graph but "
                        + b.initial() + " in the eval graph");
            }
            if (!a.initial().equals(b.initial())) {
                throw new IllegalArgumentException("parameter '" + a.name() + "' has different initial values in the training"
                        + " and eval graphs; ModelDefinition.build must initialise deterministically (one checkpoint serves both)");
            }
        }
    }

    // ------------------------------------------------------------------------------------ files

    /**
     * Builds the graphs, then writes all artifacts into {@code dir} through a {@link FolderUpdate}
     * (nothing is touched when building fails); returns them with their manifest.
     */
    public Artifacts write(Path dir) throws IOException {
        ArtifactGraphs g = buildGraphs();
        try (FolderUpdate update = FolderUpdate.begin(dir)) {
            Manifest m = stage(g, update);
            update.commit(ArtifactNames.MANIFEST, List.of());
            return new Artifacts(dir, m);
        }
    }

    /**
     * Writes the artifacts of {@code g} (built by {@link #buildGraphs} of this definition) and their
     * manifest into the staging folder of {@code update}; the caller commits, with the manifest as
     * the commit file. Files the caller stages itself (a tokenizer) are not listed in the manifest.
     */
    public Manifest stage(ArtifactGraphs g, FolderUpdate update) throws IOException {
        Map<String, Manifest.FileEntry> files = new LinkedHashMap<>();
        stage(update, files, ArtifactNames.TRAINING_MODEL, OnnxWriter.toBytes(g.training()));
        stage(update, files, ArtifactNames.EVAL_MODEL, OnnxWriter.toBytes(g.eval()));
        stage(update, files, ArtifactNames.OPTIMIZER_MODEL, OptimizerModel.build(optimizer).toByteArray());
        if (g.cached() != null) {
            stage(update, files, ArtifactNames.CACHED_TRAINING_MODEL, OnnxWriter.toBytes(g.cached().training()));
            stage(update, files, ArtifactNames.CACHED_EVAL_MODEL, OnnxWriter.toBytes(g.cached().eval()));
            stage(update, files, ArtifactNames.PREFIX_MODEL, OnnxWriter.toBytes(g.cached().prefix()));
        }
        Checkpoint ckpt = Checkpoint.initial(g.parameters());
        ByteBuffer flat = ckpt.toFlatBuffer();
        files.put(ArtifactNames.CHECKPOINT, new Manifest.FileEntry(flat.remaining(), Digests.sha256(flat)));
        update.write(ArtifactNames.CHECKPOINT, flat);

        Manifest m = new Manifest(Manifest.FORMAT_VERSION, model, tokenizer,
                specs(userInputs(g.training())), List.of(ArtifactNames.LOSS),
                specs(g.eval().userInputs()), specs(g.eval().outputs()),
                new Manifest.ParameterGroup(Checkpoint.elements(ckpt.trainable()), g.trainableNames()),
                new Manifest.ParameterGroup(Checkpoint.elements(ckpt.frozen()), g.frozenNames()),
                optimizer, files);
        update.write(ArtifactNames.MANIFEST, m.toJson().getBytes(StandardCharsets.UTF_8));
        return m;
    }

    private static void stage(FolderUpdate update, Map<String, Manifest.FileEntry> files, String name, byte[] bytes)
            throws IOException {
        update.write(name, bytes);
        files.put(name, new Manifest.FileEntry(bytes.length, Digests.sha256(bytes)));
    }

    /** The inputs the caller feeds to trainStep: not parameters, buffers or the reset flag. */
    private static List<Value> userInputs(Graph training) {
        return training.userInputs().stream()
                .filter(v -> !v.name().equals(ArtifactNames.LAZY_RESET_GRAD)
                        && !v.name().endsWith(ArtifactNames.ACCUMULATION_BUFFER_SUFFIX))
                .toList();
    }

    private static List<TensorSpec> specs(List<Value> values) {
        return values.stream().map(TensorSpec::of).toList();
    }
}
