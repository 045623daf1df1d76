package dev.idspam.graphs.build;

import java.util.List;
import java.util.Optional;

/**
 * One graph node. Empty strings in {@code inputs} stand for omitted optional inputs, as in ONNX.
 */
public record Node(String name, String opType, String domain, List<String> inputs, List<String> outputs, List<Attr> attrs) {
    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attrs = List.copyOf(attrs);
        domain = domain == null ? "" : domain;
    }

    public Optional<Attr> attr(String attrName) {
        return attrs.stream().filter(a -> a.name().equals(attrName)).findFirst();
    }

    public long intAttr(String attrName, long defaultValue) {
        return attr(attrName).map(a -> ((Attr.Int) a).value()).orElse(defaultValue);
    }

    public float floatAttr(String attrName, float defaultValue) {
        return attr(attrName).map(a -> ((Attr.Float) a).value()).orElse(defaultValue);
    }

    public List<Long> intsAttr(String attrName) {
        return attr(attrName).map(a -> ((Attr.Ints) a).values()).orElse(null);
    }

    public String strAttr(String attrName, String defaultValue) {
        return attr(attrName).map(a -> ((Attr.Str) a).value()).orElse(defaultValue);
    }

    public String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    public boolean hasInput(int i) {
        return !input(i).isEmpty();
    }

    public String output(int i) {
        return outputs.get(i);
    }
}
