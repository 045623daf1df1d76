package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.Ops;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

/** What a {@link GradientRule} sees of the node it differentiates, and where it puts its results. */
public interface GradContext {
    Node node();

    GraphBuilder builder();

    default Ops ops() {
        return builder().ops();
    }

    /** The forward value of input i, or null when the input is omitted. */
    Value input(int i);

    /** The forward value of output i. */
    Value output(int i);

    /** Gradient of the loss with respect to output i, or null when no gradient reaches it (zero). */
    Value gradOutput(int i);

    /** True when input i lies on a path from a trainable tensor to the loss. */
    boolean needsGrad(int i);

    /** Adds a contribution to the gradient of input i (contributions from several consumers are summed). */
    void addGrad(int i, Value grad);

    /** The constant value of input i when it is an initializer, else null. */
    TensorData constantInput(int i);

    /** Reduces a gradient of the broadcast result back to the shape of {@code target}. */
    Value unbroadcast(Value grad, Value target);
}
