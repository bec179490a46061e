/**
 * The assembled product: {@link dev.yuanjian.app.Settings} (config.yaml plus environment) and
 * {@link dev.yuanjian.app.Yuanjian}, which opens the data directory, database, keys and log and
 * wires the capabilities together by their constructors. The CLI and the server both start here.
 *
 * <p>Owns: configuration and wiring. Must not touch: any capability's own logic.
 */
package dev.yuanjian.app;
