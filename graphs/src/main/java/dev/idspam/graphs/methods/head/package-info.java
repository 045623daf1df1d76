/** The task head (dense + tanh + dropout + dense on one token) and the losses (cross-entropy, mean squared error). */
package dev.idspam.graphs.methods.head;
