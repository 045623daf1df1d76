/**
 * The model side, as ONNX: a graph builder ({@link dev.idspam.graphs.build}), reverse-mode autodiff
 * over it ({@link dev.idspam.graphs.autodiff}), backbones and their weights
 * ({@link dev.idspam.graphs.backbone}), the PEFT methods ({@link dev.idspam.graphs.methods}), the
 * ONNX Runtime training artifacts written from them ({@link dev.idspam.graphs.artifacts}), ONNX
 * protobuf I/O ({@link dev.idspam.graphs.onnx}) and crash-safe file writing
 * ({@link dev.idspam.graphs.io}).
 *
 * <p>Allowed dependencies: no other project module. The module dependency test (tools,
 * {@code ModuleDependenciesTest}) checks this for every module.
 */
package dev.idspam.graphs;
