package dev.idspam.eval.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ResultsStore#read()} found: the records in file order and warnings about lines that
 * were skipped (an append interrupted by a crash).
 */
public record StoreContents(List<RunRecord> records, List<String> warnings) {

    public StoreContents {
        records = List.copyOf(records);
        warnings = List.copyOf(warnings);
    }

    /**
     * One record per cell key: when a cell was run more than once, the record appended last wins.
     * File order of first appearance is kept.
     */
    public List<RunRecord> latestPerCell() {
        Map<CellKey, RunRecord> latest = new LinkedHashMap<>();
        for (RunRecord r : records) {
            latest.put(r.cell(), r);
        }
        return new ArrayList<>(latest.values());
    }

    /** Number of records superseded by a later record with the same cell key. */
    public int supersededCount() {
        return records.size() - latestPerCell().size();
    }
}
