package dev.idspam.graphs.autodiff;

import dev.idspam.graphs.build.Dim;
import dev.idspam.graphs.build.GraphBuilder;
import dev.idspam.graphs.build.Node;
import dev.idspam.graphs.build.Shape;
import dev.idspam.graphs.build.TensorData;
import dev.idspam.graphs.build.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode automatic differentiation over a graph under construction. Given a scalar loss and
 * the tensors to differentiate, appends the backward nodes to the same builder and names each
 * gradient exactly {@code <tensor>_grad} (ONNX Runtime's training convention). Nodes are emitted
 * only on paths that connect a requested tensor to the loss; frozen layers on such a path get
 * input gradients only.
 */
public final class Autodiff {
    private final GradientRegistry registry;

    public Autodiff(GradientRegistry registry) {
        this.registry = registry;
    }

    public static Autodiff standard() {
        return new Autodiff(GradientRegistry.standard());
    }

    /** Appends the backward pass; returns gradient values keyed by tensor name, in {@code wrt} order. */
    public Map<String, Value> backward(GraphBuilder b, Value loss, List<String> wrt) {
        return backward(b, loss, wrt, "_grad");
    }

    public Map<String, Value> backward(GraphBuilder b, Value loss, List<String> wrt, String suffix) {
        if (loss.hasShape() && loss.shape().rank() != 0
                && !(loss.shape().rank() == 1 && loss.shape().dim(0).isKnown() && loss.shape().dim(0).size() == 1)) {
            throw new IllegalArgumentException("loss " + loss.name() + " must be a scalar, its shape is " + loss.shape());
        }
        if (!loss.type().isFloating()) {
            throw new IllegalArgumentException("loss " + loss.name() + " must be FLOAT or DOUBLE, it is " + loss.type());
        }
        List<Node> forward = new ArrayList<>(b.nodes());
        Set<String> seen = new HashSet<>();
        for (String w : wrt) {
            if (!b.hasValue(w)) {
                throw new IllegalArgumentException("cannot differentiate with respect to '" + w + "': graph " + b.name()
                        + " has no tensor of that name");
            }
            if (!b.value(w).type().isFloating()) {
                throw new IllegalArgumentException("cannot differentiate with respect to '" + w + "': its type is "
                        + b.value(w).type() + ", only FLOAT and DOUBLE tensors have gradients");
            }
            if (!seen.add(w)) {
                throw new IllegalArgumentException("tensor '" + w + "' is requested twice");
            }
        }
        Set<String> onPath = pathValues(b, forward, loss.name(), wrt);
        for (String w : wrt) {
            if (!onPath.contains(w)) {
                throw new IllegalArgumentException("tensor '" + w + "' does not influence the loss '" + loss.name()
                        + "' through differentiable operators; it cannot be trained");
            }
        }
        Map<String, List<Value>> pending = new HashMap<>();
        Map<String, Value> done = new HashMap<>();
        pending.computeIfAbsent(loss.name(), k -> new ArrayList<>())
                .add(b.constant("grad_seed", loss.hasShape() && loss.shape().rank() == 1
                        ? TensorData.scalarOf(loss.type(), 1).reshape(1) : TensorData.scalarOf(loss.type(), 1)));

        try (GraphBuilder.Scope ignored = b.scope("grad")) {
            for (int k = forward.size() - 1; k >= 0; k--) {
                Node n = forward.get(k);
                boolean anyOutGrad = n.outputs().stream().anyMatch(pending::containsKey);
                boolean anyInNeeds = n.inputs().stream().anyMatch(onPath::contains);
                if (!anyOutGrad || !anyInNeeds) {
                    continue;
                }
                if (registry.isNonDifferentiable(n.opType())) {
                    continue;
                }
                GradientRule rule = registry.rule(n.opType());
                if (rule == null) {
                    throw new UnsupportedOperationException("no gradient rule for operator " + n.opType()
                            + " (node " + n.name() + "); register one in "
                            + StandardRules.class.getName() + " or declare it non-differentiable");
                }
                Context ctx = new Context(b, n, pending, done, onPath);
                rule.backward(ctx);
            }
        }
        Map<String, Value> grads = new LinkedHashMap<>();
        for (String w : wrt) {
            Value g = total(b, w, pending, done);
            if (g == null) {
                throw new IllegalStateException("no gradient reached '" + w + "'");
            }
            g = withBestShape(g, b.value(w).shape());
            grads.put(w, b.nodeWithOutputs("Identity", "", List.of(g), List.of(), List.of(w + suffix)).get(0));
        }
        return grads;
    }

    /**
     * Values that depend on some wrt tensor through differentiable operators and floating-point
     * values, AND on which the loss depends.
     */
    private Set<String> pathValues(GraphBuilder b, List<Node> nodes, String loss, List<String> wrt) {
        Set<String> fromWrt = new HashSet<>(wrt);
        for (Node n : nodes) {
            if (registry.isNonDifferentiable(n.opType())) {
                continue;
            }
            if (n.inputs().stream().anyMatch(fromWrt::contains)) {
                n.outputs().stream().filter(out -> b.value(out).type().isFloating()).forEach(fromWrt::add);
            }
        }
        Set<String> toLoss = new HashSet<>();
        toLoss.add(loss);
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node n = nodes.get(k);
            if (registry.isNonDifferentiable(n.opType())) {
                continue;
            }
            if (n.outputs().stream().anyMatch(toLoss::contains)) {
                n.inputs().stream().filter(s -> !s.isEmpty() && b.value(s).type().isFloating()).forEach(toLoss::add);
            }
        }
        Set<String> both = new HashSet<>(fromWrt);
        both.retainAll(toLoss);
        return both;
    }

    private static Value total(GraphBuilder b, String name, Map<String, List<Value>> pending, Map<String, Value> done) {
        Value d = done.get(name);
        if (d != null) {
            return d;
        }
        List<Value> parts = pending.get(name);
        if (parts == null || parts.isEmpty()) {
            return null;
        }
        Value sum = parts.size() == 1 ? parts.get(0) : b.op("Sum", List.of(), parts.toArray(new Value[0]));
        if (parts.size() > 1 && sum.shape() == null && parts.get(0).shape() != null) {
            sum = new Value(sum.name(), sum.type(), parts.get(0).shape());
        }
        done.put(name, sum);
        return sum;
    }

    /**
     * A gradient has its tensor's shape: keep, dim by dim, the better-known of the two (size, then
     * symbol), so rules downstream see the most static facts.
     */
    static Value withBestShape(Value grad, Shape known) {
        if (known == null || (grad.hasShape() && grad.rank() != known.rank())) {
            return grad;
        }
        if (!grad.hasShape()) {
            return new Value(grad.name(), grad.type(), known);
        }
        List<Dim> dims = new ArrayList<>();
        for (int d = 0; d < known.rank(); d++) {
            Dim a = grad.shape().dim(d);
            Dim k = known.dim(d);
            dims.add(a.isKnown() ? a : k.isKnown() ? k : a.isSymbolic() ? a : k);
        }
        return new Value(grad.name(), grad.type(), new Shape(dims));
    }

    private static final class Context implements GradContext {
        private final GraphBuilder b;
        private final Node node;
        private final Map<String, List<Value>> pending;
        private final Map<String, Value> done;
        private final Set<String> onPath;

        Context(GraphBuilder b, Node node, Map<String, List<Value>> pending, Map<String, Value> done, Set<String> onPath) {
            this.b = b;
            this.node = node;
            this.pending = pending;
            this.done = done;
            this.onPath = onPath;
        }

        @Override
        public Node node() {
            return node;
        }

        @Override
        public GraphBuilder builder() {
            return b;
        }

        @Override
        public Value input(int i) {
            return node.hasInput(i) ? b.value(node.input(i)) : null;
        }

        @Override
        public Value output(int i) {
            return b.value(node.output(i));
        }

        @Override
        public Value gradOutput(int i) {
            if (i >= node.outputs().size()) {
                return null;
            }
            Value g = total(b, node.output(i), pending, done);
            return g == null ? null : withBestShape(g, output(i).shape());
        }

        @Override
        public boolean needsGrad(int i) {
            return node.hasInput(i) && onPath.contains(node.input(i)) && b.value(node.input(i)).type().isFloating();
        }

        @Override
        public void addGrad(int i, Value grad) {
            if (!needsGrad(i)) {
                return;
            }
            String name = node.input(i);
            if (done.containsKey(name)) {
                throw new IllegalStateException("gradient of '" + name + "' was consumed before all contributions arrived"
                        + " (node " + node.name() + ")");
            }
            Value target = b.value(name);
            checkMatches(i, grad, target);
            pending.computeIfAbsent(name, k -> new ArrayList<>()).add(withBestShape(grad, target.shape()));
        }

        /** A rule bug (a forgotten unbroadcast, a wrong type) fails here, naming the rule's node. */
        private void checkMatches(int i, Value grad, Value target) {
            boolean typeOk = grad.type() == target.type();
            boolean shapeOk = true;
            if (grad.hasShape() && target.hasShape()) {
                if (grad.rank() != target.rank()) {
                    shapeOk = false;
                } else {
                    for (int d = 0; d < grad.rank(); d++) {
                        Dim gd = grad.shape().dim(d);
                        Dim td = target.shape().dim(d);
                        if (gd.isKnown() && td.isKnown() && gd.size() != td.size()) {
                            shapeOk = false;
                        }
                    }
                }
            }
            if (!typeOk || !shapeOk) {
                throw new IllegalStateException("the " + node.opType() + " gradient rule (node " + node.name()
                        + ") produced a gradient " + grad + " for input " + i + " '" + target.name() + "', which is "
                        + target + "; the rule must match the input's type and shape (undo broadcasting with unbroadcast)");
            }
        }

        @Override
        public TensorData constantInput(int i) {
            return node.hasInput(i) ? b.constantValue(node.input(i)) : null;
        }

        @Override
        public Value unbroadcast(Value grad, Value target) {
            return Broadcasting.unbroadcast(b, grad, target);
        }
    }
}
