package dev.idspam.graphs.artifacts;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint's named scalar properties. Note ORT pitfall 17: int properties added from Java
 * through {@code OrtTrainingSession.addProperty(String, int)} are saved with garbage upper bits;
 * prefer float or string properties from Java (ints written by this package are exact).
 */
public record PropertyBag(Map<String, Long> ints, Map<String, Float> floats, Map<String, String> strings) {
    private static final PropertyBag EMPTY = new PropertyBag(Map.of(), Map.of(), Map.of());

    public PropertyBag {
        ints = copy(ints);
        floats = copy(floats);
        strings = copy(strings);
    }

    private static <V> Map<String, V> copy(Map<String, V> m) {
        Map<String, V> out = new LinkedHashMap<>();
        m.forEach((k, v) -> {
            if (k == null || k.isEmpty() || v == null) {
                throw new IllegalArgumentException("property names must be non-empty and values non-null (" + k + ")");
            }
            out.put(k, v);
        });
        return Collections.unmodifiableMap(out);
    }

    public static PropertyBag empty() {
        return EMPTY;
    }

    public boolean isEmpty() {
        return ints.isEmpty() && floats.isEmpty() && strings.isEmpty();
    }

    public PropertyBag withInt(String name, long value) {
        Map<String, Long> m = new LinkedHashMap<>(ints);
        m.put(name, value);
        return new PropertyBag(m, floats, strings);
    }

    public PropertyBag withFloat(String name, float value) {
        Map<String, Float> m = new LinkedHashMap<>(floats);
        m.put(name, value);
        return new PropertyBag(ints, m, strings);
    }

    public PropertyBag withString(String name, String value) {
        Map<String, String> m = new LinkedHashMap<>(strings);
        m.put(name, value);
        return new PropertyBag(ints, floats, m);
    }
}
