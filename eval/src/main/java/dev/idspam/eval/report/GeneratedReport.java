package dev.idspam.eval.report;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link ReportGenerator#generate} wrote.
 *
 * @param index    the report.md index
 * @param files    every file written, index included, in writing order
 * @param warnings problems found in the store (skipped lines, superseded runs, mixed metrics)
 */
public record GeneratedReport(Path index, List<Path> files, List<String> warnings) {

    public GeneratedReport {
        files = List.copyOf(files);
        warnings = List.copyOf(warnings);
    }
}
