/** Frozen-backbone probe: only the head trains, on the backbone's first-token state. The floor every method must beat. */
package dev.idspam.graphs.methods.probe;
