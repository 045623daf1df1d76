/**
 * Serving an exported bundle: {@link dev.idspam.serving.Bundle} (the folder, checked against its
 * checksums), {@link dev.idspam.serving.BundleManifest} (the one home of {@code bundle.json}'s
 * fields, read and written), {@link dev.idspam.serving.TokenizerFiles} (opening the tokenizer copy)
 * and {@link dev.idspam.serving.Predictor} (text in, label and probabilities out). Adapter bundles
 * reference their frozen backbone weights ({@link dev.idspam.serving.BackboneWeights}), which
 * {@link dev.idspam.serving.BackboneWeightsStore} holds once per process for all of them.
 *
 * <p>Allowed dependencies: the datasets module (tokenizers and the task list), the stock
 * {@code com.microsoft.onnxruntime} jar and Gson. Nothing of the training stack (graphs, runtime,
 * the bytedeco core, Tribuo, protobuf, FlatBuffers, Commons Math): an application that only
 * predicts ships this module alone. {@code ServingDependenciesTest} checks the pom and the
 * resolved classpath; the module dependency test checks the code.
 */
package dev.idspam.serving;
