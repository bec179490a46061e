/**
 * GB 45438-2025 labels for documents and images: the implicit metadata label of Annex E ({@link
 * dev.yuanjian.label.AigcLabel}) and the explicit, human-readable label ({@link
 * dev.yuanjian.label.ExplicitLabel}), read and written by one {@link dev.yuanjian.label.LabelCodec}
 * per file format: {@link dev.yuanjian.label.MarkdownCodec} (YAML front matter key {@code AIGC}),
 * {@link dev.yuanjian.label.DocxCodec} (custom property {@code AIGC}), {@link
 * dev.yuanjian.label.PdfCodec} (Info dictionary key {@code /AIGC}, in an appended label revision)
 * {@link dev.yuanjian.label.PngCodec} and {@link dev.yuanjian.label.JpegCodec} (XMP property
 * {@code TC260:AIGC}, see {@code ImageXmp}) and {@link dev.yuanjian.label.TextCodec} (sidecar
 * {@code NAME.aigc.json}). {@link
 * dev.yuanjian.label.Codecs} picks the codec for a file by name and magic bytes.
 *
 * <p>Owns: where a label lives in each format, and the protected digest (everything in the file
 * but the {@code ReservedCode1} value; each codec's class comment defines it exactly). Must not
 * touch: signing, the log, storage. A codec knows bytes and formats only; what the label's
 * signature means belongs to {@code dev.yuanjian.verify}. Codecs are stateless and thread-safe;
 * they never open files (assets arrive as bytes) except that {@code PdfCodec} reads system fonts.
 *
 * <p>Package-private helpers: {@code LabelText} decodes a stored label (YAML, XML or PDF string)
 * keeping each character's offset, so one locator finds {@code ReservedCode1} for every format;
 * {@code XmlScan} and {@code PdfSyntax} find byte ranges without re-serialising anything;
 * {@code ZipArchive} rewrites a ZIP copying untouched entries as raw bytes; {@code Bytes} holds
 * the digest-with-a-cut, byte search and strict UTF-8 check.
 */
package dev.yuanjian.label;
