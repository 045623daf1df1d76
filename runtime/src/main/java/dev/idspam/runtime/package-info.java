/**
 * Training and inference on ONNX Runtime from Java.
 *
 * <ul>
 *   <li>{@link dev.idspam.runtime.NativeRuntime}: installs the training-enabled native core once per
 *       process (call it before any {@code ai.onnxruntime} use), one global thread pool, CPU or CUDA.</li>
 *   <li>{@link dev.idspam.runtime.TrainingSession}: one ORT training session over verified artifacts
 *       and a checkpoint; checked feeds, atomic checkpoints and exports.</li>
 *   <li>{@link dev.idspam.runtime.Trainer}: epochs, accumulation, linear warm-up/decay, evaluation,
 *       best/last checkpoints, bit-identical resume, divergence stop.</li>
 *   <li>{@link dev.idspam.runtime.InferenceModel}: runs an exported model, also on the stock runtime.</li>
 * </ul>
 * Data enters as {@link dev.idspam.runtime.Batch}es of {@link dev.idspam.runtime.HostTensor}s from a
 * {@link dev.idspam.runtime.BatchSource}, so this module does not depend on the datasets module.
 *
 * <p>Allowed dependencies: the graphs module (artifacts and their names). Serving an exported
 * bundle does not need this module: the serving module runs it on the stock runtime.
 */
package dev.idspam.runtime;
