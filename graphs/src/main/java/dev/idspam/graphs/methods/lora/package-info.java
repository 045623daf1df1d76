/**
 * LoRA (Hu et al., ICLR 2022) on the query and value projections of every layer:
 * {@code y = x·W + b + (α/r)·(x·A)·B}, A [n, r] ~ N(0, σ²), B [r, n] = 0, so training starts
 * exactly from the frozen backbone. No prompt; the head reads index 0.
 */
package dev.idspam.graphs.methods.lora;
