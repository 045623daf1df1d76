package dev.idspam.eval.report;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

import dev.idspam.eval.stats.Summary;
import dev.idspam.eval.store.RunRecord;

/** The runs of one configuration, one per seed. */
final class RunGroup {

    /** Scores in tables are the primary metric times this. */
    static final double SCALE = 100.0;

    private final ConfigKey key;
    private final SortedMap<Long, RunRecord> bySeed;

    RunGroup(ConfigKey key, Collection<RunRecord> runs) {
        this.key = key;
        TreeMap<Long, RunRecord> map = new TreeMap<>();
        for (RunRecord r : runs) {
            map.put(r.cell().seed(), r);
        }
        if (map.isEmpty()) {
            throw new IllegalArgumentException("a run group needs at least one run: " + key);
        }
        this.bySeed = Collections.unmodifiableSortedMap(map);
    }

    ConfigKey key() {
        return key;
    }

    int seeds() {
        return bySeed.size();
    }

    Collection<RunRecord> runs() {
        return bySeed.values();
    }

    /** Seed → primary metric × 100. */
    Map<Long, Double> scores() {
        Map<Long, Double> out = new LinkedHashMap<>();
        bySeed.forEach((seed, r) -> out.put(seed, r.primaryValue() * SCALE));
        return out;
    }

    /** Summary of the primary metric × 100 over seeds. */
    Summary score() {
        return Summary.of(scores().values());
    }

    /** The primary metric id (of the first seed; {@link Results} warns when seeds disagree). */
    String primaryMetric() {
        return bySeed.values().iterator().next().primaryMetric();
    }

    /** Summary of a per-run quantity over the runs where it is finite; null when none is. */
    Summary stat(ToDoubleFunction<RunRecord> quantity) {
        List<Double> values = new ArrayList<>();
        for (RunRecord r : bySeed.values()) {
            double v = quantity.applyAsDouble(r);
            if (Double.isFinite(v)) {
                values.add(v);
            }
        }
        return values.isEmpty() ? null : Summary.of(values);
    }

    /** The distinct training-subset notes of the runs, in seed order. */
    List<String> trainSubsets() {
        LinkedHashSet<String> notes = new LinkedHashSet<>();
        for (RunRecord r : bySeed.values()) {
            if (r.trainSubset() != null) {
                notes.add(r.trainSubset());
            }
        }
        return List.copyOf(notes);
    }
}
