/**
 * GB 45438-2025 labels for documents: the implicit metadata label of Annex E ({@link
 * dev.yuanjian.label.AigcLabel}) and the explicit, human-readable label ({@link
 * dev.yuanjian.label.ExplicitLabel}), read and written by one {@link dev.yuanjian.label.LabelCodec}
 * per file format (Markdown, DOCX, PDF, plain text with a sidecar).
 *
 * <p>Owns: where a label lives in each format, and the protected digest (everything in the file
 * but the {@code ReservedCode1} value). Must not touch: signing, the log, storage. A codec knows
 * bytes and formats only; what the label's signature means belongs to {@code dev.yuanjian.verify}.
 */
package dev.yuanjian.label;
