/**
 * ID-SPAM: input-dependent soft prompting with a self-attention generator (Muppidi, Nandy and
 * Bandyopadhyay, ACL 2025).
 *
 * <p>As implemented, for a batch with token embeddings E [B, L, n] and mask M [B, L]:
 * <pre>
 *   Q, K, V = E·W_Q + b_Q, E·W_K + b_K, E·W_V + b_V          (n×n each; heads option, default 1)
 *   Att     = softmax(Q·Kᵀ/√d_k − 10000·(1 − M_keys))·V       (padded keys masked)
 *   A       = Σ_i M_i·Att_i / Σ_i M_i                         (mean over real tokens only)  [B, n]
 *   S       = σ(ReLU(A·W_down + b_down)·W_up + b_up)          W_down n×c, W_up c×(t·n), σ = ReLU
 *   S       → [B, t, n], dropout in training only
 *   X_m'    = concat([S, X_m], axis 1), mask' = concat([1]·t, M)
 * </pre>
 * X_m is the input of layer m (the embedding output for m = 0). The prompt gets no position or type
 * embeddings. The head reads index t, the first real token. Trainable: the generator and the head.
 *
 * <p>{@code meanPoolOnly} is the paper's ablation (A = masked mean of E, no self-attention).
 * When to use: tasks where the useful prompt depends on the input; the generator's cost is one
 * small attention over the input tokens, and the backward pass only reaches layers m..N−1.
 */
package dev.idspam.graphs.methods.idspam;
