/**
 * Charts drawn with Java2D in headless mode, written as PNG: the layer sweep's score against
 * injection layer, one line per method with ±sd error bars.
 */
package dev.idspam.eval.report.chart;
