/**
 * Serves exported bundles over HTTP: JSON prediction endpoints, micro-batching per model, request
 * limits, Prometheus metrics, health checks, atomic reload and graceful shutdown. Builds on the
 * serving module only; no training code reaches this classpath.
 */
package dev.idspam.server;
