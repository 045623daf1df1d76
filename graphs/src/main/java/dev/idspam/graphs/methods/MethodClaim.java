package dev.idspam.graphs.methods;

import java.util.Objects;

/**
 * A claim the method's paper makes about it against another method, which it names by provider class
 * (a method's id is written in its own package only): it scores above that method ({@link Kind#ABOVE})
 * or not below it ({@link Kind#AT_LEAST}). Reports check each claim task by task.
 */
public record MethodClaim(Kind kind, Class<? extends MethodProvider<?>> other) {

    public enum Kind { ABOVE, AT_LEAST }

    public MethodClaim {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(other, "other");
    }

    public static MethodClaim above(Class<? extends MethodProvider<?>> other) {
        return new MethodClaim(Kind.ABOVE, other);
    }

    public static MethodClaim atLeast(Class<? extends MethodProvider<?>> other) {
        return new MethodClaim(Kind.AT_LEAST, other);
    }
}
