package dev.idspam.datasets.read;

import java.util.ArrayList;
import java.util.List;

/** Applies {@link ReadOptions} to rejected rows: throw, or count and remember the first reasons. */
final class BadRows {
    private final ReadOptions options;
    private final List<String> reasons = new ArrayList<>();
    private int count;

    BadRows(ReadOptions options) {
        this.options = options;
    }

    void reject(DatasetFormatException problem) {
        if (!options.skipBadRows()) {
            throw problem;
        }
        count++;
        if (reasons.size() < options.maxReportedReasons()) {
            reasons.add(problem.getMessage());
        }
    }

    ReadResult result(String source, List<Example> examples, int blankLines) {
        return new ReadResult(source, examples, count, reasons, blankLines);
    }
}
