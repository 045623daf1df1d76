/**
 * Parameter counts computed from shapes: {@link dev.idspam.eval.report.params.BackboneSizes}
 * (BERT, RoBERTa, GPT-2 sizes), the task head's count, and
 * {@link dev.idspam.eval.report.params.ParameterSheet}, each method's trainable weights split into
 * method and head as the application layer computes them from the method registry.
 */
package dev.idspam.eval.report.params;
