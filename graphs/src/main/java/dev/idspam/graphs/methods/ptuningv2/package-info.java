/**
 * P-Tuning v2 (Liu et al., ACL 2022, "P-Tuning v2: Prompt Tuning Can Be Comparable to Fine-tuning
 * Universally Across Scales and Tasks"): deep prompt tuning, trainable prompts at every layer instead
 * of at the input only.
 *
 * <h2>The variant built here</h2>
 * The paper's code adds t trainable key and value vectors to the attention of every layer (a prefix
 * of past key/values, as in prefix tuning). This package builds the equivalent "deep prompt" form
 * that several reimplementations use and that fits the project's {@code Injection} interface: a
 * trainable prompt P_i [t, n] per layer i,
 * <pre>
 *   layer 0:       X_0' = concat([P_0]·B, X_0)                      [B, t+L, n]  (as Prompt Tuning)
 *   layer i ≥ 1:   X_i' = concat([P_i]·B, X_i[:, t:, :])            [B, t+L, n]
 * </pre>
 * so before every layer the t prompt positions hold that layer's own vectors and whatever the
 * previous layer computed there is dropped. Through W_K and W_V of layer i the prompt rows give the
 * real tokens t extra keys and values, which is what the key/value prefix gives them; the difference
 * is that here those keys and values are tied to one hidden vector through the frozen projections
 * (and the prompt positions also pass through the layer's feed-forward block, whose output at those
 * positions is then replaced). It was chosen because it needs no change to the attention block and
 * trains n (not 2n) numbers per prompt position and layer.
 * The ID-SPAM paper ran its P-Tuning baseline with an MLP reparameterisation of the prompts (its
 * appendix); this package trains the prompts directly, without one.
 *
 * <h2>Settings and size</h2>
 * Prompt length t ({@code --prompt-tokens}, default 10, shared with the other prompt methods) and
 * the spread σ of the initial prompts ({@code --ptv2-init-std}, default 1.0: entries N(0, σ²), the
 * scale of post-LayerNorm hidden states and of {@code nn.Embedding}'s default initialisation that the
 * paper's code uses for its prefixes). No reparameterisation MLP, no prompt dropout. Trainable
 * parameters: N·t·n (N layers). Every layer changes, so nothing below the method can be cached:
 * {@code frozenPrefixLayers() = 0}.
 *
 * <h2>When to use</h2>
 * The strongest prompt baseline on small backbones and hard tasks (the paper's point: deep prompts
 * close the gap of input-only prompts to fine-tuning below 10B parameters); it costs N times the
 * parameters of Prompt Tuning and a backward pass through every layer.
 */
package dev.idspam.graphs.methods.ptuningv2;
