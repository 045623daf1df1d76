package dev.idspam.graphs.artifacts;

import java.util.List;

/**
 * The names ONNX Runtime's training API relies on, in one place. ORT classifies training-graph
 * inputs and outputs by name (see ORT-TRAINING-ARTIFACTS.md §2.1), so these strings are part of
 * the artifact format, not a naming preference.
 */
public final class ArtifactNames {
    public static final String TRAINING_MODEL = "training_model.onnx";
    public static final String EVAL_MODEL = "eval_model.onnx";
    public static final String OPTIMIZER_MODEL = "optimizer_model.onnx";
    public static final String CHECKPOINT = "checkpoint";
    public static final String MANIFEST = "manifest.json";

    /**
     * Optional, for training with a cached frozen prefix ({@link PrefixSplit}): the prefix as a plain
     * inference graph (token inputs and the frozen parameters it reads as graph inputs; output
     * {@link #PREFIX_HIDDEN}), and the training and eval graphs of the suffix, which take
     * {@link #PREFIX_HIDDEN} as one more user input and the same parameters as the whole graphs.
     */
    public static final String PREFIX_MODEL = "prefix_model.onnx";
    public static final String CACHED_TRAINING_MODEL = "training_model_cached.onnx";
    public static final String CACHED_EVAL_MODEL = "eval_model_cached.onnx";
    /** The boundary tensor: X_m, the hidden states entering layer m, float {@code [batch, sequence, hidden]}. */
    public static final String PREFIX_HIDDEN = "prefix_hidden";

    /** The four files ORT loads, in the order the manifest lists them. */
    public static final List<String> ARTIFACT_FILES = List.of(TRAINING_MODEL, EVAL_MODEL, OPTIMIZER_MODEL, CHECKPOINT);

    /** Name of the loss output in the training and eval graphs. */
    public static final String LOSS = "loss";
    /** The bool[1] training-graph input through which ORT tells the accumulators to overwrite. */
    public static final String LAZY_RESET_GRAD = "lazy_reset_grad";
    public static final String GRAD_SUFFIX = "_grad";
    public static final String ACCUMULATION_BUFFER_SUFFIX = "_grad.accumulation.buffer";
    public static final String ACCUMULATION_OUT_SUFFIX = "_grad.accumulation.out";

    /** Graph inputs of the optimizer model, exactly in this order. */
    public static final List<String> OPTIMIZER_INPUTS = List.of("learning_rate", "step", "params", "gradients",
            "first_order_moments", "second_order_moments");
    public static final String OPTIMIZER_GROUP = "group0";
    public static final String FIRST_MOMENT = "momentum0";
    public static final String SECOND_MOMENT = "momentum1";

    private ArtifactNames() {
    }

    /**
     * Whether {@code name} is a plain file name, one that resolves inside any folder: not empty, not
     * {@code .} or {@code ..}, no {@code /}, {@code \} or NUL (so never absolute).
     */
    public static boolean isPlainFileName(String name) {
        return name != null && !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\\') < 0 && name.indexOf('\0') < 0;
    }

    /** The reserved suffix {@code name} ends with, or null. Longest suffixes are checked first. */
    public static String reservedSuffix(String name) {
        for (String s : List.of(ACCUMULATION_BUFFER_SUFFIX, ACCUMULATION_OUT_SUFFIX, GRAD_SUFFIX)) {
            if (name.endsWith(s)) {
                return s;
            }
        }
        return null;
    }

    /**
     * Rejects a user-visible name (user input, eval output, parameter) that ORT would misclassify:
     * a user input named {@code x_grad} silently becomes a gradient buffer (pitfall 13).
     */
    public static void requireOrdinaryName(String graph, String kind, String name) {
        String suffix = reservedSuffix(name);
        if (suffix != null) {
            throw new IllegalArgumentException(graph + " graph: " + kind + " '" + name + "' ends with '" + suffix
                    + "', which ONNX Runtime reserves for gradient buffers; rename it");
        }
        if (name.equals(LAZY_RESET_GRAD)) {
            throw new IllegalArgumentException(graph + " graph: " + kind + " '" + name
                    + "' is the name ONNX Runtime uses for its reset flag; rename it");
        }
    }
}
