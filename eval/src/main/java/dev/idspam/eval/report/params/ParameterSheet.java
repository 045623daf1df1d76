package dev.idspam.eval.report.params;

import java.util.List;

/**
 * Computed trainable counts for the reports' analytic parameter table, handed over as data so that
 * reports need not know how each method counts.
 *
 * @param rows      one row per backbone, in table order
 * @param sizes     how the counts were computed (option values), printed under the table
 * @param ratios    methods whose total is also shown as a multiple of the reference method's
 */
public record ParameterSheet(List<Row> rows, String sizes, List<String> ratios) {

    /**
     * One backbone's counts.
     *
     * @param backbone the backbone
     * @param methods  each method's counts (method weights + head), in column order
     */
    public record Row(BackboneSizes backbone, List<MethodParams> methods) {
        public Row {
            methods = List.copyOf(methods);
        }
    }

    public ParameterSheet {
        rows = List.copyOf(rows);
        ratios = List.copyOf(ratios);
        if (!rows.isEmpty() && rows.stream().map(r -> r.methods().stream().map(MethodParams::method).toList()).distinct()
                .count() != 1) {
            throw new IllegalArgumentException("every backbone row must list the same methods in the same order");
        }
    }

    /** No analytic table. */
    public static ParameterSheet none() {
        return new ParameterSheet(List.of(), "", List.of());
    }
}
