package dev.idspam.eval.report;

import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.idspam.eval.report.params.ParameterSheet;

/**
 * How reports name, order and group methods. Reports know no method by name: the application layer
 * builds this from the method registry.
 *
 * @param referenceMethod the proposed method; significance tests compare it with every other one
 * @param ablationMethods variants of the reference shown only in the ablation table
 * @param methodNames     method id → name printed in tables, in row order; methods not listed
 *                        keep their id and come after the listed ones, alphabetically
 * @param decimals        decimals of scores (×100) in tables
 * @param parameters      computed trainable counts for the analytic parameter table
 * @param claims          pairwise claims checked per backbone and task, in table order (none: no claims table)
 */
public record ReportConfig(String referenceMethod, Set<String> ablationMethods,
                           Map<String, String> methodNames, int decimals, ParameterSheet parameters,
                           List<Claim> claims) {

    /** Without claims to check. */
    public ReportConfig(String referenceMethod, Set<String> ablationMethods, Map<String, String> methodNames, int decimals,
                        ParameterSheet parameters) {
        this(referenceMethod, ablationMethods, methodNames, decimals, parameters, List.of());
    }

    public ReportConfig {
        claims = List.copyOf(claims);
        ablationMethods = Set.copyOf(ablationMethods);
        methodNames = Collections.unmodifiableMap(new LinkedHashMap<>(methodNames));
        if (ablationMethods.contains(referenceMethod)) {
            throw new IllegalArgumentException("the reference method '" + referenceMethod
                    + "' cannot also be an ablation");
        }
        if (decimals < 0 || decimals > 6) {
            throw new IllegalArgumentException("decimals must be in 0..6, got " + decimals);
        }
    }

    /** The name printed for a method. */
    public String displayName(String method) {
        return methodNames.getOrDefault(method, method);
    }

    /** Row order: listed methods first, in list order, then the rest by id. */
    public Comparator<String> methodOrder() {
        List<String> listed = List.copyOf(methodNames.keySet());
        return Comparator.<String>comparingInt(m -> {
            int i = listed.indexOf(m);
            return i < 0 ? Integer.MAX_VALUE : i;
        }).thenComparing(Comparator.naturalOrder());
    }

    /** True for a variant that belongs in the ablation table only. */
    public boolean isAblation(String method) {
        return ablationMethods.contains(method);
    }
}
