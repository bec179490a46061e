/**
 * The marks on an asset as plug-ins: {@link dev.yuanjian.mark.Mark} (apply, what the digest leaves
 * out, seal, detect), the order they run in ({@link dev.yuanjian.mark.Stage}), the one digest
 * function ({@link dev.yuanjian.mark.Digests}) and what detection reports
 * ({@link dev.yuanjian.mark.Finding}, {@link dev.yuanjian.mark.Claim}).
 *
 * <p>Owns: the contract between the pipeline, verify and every mark. Must not touch: file formats
 * (that is {@code container}), any particular standard (GB 45438 is {@code label}, drawing is
 * {@code render}), the log or keys. Nothing here depends on a concrete mark.
 */
package dev.yuanjian.mark;
