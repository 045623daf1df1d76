/**
 * The results store: an append-only JSON-lines file with one
 * {@link dev.idspam.eval.store.RunRecord} per finished run, identified by its
 * {@link dev.idspam.eval.store.CellKey}. The experiment runner appends and asks
 * {@link dev.idspam.eval.store.ResultsStore#contains} to resume; reports read it.
 */
package dev.idspam.eval.store;
