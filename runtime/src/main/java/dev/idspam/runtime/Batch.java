package dev.idspam.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One batch: user-input name → tensor. It may hold more tensors than a graph takes (a dev batch
 * keeps its labels for the metric); each graph is fed exactly the inputs it declares.
 *
 * <p>Tokenized text arrives as a {@code TokenBatch} of module {@code datasets} (padded id, mask and
 * label arrays, which this module does not use); the pipeline builds this named-tensor batch from it.
 */
public record Batch(Map<String, HostTensor> inputs) {
    public Batch {
        if (inputs == null || inputs.isEmpty()) {
            throw new IllegalArgumentException("a batch needs at least one tensor");
        }
        inputs = Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    }

    public static Batch of(String name, HostTensor t) {
        return new Batch(Map.of(name, t));
    }

    public static Batch of(String n1, HostTensor t1, String n2, HostTensor t2) {
        Map<String, HostTensor> m = new LinkedHashMap<>();
        m.put(n1, t1);
        m.put(n2, t2);
        return new Batch(m);
    }

    /** The tensor named {@code name}; the error names what the batch does hold. */
    public HostTensor get(String name) {
        HostTensor t = inputs.get(name);
        if (t == null) {
            throw new IllegalArgumentException("batch has no tensor '" + name + "' (it holds " + inputs.keySet() + ")");
        }
        return t;
    }

    /** Examples in the batch: the first dimension of its first tensor. */
    public long rows() {
        return inputs.values().iterator().next().rows();
    }
}
