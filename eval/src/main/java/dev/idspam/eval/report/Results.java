package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import dev.idspam.eval.metrics.TaskCatalog;
import dev.idspam.eval.store.RunRecord;

/**
 * The store's runs grouped by configuration, with the selection rule every table uses: where a
 * cell (say ID-SPAM on RTE) has several configurations (layers, learning rates), the one with the
 * best mean primary metric is shown; ties go to more seeds, then to the smaller config label.
 */
final class Results {

    private static final Comparator<RunGroup> BETTER_FIRST = Comparator
            .comparingDouble((RunGroup g) -> -g.score().mean())
            .thenComparingInt(g -> -g.seeds())
            .thenComparing(g -> g.key().configLabel());

    private final List<RunGroup> groups;
    private final List<String> warnings = new ArrayList<>();

    /** Groups the runs (one per cell key) by configuration. */
    Results(Collection<RunRecord> runs) {
        Map<ConfigKey, List<RunRecord>> byConfig = new LinkedHashMap<>();
        for (RunRecord r : runs) {
            byConfig.computeIfAbsent(ConfigKey.of(r.cell()), k -> new ArrayList<>()).add(r);
        }
        List<RunGroup> list = new ArrayList<>();
        byConfig.forEach((k, rs) -> {
            long metrics = rs.stream().map(RunRecord::primaryMetric).distinct().count();
            if (metrics > 1) {
                warnings.add(k.method() + " on " + k.task() + " (" + k.backbone() + ", "
                        + k.configLabel() + "): seeds disagree on the primary metric ("
                        + rs.stream().map(RunRecord::primaryMetric).distinct().toList()
                        + "); the scores are averaged anyway");
            }
            list.add(new RunGroup(k, rs));
        });
        this.groups = List.copyOf(list);
    }

    List<RunGroup> groups() {
        return groups;
    }

    List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Distinct backbones, sorted. */
    List<String> backbones() {
        return groups.stream().map(g -> g.key().backbone()).distinct().sorted().toList();
    }

    /**
     * Best configuration per slot among the groups that pass the filter, e.g. slot = method and
     * task for a results table.
     */
    <K> Map<K, Choice> best(Predicate<RunGroup> filter, Function<RunGroup, K> slot) {
        Map<K, List<RunGroup>> candidates = new LinkedHashMap<>();
        for (RunGroup g : groups) {
            if (filter.test(g)) {
                candidates.computeIfAbsent(slot.apply(g), k -> new ArrayList<>()).add(g);
            }
        }
        Map<K, Choice> out = new LinkedHashMap<>();
        candidates.forEach((k, gs) -> {
            List<RunGroup> sorted = new ArrayList<>(gs);
            sorted.sort(BETTER_FIRST);
            out.put(k, new Choice(sorted.get(0), gs.size()));
        });
        return out;
    }

    /** Tasks in table order: catalogue order, then unknown tasks alphabetically. */
    static Comparator<String> taskOrder() {
        return Comparator.comparingInt(TaskCatalog::order).thenComparing(Comparator.naturalOrder());
    }

    /** Filter: in-task runs (not transfer) on one backbone. */
    static Predicate<RunGroup> inTask(String backbone) {
        return g -> g.key().transfer() == null && g.key().backbone().equals(backbone);
    }

    /** Slot: (method, task). */
    record MethodTask(String method, String task) {
        static MethodTask of(RunGroup g) {
            return new MethodTask(g.key().method(), g.key().task());
        }
    }

    /** Distinct values of a key part among groups, in the given order. */
    static <T> List<T> distinct(Collection<RunGroup> gs, Function<RunGroup, T> part, Comparator<T> order) {
        return gs.stream().map(part).filter(Objects::nonNull).distinct().sorted(order).toList();
    }

    /** Groups passing a filter. */
    List<RunGroup> where(Predicate<RunGroup> filter) {
        return groups.stream().filter(filter).toList();
    }

    /** Method ids of groups passing a filter, sorted by the config's order. */
    List<String> methods(Predicate<RunGroup> filter, ReportConfig config) {
        return distinct(where(filter), g -> g.key().method(), config.methodOrder());
    }
}
