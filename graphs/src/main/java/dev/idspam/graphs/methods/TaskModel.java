package dev.idspam.graphs.methods;

import dev.idspam.graphs.artifacts.ArtifactNames;
import dev.idspam.graphs.artifacts.ForwardOutputs;
import dev.idspam.graphs.artifacts.ModelDefinition;
import dev.idspam.graphs.artifacts.PrefixSplit;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.Encoder;
import dev.idspam.graphs.backbone.EncoderBuilder;
import dev.idspam.graphs.backbone.EncoderChanges;
import dev.idspam.graphs.build.DType;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;
import dev.idspam.graphs.methods.head.ClassificationHead;
import dev.idspam.graphs.methods.head.HeadConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A backbone, a method and a task head, as one {@link ModelDefinition}: user inputs
 * {@code input_ids}, {@code attention_mask}, {@code token_type_ids} (BERT-style type vocabularies
 * only) and {@code labels}; eval output {@code logits}. The head reads the input tokens from index
 * {@code method.promptTokens()} on, where they sit after injection: the first, their mean or (the
 * default on a decoder such as GPT-2) the last real one, as {@link HeadConfig#pooling()} says.
 * When it reads the first one from an encoder, the last layer is built for that row alone
 * ({@link EncoderBuilder}, "one read token": the same logits, without the other rows' queries,
 * output projection and feed-forward work in the last layer); {@link #everyRow()} builds it whole.
 */
public final class TaskModel implements ModelDefinition {
    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String TOKEN_TYPE_IDS = "token_type_ids";
    public static final String LABELS = "labels";
    public static final String LOGITS = "logits";

    private final BackboneWeights backbone;
    private final Method method;
    private final HeadConfig head;
    private final long seed;
    /** True for the suffix of the {@link #prefixSplit}: X_m is an input, layers below m are not built. */
    private final boolean suffix;
    /** False: the last layer computes every row even when the head reads one ({@link #everyRow()}). */
    private final boolean oneRow;
    private List<String> lastTrainable = List.of();
    private Map<String, TensorData> initialValues = Map.of();

    public TaskModel(BackboneWeights backbone, Method method, HeadConfig head, long seed) {
        this(backbone, method, head, seed, false, true);
    }

    private TaskModel(BackboneWeights backbone, Method method, HeadConfig head, long seed, boolean suffix,
                      boolean oneRow) {
        if (backbone.config().family().isDecoder() && head.pooling() == HeadConfig.Pooling.FIRST) {
            throw new IllegalArgumentException("the task head cannot read the first token of a " + backbone.config().family()
                    + " backbone: its attention is causal, so the first token has seen only itself and the prompt;"
                    + " use --head-pooling last (the default for decoders) or mean");
        }
        this.backbone = backbone;
        this.method = method;
        this.head = head;
        this.seed = seed;
        this.suffix = suffix;
        this.oneRow = oneRow;
    }

    /** Starts the named parameters from these values (e.g. weights trained on another task). */
    public TaskModel withInitialValues(Map<String, TensorData> values) {
        TaskModel m = new TaskModel(backbone, method, head, seed, suffix, oneRow);
        m.initialValues = Map.copyOf(values);
        return m;
    }

    /**
     * The same model with the last layer computing every row (as before the head's row was read
     * alone): the same function, more work; for measuring what the one-row layer saves and for
     * checking that it changes nothing.
     */
    public TaskModel everyRow() {
        TaskModel m = new TaskModel(backbone, method, head, seed, suffix, false);
        m.initialValues = initialValues;
        return m;
    }

    /**
     * The last-layer position the head reads when the encoder is built for it alone, else
     * {@link EncoderBuilder#ALL_TOKENS}: first-token pooling on an encoder.
     */
    public long readToken() {
        return oneRow && head.pooling() == HeadConfig.Pooling.FIRST && !backbone.config().family().isDecoder()
                ? method.promptTokens() : EncoderBuilder.ALL_TOKENS;
    }

    /**
     * m, when the method leaves layers 0..m−1 the frozen backbone's ({@link Method#frozenPrefixLayers}
     * and no trainable backbone weight), else 0. The encoder itself has no dropout, so X_m is a fixed
     * function of the tokens.
     */
    public int cachedPrefixLayers() {
        return method.trainsBackbone() ? 0 : Math.max(0, method.frozenPrefixLayers());
    }

    /**
     * The split at m = {@link #cachedPrefixLayers()} for training with a prefix cache, or null when m
     * is 0 (nothing below the method to cache).
     */
    @Override
    public PrefixSplit prefixSplit() {
        int m = cachedPrefixLayers();
        if (m == 0 || suffix) {
            return null;
        }
        TaskModel whole = this;
        return new PrefixSplit() {
            @Override
            public int layers() {
                return m;
            }

            @Override
            public Value buildPrefix(GraphBuilder b) {
                Value ids = b.input(INPUT_IDS, DType.INT64, Shape.of("batch", "sequence"));
                Value mask = b.input(ATTENTION_MASK, DType.INT64, Shape.of("batch", "sequence"));
                Value types = usesTokenTypes() ? b.input(TOKEN_TYPE_IDS, DType.INT64, Shape.of("batch", "sequence")) : null;
                Map<String, Value> weights = EncoderBuilder.bindWeights(b, backbone, EncoderBuilder.WeightBinding.FROZEN, "");
                return EncoderBuilder.buildPrefix(b, backbone.config(), weights, ids, mask, types, m);
            }

            @Override
            public ModelDefinition suffix() {
                TaskModel s = new TaskModel(backbone, method, head, seed, true, oneRow);
                s.initialValues = whole.initialValues;
                return s;
            }
        };
    }

    public Method method() {
        return method;
    }

    public HeadConfig head() {
        return head;
    }

    public BackboneWeights backbone() {
        return backbone;
    }

    public boolean usesTokenTypes() {
        return backbone.config().typeVocabSize() > 1;
    }

    @Override
    public ForwardOutputs build(GraphBuilder b, boolean training) {
        b.overrideInitialValues(initialValues);
        Value ids = b.input(INPUT_IDS, DType.INT64, Shape.of("batch", "sequence"));
        Value mask = b.input(ATTENTION_MASK, DType.INT64, Shape.of("batch", "sequence"));
        Value types = usesTokenTypes() ? b.input(TOKEN_TYPE_IDS, DType.INT64, Shape.of("batch", "sequence")) : null;
        Value labels = b.input(LABELS, ClassificationHead.labelType(head), Shape.of("batch"));
        Value xm = suffix ? b.input(ArtifactNames.PREFIX_HIDDEN, DType.FLOAT,
                Shape.of("batch", "sequence", backbone.config().hidden())) : null;

        ParameterInit init = new ParameterInit(seed);
        MethodContext ctx = new MethodContext(backbone, init, seed, training);
        Map<String, Value> weights = EncoderBuilder.bindWeights(b, backbone,
                method.trainsBackbone() ? EncoderBuilder.WeightBinding.TRAINABLE : EncoderBuilder.WeightBinding.FROZEN, "");
        if (method.trainsBackbone()) {
            ctx.declareTrainable(new ArrayList<>(weights.keySet()));
        }
        EncoderChanges changes = method.encoderChanges(ctx);
        Encoder enc;
        if (suffix) {
            if (!changes.leavesBelowUnchanged(changes.firstInjectionLayer())) {
                throw new IllegalStateException("method " + method.id() + " changes the embeddings or the projections;"
                        + " it has no frozen prefix");
            }
            enc = EncoderBuilder.buildFrom(b, backbone.config(), weights, ids, mask, types, changes, xm, readToken());
        } else {
            enc = EncoderBuilder.buildWith(b, backbone.config(), weights, ids, mask, types, changes, readToken());
        }
        // one read token: the last layer's output is that row alone, [B, 1, n]
        Value logits = ClassificationHead.logits(b, head, init, enc.lastHiddenState(), backbone.config().hidden(),
                enc.readsOneToken() ? 0 : method.promptTokens(), mask, training);
        ctx.declareTrainable(ClassificationHead.PARAMETERS);
        Value loss = ClassificationHead.loss(b, head, logits, labels);
        lastTrainable = List.copyOf(ctx.trainable());
        return new ForwardOutputs(loss, Map.of(LOGITS, logits));
    }

    /** The trainable tensors declared by the last {@link #build} (method tensors, then the head). */
    public List<String> trainableParameters() {
        return lastTrainable;
    }
}
