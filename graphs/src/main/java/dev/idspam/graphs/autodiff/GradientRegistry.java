package dev.idspam.graphs.autodiff;

import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which operators have a gradient rule and which are declared to have no gradient. An operator in
 * neither set stops the backward pass with an error naming it.
 */
public final class GradientRegistry {
    private final Map<String, GradientRule> rules = new TreeMap<>();
    private final Set<String> nonDifferentiable = new TreeSet<>();

    public GradientRegistry register(String opType, GradientRule rule) {
        if (rules.containsKey(opType) || nonDifferentiable.contains(opType)) {
            throw new IllegalStateException("operator " + opType + " is already registered");
        }
        rules.put(opType, rule);
        return this;
    }

    /** Declares that no gradient flows through this operator's outputs (Shape, comparisons, ...). */
    public GradientRegistry declareNonDifferentiable(String opType) {
        if (rules.containsKey(opType) || !nonDifferentiable.add(opType)) {
            throw new IllegalStateException("operator " + opType + " is already registered");
        }
        return this;
    }

    public GradientRule rule(String opType) {
        return rules.get(opType);
    }

    public boolean isNonDifferentiable(String opType) {
        return nonDifferentiable.contains(opType);
    }

    public Set<String> differentiableOps() {
        return Collections.unmodifiableSet(rules.keySet());
    }

    public Set<String> nonDifferentiableOps() {
        return Collections.unmodifiableSet(nonDifferentiable);
    }

    /** The project's standard rules (standard ONNX ops only in the emitted backward graph). */
    public static GradientRegistry standard() {
        GradientRegistry r = new GradientRegistry();
        StandardRules.registerAll(r);
        return r;
    }
}
