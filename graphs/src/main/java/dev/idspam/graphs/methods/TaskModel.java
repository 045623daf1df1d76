package dev.idspam.graphs.methods;

import dev.idspam.graphs.artifacts.ForwardOutputs;
import dev.idspam.graphs.artifacts.ModelDefinition;
import dev.idspam.graphs.backbone.BackboneWeights;
import dev.idspam.graphs.backbone.Encoder;
import dev.idspam.graphs.backbone.EncoderBuilder;
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
 * only) and {@code labels}; eval output {@code logits}. The head reads index
 * {@code method.promptTokens()}, where the first real token sits after injection.
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
    private List<String> lastTrainable = List.of();
    private Map<String, TensorData> initialValues = Map.of();

    public TaskModel(BackboneWeights backbone, Method method, HeadConfig head, long seed) {
        this.backbone = backbone;
        this.method = method;
        this.head = head;
        this.seed = seed;
    }

    /** Starts the named parameters from these values (e.g. weights trained on another task). */
    public TaskModel withInitialValues(Map<String, TensorData> values) {
        TaskModel m = new TaskModel(backbone, method, head, seed);
        m.initialValues = Map.copyOf(values);
        return m;
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

        ParameterInit init = new ParameterInit(seed);
        MethodContext ctx = new MethodContext(backbone, init, seed, training);
        Map<String, Value> weights = EncoderBuilder.bindWeights(b, backbone,
                method.trainsBackbone() ? EncoderBuilder.WeightBinding.TRAINABLE : EncoderBuilder.WeightBinding.FROZEN, "");
        if (method.trainsBackbone()) {
            ctx.declareTrainable(new ArrayList<>(weights.keySet()));
        }
        Encoder enc = EncoderBuilder.build(b, backbone.config(), weights, ids, mask, types, method.injection(ctx),
                method.projectionHook(ctx));
        Value logits = ClassificationHead.logits(b, head, init, enc.lastHiddenState(), backbone.config().hidden(),
                method.promptTokens(), training);
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
