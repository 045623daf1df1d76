/**
 * DEPT (Shi and Lipani, ICLR 2024, "DePT: Decomposed Prompt Tuning for Parameter-Efficient
 * Fine-tuning"): a shorter soft prompt plus a low-rank update of the input token embeddings, so that
 * part of the prompt's capacity moves out of the sequence (shorter inputs, faster steps).
 * <pre>
 *   e'(w)  = E[w] + A[w]·B        A [V, r], B [r, n]: the token lookup with a rank-r update  [B, L, n]
 *   X_0    = LN(e'(ids) + type + position)                                               [B, L, n]
 *   X_0'   = concat([P]·B, X_0)   P [t, n] prepended as in Prompt Tuning                  [B, t+L, n]
 * </pre>
 *
 * <h2>The variant built here</h2>
 * The paper's update is position-wise: A has one row per position of a padded input of length s
 * (A ∈ R^{s×r}), so E_input' = E_input + A·B changes whatever token sits at a position. This package
 * builds the token-wise form the project specified: A has one row per vocabulary entry
 * (A ∈ R^{V×r}), so the update follows the token wherever it occurs, and it needs no fixed input
 * length. Both are a rank-r correction of the frozen embeddings added before the embedding LayerNorm.
 * Initialisation: A = 0 (so training starts exactly at Prompt Tuning with the same prompt), B from
 * N(0, 0.02²), P from the embeddings of random vocabulary tokens (as Prompt Tuning). Because A
 * starts at 0, B's gradient Aᵀ·dE' is 0 at the first step and B moves from the second.
 * The paper trains P and (A, B) with separate learning rates; the project's trainer has one
 * learning rate for all trainable tensors, so both use it.
 *
 * <h2>Settings and size</h2>
 * Prompt length {@code --dept-prompt-tokens}, default 6 = round(0.6·10): DEPT trades prompt length
 * for the low-rank pair, and its main setting is 60 tokens where Prompt Tuning uses 100, so the
 * default is 0.6 × the shared prompt-length default ({@code --prompt-tokens}). It is a separate
 * option so that a spec's top-level {@code prompt_tokens} does not undo the shortening. Rank
 * {@code --dept-rank} r, default 8. (The ID-SPAM paper ran DEPT with r = 45 on RoBERTa; 8 matches
 * the project's LoRA rank and keeps V·r moderate.) Trainable parameters: t·n + V·r + r·n. The embeddings change,
 * so {@code frozenPrefixLayers() = 0}.
 *
 * <h2>When to use</h2>
 * When Prompt Tuning's sequence cost matters: for the same parameter budget the prompt is shorter.
 * V·r dominates the count on large vocabularies (244k of it on a 30k vocabulary at r = 8).
 */
package dev.idspam.graphs.methods.dept;
