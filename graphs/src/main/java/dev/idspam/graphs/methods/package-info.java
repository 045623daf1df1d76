/**
 * Parameter-efficient fine-tuning methods, attached to a backbone while its graph is built.
 *
 * <h2>Adding a method</h2>
 * <ol>
 *   <li>A package {@code methods.<name>} with a config record that validates itself and a class
 *       implementing {@link dev.idspam.graphs.methods.Method}: it creates its tensors with
 *       {@code GraphBuilder.parameter(..., trainable = true)} and declares each one through
 *       {@link dev.idspam.graphs.methods.MethodContext#declareTrainable} (explicitly, never by name
 *       prefix). Prompt methods return an {@code Injection} (or several, one per layer, from
 *       {@code injections}); methods that rewrite projections return a {@code ProjectionHook}, methods
 *       that change the token-embedding lookup an {@code EmbeddingHook}.</li>
 *   <li>A {@link dev.idspam.graphs.methods.MethodProvider} in the package: id, description, the
 *       option schema ({@link dev.idspam.graphs.methods.MethodOption}: name, default, range, help; the
 *       shared ones are in {@link dev.idspam.graphs.methods.MethodSettings}), the config record built
 *       from option values, the graph builder and the trainable-count formula; and its line in
 *       {@link dev.idspam.graphs.methods.MethodRegistry}. The command line, experiment specs, reports
 *       and benchmarks then offer it; no code outside the package names the id.</li>
 *   <li>A row in the shared contract test (pipeline module, {@code MethodContractTest}): valid graphs,
 *       only the method's own tensors change in training, the export equals evalStep. The test fails
 *       for an id without a row.</li>
 *   <li>This package's {@code package-info.java}: the paper, the formula, when to use it.</li>
 * </ol>
 */
package dev.idspam.graphs.methods;
