package dev.idspam.pipeline.run;

import dev.idspam.eval.report.Claim;
import dev.idspam.eval.report.ReportConfig;
import dev.idspam.eval.report.ReportGenerator;
import dev.idspam.eval.report.params.BackboneSizes;
import dev.idspam.eval.report.params.MethodParams;
import dev.idspam.eval.report.params.ParameterCounts;
import dev.idspam.eval.report.params.ParameterSheet;
import dev.idspam.graphs.io.AtomicFiles;
import dev.idspam.graphs.methods.MethodClaim;
import dev.idspam.graphs.methods.MethodOption;
import dev.idspam.graphs.methods.MethodProvider;
import dev.idspam.graphs.methods.MethodRegistry;
import dev.idspam.graphs.methods.MethodSpec;
import dev.idspam.graphs.methods.ModelSizes;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the reports know about methods, read from the method registry: names, row order, the
 * reference and its ablations, and the computed trainable counts on the paper's backbones. The
 * reports themselves name no method.
 */
public final class MethodReports {
    /** Labels C of the head in the computed parameter table. */
    static final int TABLE_LABELS = 2;

    private MethodReports() {
    }

    /** A report generator configured from the registry. */
    public static ReportGenerator generator() {
        return new ReportGenerator(config(), AtomicFiles::write);
    }

    /**
     * Every registered method with its table name, in the providers' row order; the reference
     * method and its ablations as the providers declare them; scores with one decimal.
     */
    public static ReportConfig config() {
        Map<String, String> names = new LinkedHashMap<>();
        MethodRegistry.providers().stream().sorted(Comparator.comparingInt(MethodProvider::tableRow))
                .forEach(p -> names.put(p.id(), p.displayName()));
        Set<String> ablations = MethodRegistry.providers().stream().filter(p -> p.role() == MethodProvider.Role.ABLATION)
                .map(MethodProvider::id).collect(Collectors.toSet());
        return new ReportConfig(MethodRegistry.reference().id(), ablations, names, 1, sheet(), claims());
    }

    /**
     * The pairwise claims the reports check, from the registry: the reference method's own claims, the reference
     * above each of its ablations, then the other methods' claims in table order.
     */
    static List<Claim> claims() {
        List<MethodProvider<?>> order = new ArrayList<>();
        MethodProvider<?> ref = MethodRegistry.reference();
        order.add(ref);
        MethodRegistry.providers().stream().filter(p -> p != ref).sorted(Comparator.comparingInt(MethodProvider::tableRow))
                .forEach(order::add);
        List<Claim> out = new ArrayList<>();
        for (MethodProvider<?> p : order) {
            for (MethodClaim c : p.paperClaims()) {
                // the same two kinds on both sides of the module line (eval does not see graphs)
                out.add(new Claim(p.id(), idOf(c.other(), p), Claim.Kind.valueOf(c.kind().name())));
            }
            if (p == ref) {
                MethodRegistry.providers().stream().filter(a -> a.role() == MethodProvider.Role.ABLATION)
                        .forEach(a -> out.add(new Claim(ref.id(), a.id(), Claim.Kind.ABOVE)));
            }
        }
        return out;
    }

    private static String idOf(Class<? extends MethodProvider<?>> type, MethodProvider<?> claimant) {
        List<MethodProvider<?>> found = MethodRegistry.providers().stream().filter(type::isInstance).toList();
        if (found.size() != 1) {
            throw new IllegalStateException(claimant.id() + " claims against " + type.getSimpleName() + ", which the method"
                    + " registry holds " + found.size() + " times (it must hold it once)");
        }
        return found.get(0).id();
    }

    /**
     * Each registered method that trains weights of its own, at its default options, on each known
     * backbone with a two-label head (a method training the head alone is the Head column); the
     * ratios of the methods compared in size with the reference.
     */
    public static ParameterSheet sheet() {
        List<MethodProvider<?>> methods = MethodRegistry.providers().stream().filter(p -> BackboneSizes.known().stream()
                .anyMatch(b -> MethodSpec.defaults(p.id()).trainableParameters(sizes(b)) > 0)).toList();
        List<ParameterSheet.Row> rows = new ArrayList<>();
        for (BackboneSizes b : BackboneSizes.known()) {
            long head = ParameterCounts.head(b.hidden(), TABLE_LABELS);
            List<MethodParams> counts = new ArrayList<>();
            for (MethodProvider<?> p : methods) {
                counts.add(new MethodParams(p.id(), MethodSpec.defaults(p.id()).trainableParameters(sizes(b)), head));
            }
            rows.add(new ParameterSheet.Row(b, counts));
        }
        String defaults = MethodRegistry.allOptions().stream().map(MethodReports::describe).collect(Collectors.joining("; "));
        return new ParameterSheet(rows, "every method at its defaults: " + defaults,
                methods.stream().filter(MethodProvider::comparedInSize).map(MethodProvider::id).toList());
    }

    private static ModelSizes sizes(BackboneSizes b) {
        return new ModelSizes(b.hidden(), b.layers(), b.vocab(), b.totalParamsWithoutPooler());
    }

    private static String describe(MethodOption o) {
        return "--" + o.name() + " " + o.defaultText() + " (" + o.help() + ")";
    }
}
