package dev.idspam.graphs.build;

import java.util.List;

/** A typed ONNX node attribute. */
public sealed interface Attr {
    String name();

    record Int(String name, long value) implements Attr { }

    record Float(String name, float value) implements Attr { }

    record Str(String name, String value) implements Attr { }

    record Ints(String name, List<Long> values) implements Attr {
        public Ints {
            values = List.copyOf(values);
        }
    }

    record Floats(String name, List<java.lang.Float> values) implements Attr {
        public Floats {
            values = List.copyOf(values);
        }
    }

    record Tensor(String name, TensorData value) implements Attr { }

    static Attr i(String name, long value) {
        return new Int(name, value);
    }

    static Attr f(String name, float value) {
        return new Float(name, value);
    }

    static Attr s(String name, String value) {
        return new Str(name, value);
    }

    static Attr ints(String name, long... values) {
        Long[] boxed = new Long[values.length];
        for (int k = 0; k < values.length; k++) {
            boxed[k] = values[k];
        }
        return new Ints(name, List.of(boxed));
    }

    static Attr t(String name, TensorData value) {
        return new Tensor(name, value);
    }
}
