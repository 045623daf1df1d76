/**
 * Prompt Tuning (Lester, Al-Rfou and Constant, EMNLP 2021): t free vectors P [t, n], initialised
 * from the embeddings of random vocabulary tokens, prepended to the embedding output (m = 0):
 * {@code X_0' = concat([P]·B, X_0)}. The prompt is the same for every input. Cheapest to train per
 * step in parameters, but the backward pass runs through every layer.
 */
package dev.idspam.graphs.methods.prompttuning;
