/**
 * Late Prompt Tuning (Liu et al., EMNLP 2022 Findings) with its neural prompt generator (NPG):
 * {@code S = reshape(W₂·ReLU(W₁·h₀ + b₁) + b₂)} where h₀ is the hidden state of the first token
 * entering layer m, W₁ n×r, W₂ r×(t·n), r = 256; S is prepended at layer m. The closest baseline to
 * ID-SPAM: input-dependent, but from one token instead of attention over all tokens.
 */
package dev.idspam.graphs.methods.lpt;
