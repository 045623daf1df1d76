package dev.idspam.pipeline.run;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * Charts are optional output: a run, a selection or a diagnosis never fails because this Java
 * runtime cannot draw. That happens on a jlinked runtime without {@code java.desktop} (as GPU hosts
 * often get: the chart classes do not even load) or on a server without font libraries. Everything a
 * chart shows is also written as numbers beside it.
 */
public final class Charts {
    private Charts() {
    }

    /**
     * The PNG that {@code draw} encodes, or empty when this JVM cannot draw. The chart classes must be
     * touched only inside {@code draw}, so that a missing {@code java.desktop} fails there.
     */
    public static Optional<byte[]> png(Supplier<byte[]> draw) {
        try {
            return Optional.of(draw.get());
        } catch (LinkageError | InternalError e) {
            return Optional.empty();
        } catch (Error e) {
            if (e.getClass().getName().startsWith("java.awt.")) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
