/**
 * Parameter counts computed from shapes: {@link dev.idspam.eval.report.params.BackboneConfig}
 * (BERT, RoBERTa, GPT-2 sizes) and {@link dev.idspam.eval.report.params.ParameterCounts} (each
 * method's trainable weights, split into method and head).
 */
package dev.idspam.eval.report.params;
