/** Full fine-tuning: every backbone weight, embeddings included, trains with the head. The upper reference. */
package dev.idspam.graphs.methods.full;
