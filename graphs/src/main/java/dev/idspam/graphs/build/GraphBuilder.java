package dev.idspam.graphs.build;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a graph node by node. Names are made unique deterministically (hint, then hint_1, hint_2,
 * ...), so the same sequence of calls always gives the same graph. Output shapes are inferred as
 * nodes are added (see {@link ShapeInference}); validation runs in {@link #build()}.
 */
public final class GraphBuilder {
    private final String graphName;
    private final Set<String> usedNames = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<Value> inputs = new ArrayList<>();
    private final List<Parameter> parameters = new ArrayList<>();
    private final Map<String, TensorData> initializers = new LinkedHashMap<>();
    private final Map<TensorData, Value> smallConstants = new HashMap<>();
    private final List<Node> nodes = new ArrayList<>();
    private final List<Value> outputs = new ArrayList<>();
    private final Deque<String> scopes = new ArrayDeque<>();
    private final Ops ops = new Ops(this);
    private Map<String, TensorData> initialOverrides = Map.of();

    public GraphBuilder(String graphName) {
        this.graphName = graphName;
    }

    /** Typed helpers for the common operators. */
    public Ops ops() {
        return ops;
    }

    /** Prefixes generated names with {@code prefix/} until the returned scope is closed. */
    public Scope scope(String prefix) {
        scopes.push(prefix);
        return () -> scopes.pop();
    }

    /** A closeable naming scope. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** A fresh, unique name derived from the hint and the current scope. */
    public String freshName(String hint) {
        String base = scopes.isEmpty() ? hint : String.join("/", reversedScopes()) + "/" + hint;
        return reserve(base);
    }

    private List<String> reversedScopes() {
        List<String> out = new ArrayList<>(scopes);
        java.util.Collections.reverse(out);
        return out;
    }

    private String reserve(String base) {
        if (usedNames.add(base)) {
            return base;
        }
        int k = nextSuffix.getOrDefault(base, 1);
        while (!usedNames.add(base + "_" + k)) {
            k++;
        }
        nextSuffix.put(base, k + 1);
        return base + "_" + k;
    }

    private void claimExact(String name) {
        if (!usedNames.add(name)) {
            throw new IllegalArgumentException("graph " + graphName + ": name '" + name + "' is already used");
        }
    }

    /** Declares a user input (fed at run time). The name is used exactly. */
    public Value input(String name, DType type, Shape shape) {
        claimExact(name);
        Value v = new Value(name, type, shape);
        values.put(name, v);
        inputs.add(v);
        return v;
    }

    /**
     * Replaces the initial values of the named parameters when they are declared (for example to
     * start from a checkpoint trained on another task). Each replacement must have the declared
     * type and shape.
     */
    public void overrideInitialValues(Map<String, TensorData> values) {
        initialOverrides = Map.copyOf(values);
    }

    /** Declares a weight: a graph input whose value lives in the checkpoint. The name is used exactly. */
    public Value parameter(String name, TensorData declared, boolean trainable) {
        claimExact(name);
        TensorData initial = declared;
        TensorData override = initialOverrides.get(name);
        if (override != null) {
            if (override.type() != declared.type() || !java.util.Arrays.equals(override.dims(), declared.dims())) {
                throw new IllegalArgumentException("graph " + graphName + ": initial value for '" + name + "' is "
                        + override + ", the parameter is declared as " + declared);
            }
            initial = override;
        }
        Value v = new Value(name, initial.type(), initial.shape());
        values.put(name, v);
        inputs.add(v);
        parameters.add(new Parameter(name, initial, trainable));
        return v;
    }

    /** A constant initializer; small constants with identical content are shared. */
    public Value constant(String hint, TensorData data) {
        boolean small = data.numElements() <= 64;
        if (small) {
            Value existing = smallConstants.get(data);
            if (existing != null) {
                return existing;
            }
        }
        String name = freshName(hint);
        Value v = new Value(name, data.type(), data.shape());
        values.put(name, v);
        initializers.put(name, data);
        if (small) {
            smallConstants.put(data, v);
        }
        return v;
    }

    /** A constant initializer with an exact name (frozen weights baked into a graph). */
    public Value namedConstant(String name, TensorData data) {
        claimExact(name);
        Value v = new Value(name, data.type(), data.shape());
        values.put(name, v);
        initializers.put(name, data);
        return v;
    }

    /** The constant value behind a value name, or null when it is not a constant initializer. */
    public TensorData constantValue(String name) {
        return initializers.get(name);
    }

    /**
     * Adds a node. {@code inputs} may contain nulls for omitted optional inputs. Returns the node's
     * outputs with inferred types and shapes.
     */
    public List<Value> node(String opType, String domain, List<Value> nodeInputs, List<Attr> attrs, int numOutputs) {
        String nodeName = freshName(opType);
        List<String> outNames = new ArrayList<>(numOutputs);
        for (int i = 0; i < numOutputs; i++) {
            outNames.add(freshName(nodeName.substring(nodeName.lastIndexOf('/') + 1) + (numOutputs == 1 ? "_out" : "_out" + i)));
        }
        return addNode(nodeName, opType, domain, nodeInputs, attrs, outNames);
    }

    /** Adds a node whose outputs get exactly the given names. */
    public List<Value> nodeWithOutputs(String opType, String domain, List<Value> nodeInputs, List<Attr> attrs,
                                       List<String> outputNames) {
        for (String n : outputNames) {
            claimExact(n);
        }
        return addNode(freshName(opType), opType, domain, nodeInputs, attrs, outputNames);
    }

    private List<Value> addNode(String nodeName, String opType, String domain, List<Value> nodeInputs, List<Attr> attrs,
                                List<String> outNames) {
        List<String> inNames = new ArrayList<>(nodeInputs.size());
        for (Value v : nodeInputs) {
            if (v == null) {
                inNames.add("");
                continue;
            }
            Value known = values.get(v.name());
            if (known == null) {
                throw new IllegalArgumentException("graph " + graphName + ": node " + nodeName + " (" + opType
                        + ") reads '" + v.name() + "', which no input, initializer or earlier node produces");
            }
            inNames.add(v.name());
        }
        Node node = new Node(nodeName, opType, domain, inNames, outNames, attrs);
        List<ShapeInference.TypeAndShape> inferred = ShapeInference.infer(node, nodeInputs, this::constantValue);
        List<Value> outs = new ArrayList<>(outNames.size());
        for (int i = 0; i < outNames.size(); i++) {
            ShapeInference.TypeAndShape ts = inferred.get(i);
            Value v = new Value(outNames.get(i), ts.type(), ts.shape());
            values.put(v.name(), v);
            outs.add(v);
        }
        nodes.add(node);
        return outs;
    }

    /** Single-output convenience form of {@link #node}. */
    public Value op(String opType, List<Attr> attrs, Value... nodeInputs) {
        return node(opType, "", Arrays.asList(nodeInputs), attrs, 1).get(0);
    }

    /** Marks a value as a graph output under its own name. */
    public Value output(Value v) {
        if (!values.containsKey(v.name())) {
            throw new IllegalArgumentException("graph " + graphName + ": output '" + v.name() + "' is not defined");
        }
        if (outputs.stream().anyMatch(o -> o.name().equals(v.name()))) {
            throw new IllegalArgumentException("graph " + graphName + ": '" + v.name() + "' is already an output");
        }
        outputs.add(values.get(v.name()));
        return v;
    }

    /** Marks a value as a graph output under the given exact name (via Identity when renaming). */
    public Value output(Value v, String name) {
        if (v.name().equals(name)) {
            return output(v);
        }
        Value renamed = nodeWithOutputs("Identity", "", List.of(v), List.of(), List.of(name)).get(0);
        return output(renamed);
    }

    public Value value(String name) {
        Value v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("graph " + graphName + " has no value named '" + name + "'");
        }
        return v;
    }

    public boolean hasValue(String name) {
        return values.containsKey(name);
    }

    public List<Node> nodes() {
        return java.util.Collections.unmodifiableList(nodes);
    }

    public List<Parameter> parameters() {
        return java.util.Collections.unmodifiableList(parameters);
    }

    public String name() {
        return graphName;
    }

    /** Validates and freezes the graph. */
    public Graph build() {
        Set<String> defined = new HashSet<>();
        for (Value v : inputs) {
            defined.add(v.name());
        }
        for (String n : initializers.keySet()) {
            if (!defined.add(n)) {
                throw new IllegalStateException("graph " + graphName + ": '" + n + "' is both an input and an initializer");
            }
        }
        for (Node n : nodes) {
            for (String in : n.inputs()) {
                if (!in.isEmpty() && !defined.contains(in)) {
                    throw new IllegalStateException("graph " + graphName + ": node " + n.name() + " (" + n.opType()
                            + ") reads '" + in + "' before it is produced");
                }
            }
            for (String out : n.outputs()) {
                if (!defined.add(out)) {
                    throw new IllegalStateException("graph " + graphName + ": '" + out + "' is produced twice");
                }
            }
        }
        if (outputs.isEmpty()) {
            throw new IllegalStateException("graph " + graphName + " has no outputs");
        }
        for (Value o : outputs) {
            if (!defined.contains(o.name())) {
                throw new IllegalStateException("graph " + graphName + ": output '" + o.name() + "' is never produced");
            }
        }
        return new Graph(graphName, inputs, parameters, initializers, nodes, outputs, values);
    }
}
