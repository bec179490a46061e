/**
 * The composition root: {@link dev.yuanjian.app.Yuanjian} reads config.yaml once
 * ({@link dev.yuanjian.app.Settings} and the model list), opens the data directory, database,
 * keys and log, and builds every capability once (containers, marks, pipeline, verifier, API keys
 * and the gatekeeper, the gateway with its filters); the CLI and the server receive the objects
 * they use from it. {@link dev.yuanjian.app.Extension} adds marks and filters from outside the
 * product; {@link dev.yuanjian.app.JsonViews} holds the JSON shapes users see.
 *
 * <p>Owns: configuration, wiring, the JSON views. Must not touch: any capability's own logic.
 */
package dev.yuanjian.app;
