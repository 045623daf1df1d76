package dev.idspam.graphs.methods;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * A method chosen by id with values for the options its provider declares; {@link #create()} turns
 * it into a {@link Method}. Options not given take their defaults. A value for an option the method
 * does not read, or one out of its range, is refused when the spec is made ({@link #of} also runs the
 * method's config record), so a bad value is caught before anything is built or written.
 *
 * @param id     a registered method id ({@link MethodRegistry#ids()})
 * @param values every option of the method by command-line name, in the provider's order
 */
public record MethodSpec(String id, Map<String, Number> values) {

    public MethodSpec {
        MethodProvider<?> p = MethodRegistry.get(id);
        Map<String, Number> complete = new LinkedHashMap<>();
        for (String given : values.keySet()) {
            if (p.options().stream().noneMatch(o -> o.name().equals(given))) {
                throw new IllegalArgumentException("--" + given + " does not apply to method " + id + describeOptions(p));
            }
        }
        for (MethodOption o : p.options()) {
            Number v = values.get(o.name());
            double d = v == null ? o.defaultValue() : v.doubleValue();
            o.check(d);
            complete.put(o.name(), o.whole() ? (Number) (int) d : (Number) d);
        }
        values = Collections.unmodifiableMap(complete);
    }

    /** Method {@code id} with every option at its default. */
    public static MethodSpec defaults(String id) {
        return of(id, Map.of());
    }

    /**
     * Method {@code id} with the given options (command-line names) and defaults for the rest,
     * checked by the method's config record too.
     */
    public static MethodSpec of(String id, Map<String, ? extends Number> given) {
        MethodSpec s = new MethodSpec(id, new LinkedHashMap<>(given));
        s.provider().config(s);
        return s;
    }

    /** ", which has no settings" or "; it takes --a, --b": the tail of a message about a misplaced option. */
    public static String describeOptions(MethodProvider<?> p) {
        List<String> names = p.options().stream().map(o -> "--" + o.name()).toList();
        return names.isEmpty() ? ", which has no settings" : "; it takes " + String.join(", ", names);
    }

    public MethodProvider<?> provider() {
        return MethodRegistry.get(id);
    }

    /** Whether the method reads option {@code name}. */
    public boolean reads(String name) {
        return values.containsKey(name);
    }

    /** A whole-number option's value. */
    public int integer(String name) {
        return value(name).intValue();
    }

    /** A number option's value. */
    public double number(String name) {
        return value(name).doubleValue();
    }

    private Number value(String name) {
        Number v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("method " + id + " has no option --" + name);
        }
        return v;
    }

    /** The injection layer m, for methods with a {@code --layer} option. */
    public OptionalInt layer() {
        return reads(MethodSettings.LAYER.name()) ? OptionalInt.of(integer(MethodSettings.LAYER.name())) : OptionalInt.empty();
    }

    /** This spec with one option changed. */
    public MethodSpec with(String name, Number value) {
        Map<String, Number> v = new LinkedHashMap<>(values);
        v.put(name, value);
        return of(id, v);
    }

    /** This spec at injection layer m; unchanged for methods without a layer. */
    public MethodSpec withLayer(int m) {
        return reads(MethodSettings.LAYER.name()) ? with(MethodSettings.LAYER.name(), m) : this;
    }

    public Method create() {
        return provider().build(this);
    }

    /** The method's trainable weights besides the head on a backbone of these sizes, from its formula. */
    public long trainableParameters(ModelSizes sizes) {
        return provider().trainableParameters(this, sizes);
    }
}
