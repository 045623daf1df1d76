package dev.idspam.graphs.methods;

import java.util.List;

/**
 * Everything the project knows about one method, in the method's own package: its id, its option
 * schema, the config record built from option values, the graph builder and the trainable-count
 * formula. {@link MethodRegistry} lists one provider per line; the command line, experiment specs,
 * reports, parameter tables and benchmarks read methods from there and name no method themselves.
 *
 * @param <C> the method's config record, which validates itself
 */
public interface MethodProvider<C> {
    /** Where a method stands in the reports. */
    enum Role {
        /** The proposed method: significance tests compare it with every other one. */
        REFERENCE,
        /** A variant of the reference, shown in the ablation table only. */
        ABLATION,
        /** A method the reference is compared with. */
        BASELINE
    }

    /** Registry id, e.g. {@code idspam}: lower-case words joined by dashes. */
    String id();

    /** One line for the help text. */
    String description();

    /** The name printed in report tables, e.g. {@code ID-SPAM}. */
    String displayName();

    /** Position of the method's row in report tables (the paper's order); lower comes first. */
    int tableRow();

    default Role role() {
        return Role.BASELINE;
    }

    /**
     * Whether the computed parameter table shows this method's count as a multiple of the reference
     * method's (the baseline the paper compares sizes with).
     */
    default boolean comparedInSize() {
        return false;
    }

    /**
     * What the paper that proposed this method claims for it against other methods, in report order; the
     * reference method is also claimed above each of its ablations, which no provider lists.
     */
    default List<MethodClaim> paperClaims() {
        return List.of();
    }

    /** The settings this method reads, in help order; {@link MethodSettings} holds the shared ones. */
    List<MethodOption> options();

    /** The config record for complete, range-checked option values (it checks what spans several options). */
    C config(MethodSpec spec);

    /** The graph builder for a config. */
    Method create(C config);

    /**
     * Weights the method trains besides the task head on a backbone of the given sizes, from the
     * method's equations (no graph is built); for full fine-tuning, the backbone itself.
     */
    long trainableParameters(C config, ModelSizes sizes);

    /** {@link #create} of {@link #config}. */
    default Method build(MethodSpec spec) {
        return create(config(spec));
    }

    /** {@link #trainableParameters(Object, ModelSizes)} of {@link #config}. */
    default long trainableParameters(MethodSpec spec, ModelSizes sizes) {
        return trainableParameters(config(spec), sizes);
    }
}
