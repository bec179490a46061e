/**
 * The robustness and speed benchmark of the invisible image watermark (issue 10), the bench command
 * {@code watermark}: real photographs ({@link dev.yuanjian.bench.watermark.Photos}, from the Debian
 * package {@code plasma-workspace-wallpapers} fetched by {@code bench/fetch-wallpapers}), marked by
 * {@link dev.yuanjian.watermark.ImageWatermark} and by the dwtDct baseline of the Python package
 * invisible-watermark ({@link dev.yuanjian.bench.watermark.DwtDct}, implemented here from its
 * published description), put through the platform-like {@link dev.yuanjian.bench.watermark.Attack}s,
 * and measured for detection, bit accuracy, false positives, fidelity
 * ({@link dev.yuanjian.bench.watermark.Fidelity}) and speed.
 *
 * <p>Owns: the attacks, the baseline, the fidelity measures and the report. Must not touch: the
 * watermark itself (it is measured through its public API only).
 */
package dev.yuanjian.bench.watermark;
