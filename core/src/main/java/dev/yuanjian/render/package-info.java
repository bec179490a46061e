/**
 * Drawing visible text on an asset and finding it again: one {@link dev.yuanjian.render.Painter}
 * per kind of format. {@link dev.yuanjian.render.TextPainter} adds a paragraph to any container
 * with a body text (Markdown, plain text, DOCX), {@link dev.yuanjian.render.PdfPainter} draws a
 * line on the first or last page of a PDF where it covers none of the page's content (surveyed by
 * {@code PdfPageSurvey}, placed by {@code PdfLabelLayout}), inside a marked-content sequence it
 * names and by which it finds the line again ({@code PdfLabelStream}), and the RasterPainter
 * draws a box of text in a corner of a PNG or JPEG image. A painter is given candidate wordings,
 * preferred first, and draws the first it can (a font may lack the glyphs of the first); it also
 * samples the asset's own text so the caller can choose the wording's language.
 *
 * <p>Owns: placement, fonts and pixels of visible text, and detecting it. Must not touch:
 * metadata (containers own where it lives; a painter at most asks its container to keep it in
 * place, as {@code PdfPainter} does), what a label or its wording means (marks choose the
 * wording), signatures and the transparency log. Painters are thread-safe; they read font files
 * and never write files.
 */
package dev.yuanjian.render;
