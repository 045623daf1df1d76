package dev.idspam.eval.report;

/**
 * The configuration a table cell shows, and how many configurations competed for the cell.
 */
record Choice(RunGroup group, int candidates) {
}
