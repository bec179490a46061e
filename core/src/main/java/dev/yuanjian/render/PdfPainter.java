package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.TextBody;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSObject;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.pdfbox.util.Matrix;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Draws a line of text on a PDF (files of {@link PdfContainer}): at the top of the first page
 * (START) or the bottom of the last (END), as displayed ({@code /Rotate} honoured), black, where it
 * covers nothing the page shows. The drawing is an incremental update made below the container's
 * metadata revision ({@link PdfContainer#updateBelowMetadata}), so the original's bytes stay a
 * prefix and the metadata stays replaceable.
 *
 * <p><b>Placement</b> ({@link PdfLabelLayout}). The page's content is surveyed first
 * ({@link PdfPageSurvey}: boxes of glyphs, images, paths, shadings, forms, annotations). When a
 * band across the page at the chosen edge is free of them, the label is drawn there; otherwise the
 * band is <em>added</em> to the page beyond that edge (crop and media box extended), so the label
 * never lands on the page's content, however small or crowded the page. Why not shrink the text
 * or look for a gap in the middle of the page: a label squeezed below legibility is not a label,
 * and one in the middle of the page is not at its start or end as GB 45438 asks. The size follows
 * the page (1/60 of its shorter side, 8 to 24 pt: 10 pt on A4 and Letter); a wording wider than
 * the page wraps onto more lines.
 *
 * <p><b>Finding it</b> ({@link PdfLabelStream}). The label is drawn inside a marked-content
 * sequence we name ({@code /Span} with the property {@code /YuanjianLabel}) and found by reading
 * the glyphs inside that sequence, not by extracting the page's text: overlapping or wrapped text,
 * and text operators outside {@code BT}/{@code ET} elsewhere on the page, cannot defeat it, and the
 * wording written as ordinary page text does not count as our label. Labels drawn by older
 * versions (one fixed content stream) are recognised by that stream's exact operators.
 *
 * <p><b>Fonts.</b> Latin-1 text is drawn in Helvetica (a Standard 14 font, not embedded). Other
 * text, Chinese above all, needs an embedded font with TrueType outlines: PDFBox 3 cannot subset
 * CFF-outline OpenType (Noto Sans CJK's .ttc fails at save). The painter tries its font files in
 * order ({@link #DEFAULT_CJK_FONTS}: Debian {@code fonts-wqy-zenhei} first) for the first
 * candidate, and when none covers it moves on to the next candidate (candidates are ordered
 * preferred first, e.g. [Chinese, English]); this painter reads those font files, nothing else.
 */
public final class PdfPainter implements Painter {
    /** TrueType-outline CJK fonts of Debian packages, best first. */
    public static final List<Path> DEFAULT_CJK_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),       // fonts-wqy-zenhei
            Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),     // fonts-wqy-microhei
            Path.of("/usr/share/fonts/truetype/arphic/uming.ttc"),         // fonts-arphic-uming
            Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")); // fonts-droid-fallback

    private static final int SAMPLE_CHARS = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(PdfPainter.class);

    private final List<Path> cjkFonts;

    public PdfPainter() {
        this(DEFAULT_CJK_FONTS);
    }

    /** @param cjkFonts TrueType (.ttf) or TrueType collection (.ttc) files to try for non-Latin text */
    public PdfPainter(List<Path> cjkFonts) {
        this.cjkFonts = List.copyOf(cjkFonts);
    }

    @Override
    public boolean paints(Container container) {
        return container instanceof PdfContainer;
    }

    /** The extracted text of the first two pages, at most 4,096 characters. */
    @Override
    public String textSample(Asset asset, Container container) throws FormatException {
        try (PDDocument doc = pdf(container).open(asset)) {
            if (doc.getNumberOfPages() == 0) {
                return "";
            }
            String text = text(doc, 1, Math.min(2, doc.getNumberOfPages()));
            return text.length() > SAMPLE_CHARS ? text.substring(0, SAMPLE_CHARS) : text;
        } catch (IOException | RuntimeException e) {
            throw unreadable(asset, e);
        }
    }

    /**
     * @throws FormatException when the file is damaged (checked before PDFBox's repairs could hide
     *     it), has no pages, or no font can draw any candidate
     */
    @Override
    public Asset paint(Asset asset, Container container, List<String> candidates, TextBody.Edge edge)
            throws FormatException {
        PdfContainer pdf = pdf(container);
        pdf.check(asset);
        try (PDDocument doc = pdf.open(asset)) {
            if (doc.getNumberOfPages() == 0) {
                throw new FormatException(asset.name() + " has no pages to draw on; check the file");
            }
            if (shows(doc, candidates)) {
                return asset;
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(asset, e);
        }
        return pdf.updateBelowMetadata(asset, original -> draw(pdf, original, candidates, edge));
    }

    /**
     * True when the first or last page shows a candidate in our label: a marked-content sequence
     * we drew ({@link PdfLabelStream}) whose visible text holds it, white space ignored, or the
     * drawing of an older Yuanjian. The same words as ordinary page text do not count.
     */
    @Override
    public boolean shows(Asset asset, Container container, List<String> candidates) throws FormatException {
        try (PDDocument doc = pdf(container).open(asset)) {
            return shows(doc, candidates);
        } catch (IOException | RuntimeException e) {
            throw unreadable(asset, e);
        }
    }

    private static PdfContainer pdf(Container container) {
        if (container instanceof PdfContainer pdf) {
            return pdf;
        }
        throw new IllegalArgumentException("PdfPainter paints PDF files only, not " + container.format()
                + "; ask paints() first");
    }

    private static FormatException unreadable(Asset asset, Exception e) {
        return new FormatException(asset.name() + ": cannot read the PDF's pages (" + e.getMessage()
                + "); repair it (e.g. qpdf in.pdf repaired.pdf) and try again", e);
    }

    private static boolean shows(PDDocument doc, List<String> candidates) throws IOException {
        int n = doc.getNumberOfPages();
        if (n == 0) {
            return false;
        }
        for (int index : n == 1 ? List.of(0) : List.of(0, n - 1)) {
            PDPage page = doc.getPage(index);
            for (PdfPageSurvey.Found found : PdfPageSurvey.of(page).labels()) {
                if (!found.hidden() && present(found.text(), candidates)) {
                    return true;
                }
            }
            String legacy = PdfLabelStream.legacyText(page);
            if (legacy != null && present(legacy, candidates)) {
                return true;
            }
        }
        return false;
    }

    private static String text(PDDocument doc, int from, int to) throws IOException {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(from);
        stripper.setEndPage(to);
        return stripper.getText(doc);
    }

    private static boolean present(String text, List<String> candidates) {
        String t = squeeze(text);
        return candidates.stream().anyMatch(c -> t.contains(squeeze(c)));
    }

    private static String squeeze(String s) {
        return s.replaceAll("\\s+", "");
    }

    /** {@code original} plus an incremental update drawing the first candidate a font can show. */
    private byte[] draw(PdfContainer pdf, Asset original, List<String> candidates, TextBody.Edge edge)
            throws FormatException {
        // An incremental update needs a sound last cross-reference section to point back to.
        pdf.check(original);
        List<Closeable> fontFiles = new ArrayList<>();
        try (PDDocument doc = pdf.open(original)) {
            String line = null;
            PDFont font = null;
            for (int k = 0; k < candidates.size(); k++) {
                String candidate = candidates.get(k);
                if (k > 0) {
                    LOG.warn("{}: no font can draw \"{}\" (tried Helvetica and {}); drawing \"{}\" instead. "
                            + "Install Debian package fonts-wqy-zenhei.", original.name(), candidates.get(0), cjkFonts,
                            candidate);
                }
                font = helveticaIfItCan(candidate);
                if (font == null) {
                    font = cjkFont(doc, candidate, fontFiles);
                }
                if (font != null) {
                    line = candidate;
                    break;
                }
            }
            if (font == null) {
                throw new FormatException(original.name() + ": no font can draw any of " + candidates
                        + "; install fonts-wqy-zenhei or use Latin-1 wording");
            }
            boolean start = edge == TextBody.Edge.START;
            PDPage page = doc.getPage(start ? 0 : doc.getNumberOfPages() - 1);
            drawLabel(doc, page, font, line, start);
            ByteArrayOutputStream out = new ByteArrayOutputStream(original.bytes().length + 64 * 1024);
            // PDFBox 3 records every change made through its model and writes exactly those objects.
            doc.saveIncremental(out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new FormatException(original.name() + ": cannot draw the line of text (" + e.getMessage()
                    + "); repair the PDF (e.g. qpdf in.pdf repaired.pdf) and try again", e);
        } finally {
            for (Closeable c : fontFiles) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // read-only font file
                }
            }
        }
    }

    /**
     * Draws {@code line} at the top ({@code top}) or bottom of {@code page} as laid out by
     * {@link PdfLabelLayout}, growing the page's boxes when the band is added, in a content stream
     * appended to the page's own.
     */
    private static void drawLabel(PDDocument doc, PDPage page, PDFont font, String line, boolean top)
            throws IOException {
        PdfPageSurvey survey = PdfPageSurvey.of(page);
        PdfLabelLayout layout = PdfLabelLayout.of(page.getCropBox(), page.getRotation(), survey.occupied(), font, line,
                top);
        if (layout.grow()) {
            grow(page, layout.userBand());
        }
        ownResources(page);
        COSName fontName = page.getResources().add(font);
        PdfPageSurvey.End end = survey.end();
        // A q before the page's content keeps its clip, colours and transformation from reaching the
        // label. Where the content has a Q without a q, viewers ignore that Q; a prepended q would
        // be what it restores and the page would change: then the label resets what it can itself.
        boolean prepend = end.strayRestores() == 0;
        byte[] label = PdfLabelStream.label(layout, font, fontName, end, end.saves() + (prepend ? 1 : 0),
                prepend ? new Matrix() : end.baseMatrix(), line);
        COSArray contents = new COSArray();
        if (prepend) {
            contents.add(stream(doc, "q\n".getBytes(StandardCharsets.US_ASCII)));
        }
        COSBase existing = page.getCOSObject().getItem(COSName.CONTENTS);
        COSBase resolved = existing instanceof COSObject o ? o.getObject() : existing;
        if (resolved instanceof COSArray array) {
            for (int i = 0; i < array.size(); i++) {
                contents.add(array.get(i));
            }
        } else if (existing != null && resolved != null) {
            contents.add(existing);
        }
        contents.add(stream(doc, label));
        page.getCOSObject().setItem(COSName.CONTENTS, contents);
    }

    private static COSStream stream(PDDocument doc, byte[] content) throws IOException {
        COSStream stream = doc.getDocument().createCOSStream();
        try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
            out.write(content);
        }
        return stream;
    }

    /**
     * Adds {@code band} (user space) to the page's visible area: the crop box (when the page has
     * one) and the media box grow to hold it, and so do a bleed, trim or art box the page
     * declares, so a printer's trimmed page keeps the label too.
     */
    private static void grow(PDPage page, PDRectangle band) {
        COSDictionary dict = page.getCOSObject();
        PDRectangle crop = union(page.getCropBox(), band);
        page.setMediaBox(union(page.getMediaBox(), crop));
        if (page.getCOSObject().getDictionaryObject(COSName.CROP_BOX) != null || inheritedCropBox(page)) {
            page.setCropBox(crop);
        }
        for (COSName name : List.of(COSName.BLEED_BOX, COSName.TRIM_BOX, COSName.ART_BOX)) {
            if (dict.getDictionaryObject(name) instanceof COSArray a && a.size() == 4) {
                dict.setItem(name, union(new PDRectangle(a), band).getCOSArray());
            }
        }
    }

    private static boolean inheritedCropBox(PDPage page) {
        for (COSDictionary node = page.getCOSObject().getCOSDictionary(COSName.PARENT); node != null;
                node = node.getCOSDictionary(COSName.PARENT)) {
            if (node.getDictionaryObject(COSName.CROP_BOX) != null) {
                return true;
            }
        }
        return false;
    }

    private static PDRectangle union(PDRectangle a, PDRectangle b) {
        float llx = Math.min(a.getLowerLeftX(), b.getLowerLeftX());
        float lly = Math.min(a.getLowerLeftY(), b.getLowerLeftY());
        float urx = Math.max(a.getUpperRightX(), b.getUpperRightX());
        float ury = Math.max(a.getUpperRightY(), b.getUpperRightY());
        return new PDRectangle(llx, lly, urx - llx, ury - lly);
    }

    /**
     * Gives the page its own /Resources when it inherits them from the page tree. PDFBox would add
     * the new font to the inherited dictionary, which the incremental update does not rewrite
     * (it belongs to a node we did not change): the font would be missing from the saved file.
     * The copy is shallow; a direct /Font dictionary is copied too, so the parent stays as it was.
     */
    private static void ownResources(PDPage page) {
        COSDictionary pageDict = page.getCOSObject();
        if (pageDict.getDictionaryObject(COSName.RESOURCES) != null) {
            return;
        }
        COSDictionary copy = new COSDictionary();
        PDResources inherited = page.getResources();
        if (inherited != null) {
            for (var e : inherited.getCOSObject().entrySet()) {
                copy.setItem(e.getKey(), e.getValue());
            }
            if (copy.getItem(COSName.FONT) instanceof COSDictionary fonts) {
                COSDictionary fontsCopy = new COSDictionary();
                for (var e : fonts.entrySet()) {
                    fontsCopy.setItem(e.getKey(), e.getValue());
                }
                copy.setItem(COSName.FONT, fontsCopy);
            }
        }
        // Through setResources, not the dictionary: PDPage caches the PDResources it handed out.
        page.setResources(new PDResources(copy));
    }

    private static PDFont helveticaIfItCan(String text) {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        try {
            helvetica.encode(text);
            return helvetica;
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The first font file with TrueType outlines and a glyph for every character of {@code text}. */
    private PDFont cjkFont(PDDocument doc, String text, List<Closeable> open) {
        for (Path path : cjkFonts) {
            if (!Files.isReadable(path)) {
                continue;
            }
            try {
                List<TrueTypeFont> fonts = new ArrayList<>();
                if (path.toString().toLowerCase(Locale.ROOT).endsWith(".ttc")) {
                    TrueTypeCollection ttc = new TrueTypeCollection(path.toFile());
                    open.add(ttc);
                    ttc.processAllFonts(fonts::add);
                } else {
                    TrueTypeFont ttf = new TTFParser().parse(new RandomAccessReadBufferedFile(path.toFile()));
                    open.add(ttf);
                    fonts.add(ttf);
                }
                for (TrueTypeFont ttf : fonts) {
                    if (ttf instanceof OpenTypeFont otf && otf.isPostScript()) {
                        continue; // CFF outlines: PDFBox cannot subset them
                    }
                    if (covers(ttf, text)) {
                        return PDType0Font.load(doc, ttf, true);
                    }
                }
            } catch (IOException | RuntimeException e) {
                LOG.debug("font {} unusable: {}", path, e.toString());
            }
        }
        return null;
    }

    private static boolean covers(TrueTypeFont ttf, String text) throws IOException {
        var cmap = ttf.getUnicodeCmapLookup(false);
        if (cmap == null) {
            return false;
        }
        return text.codePoints().allMatch(cp -> Character.isWhitespace(cp) || cmap.getGlyphId(cp) != 0);
    }
}
