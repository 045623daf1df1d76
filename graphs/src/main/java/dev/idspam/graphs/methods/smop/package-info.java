/**
 * SMoP (Choi et al., EMNLP 2023, "SMoP: Towards Efficient and Effective Prompt Tuning with Sparse
 * Mixture-of-Prompts"): K short soft prompts and a router that picks one per input, so each input
 * pays for a short prompt while the method as a whole holds K of them.
 * <pre>
 *   ē   = Σ_i mask_i·E_i / Σ_i mask_i              masked mean of the token embeddings    [B, n]
 *   z   = ē·W_r + b_r  (+ ε, ε ~ N(0, σ²) in training only: router perturbation)         [B, K]
 *   p   = softmax(z)                                                                      [B, K]
 *   h   = onehot(argmax z)      a constant mask: no gradient flows through the choice      [B, K]
 *   S   = Σ_k h_k·p_k·P_k       the chosen prompt, scaled by its probability               [B, t, n]
 *   X_0' = concat([S, X_0], 1)  prepended after the embeddings, as in Prompt Tuning        [B, t+L, n]
 * </pre>
 * Scaling by p_k is what lets the router learn: the chosen prompt receives dL/dS·p_k, the router
 * logits dL/dp_k·p_k·(δ_jk − p_j). E is the raw token-embedding lookup (the literal "input
 * embeddings"; no position or type embeddings), padding excluded from the mean.
 *
 * <h2>Settings and size</h2>
 * K = {@code --smop-prompts} (default 4), t = {@code --smop-prompt-tokens} (default 5, the paper's
 * 4 × 5 setting; its own option, so a spec's top-level {@code prompt_tokens} does not lengthen it),
 * σ = {@code --smop-router-noise} (default 1.0; 0 turns the perturbation off). Prompts start from
 * the embeddings of random vocabulary tokens (as Prompt Tuning), W_r from N(0, 0.02²), b_r at 0.
 * The noise is drawn by a seeded {@code RandomNormalLike} in the training graph only; the eval and
 * inference graphs route on the clean logits and are deterministic. That generator is seeded once,
 * when the training session starts, not per epoch like dropout's: a run resumed with
 * {@code --resume} (or paused and continued by {@code select-layer}) therefore draws other noise than
 * an uninterrupted run, so SMoP with noise on is the one method whose resumed weights are not
 * bit-identical to an uninterrupted run's (statistically the same training). Trainable parameters:
 * K·t·n + n·K + K. The prompt enters at the embeddings, so {@code frozenPrefixLayers() = 0}.
 *
 * <h2>When to use</h2>
 * When a single short prompt is too little capacity for a task with distinct kinds of input but a
 * long prompt is too slow: the sequence grows by t only, the parameters by K·t·n.
 */
package dev.idspam.graphs.methods.smop;
