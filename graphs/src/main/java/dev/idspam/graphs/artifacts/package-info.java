/**
 * ONNX Runtime on-device-training artifacts: what {@code OrtTrainingSession} loads, written from a
 * {@link dev.idspam.graphs.artifacts.ModelDefinition}, and the names ORT relies on.
 *
 * <ul>
 *   <li>{@link dev.idspam.graphs.artifacts.ArtifactWriter}: training, eval and optimizer models,
 *       initial checkpoint and {@code manifest.json} (conventions: ORT-TRAINING-ARTIFACTS.md §2).</li>
 *   <li>{@link dev.idspam.graphs.artifacts.Checkpoint}: the checkpoint flatbuffer, written table by
 *       table and read with bounds checks (corrupt files give an
 *       {@link dev.idspam.graphs.artifacts.ArtifactFormatException}, never a crash); also reads the
 *       checkpoints ORT saves, which is how trained weights get back into Java.</li>
 *   <li>{@link dev.idspam.graphs.artifacts.Manifest} / {@link dev.idspam.graphs.artifacts.Artifacts}:
 *       the directory's description, verified (format version, sizes, SHA-256) before use.</li>
 *   <li>{@link dev.idspam.graphs.artifacts.ModelInfo}: the manifest's {@code model} section for task
 *       models (method, task, labels, token budget, backbone), a typed record bound with Gson.</li>
 *   <li>{@link dev.idspam.graphs.artifacts.ArtifactNames}: file names, {@code loss},
 *       {@code lazy_reset_grad}, the gradient-buffer suffixes and the optimizer's input names.</li>
 * </ul>
 * Nothing here loads ONNX Runtime; the {@code runtime} module runs the artifacts.
 */
package dev.idspam.graphs.artifacts;
