package dev.idspam.graphs.autodiff;

/**
 * The reverse-mode rule of one operator: given the gradients of a node's outputs, emit nodes that
 * compute the gradients of those of its inputs that need one ({@link GradContext#needsGrad}).
 */
@FunctionalInterface
public interface GradientRule {
    void backward(GradContext ctx);
}
