package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.TextBody;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.fontbox.ttf.OpenTypeFont;
import org.apache.fontbox.ttf.TTFParser;
import org.apache.fontbox.ttf.TrueTypeCollection;
import org.apache.fontbox.ttf.TrueTypeFont;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.io.RandomAccessReadBufferedFile;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
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
 * (START) or the bottom of the last (END), as displayed ({@code /Rotate} honoured), 10 pt, black,
 * 36 pt from the left edge. The drawing is an incremental update made below the container's
 * metadata revision ({@link PdfContainer#updateBelowMetadata}), so the original's bytes stay a
 * prefix and the metadata stays replaceable.
 *
 * <p><b>Fonts.</b> Latin-1 text is drawn in Helvetica (a Standard 14 font, not embedded). Other
 * text, Chinese above all, needs an embedded font with TrueType outlines: PDFBox 3 cannot subset
 * CFF-outline OpenType (Noto Sans CJK's .ttc fails at save). The painter tries its font files in
 * order ({@link #DEFAULT_CJK_FONTS}: Debian {@code fonts-wqy-zenhei} first) for the first
 * candidate, and when none covers it moves on to the next candidate (candidates are ordered
 * preferred first, e.g. [Chinese, English]); this painter reads those font files, nothing else.
 *
 * <p>Finding text: PDFBox's text extraction of the first and last page, white space removed
 * (extraction inserts some between glyphs).
 */
public final class PdfPainter implements Painter {
    /** TrueType-outline CJK fonts of Debian packages, best first. */
    public static final List<Path> DEFAULT_CJK_FONTS = List.of(
            Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),       // fonts-wqy-zenhei
            Path.of("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),     // fonts-wqy-microhei
            Path.of("/usr/share/fonts/truetype/arphic/uming.ttc"),         // fonts-arphic-uming
            Path.of("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf")); // fonts-droid-fallback

    static final float FONT_SIZE = 10f;
    static final float MARGIN = 36f;
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
            if (present(edgePagesText(doc), candidates)) {
                return asset;
            }
        } catch (IOException | RuntimeException e) {
            throw unreadable(asset, e);
        }
        return pdf.updateBelowMetadata(asset, original -> draw(pdf, original, candidates, edge));
    }

    /** True when the first or last page's text holds a candidate, white space ignored. */
    @Override
    public boolean shows(Asset asset, Container container, List<String> candidates) throws FormatException {
        try (PDDocument doc = pdf(container).open(asset)) {
            return present(edgePagesText(doc), candidates);
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
        return new FormatException(asset.name() + ": cannot read the PDF's text (" + e.getMessage()
                + "); repair it (e.g. qpdf in.pdf repaired.pdf) and try again", e);
    }

    /** The text of the first and the last page. */
    private static String edgePagesText(PDDocument doc) throws IOException {
        int n = doc.getNumberOfPages();
        if (n == 0) {
            return "";
        }
        String first = text(doc, 1, 1);
        return n == 1 ? first : first + text(doc, n, n);
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
            ownResources(page);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND,
                    true, true)) {
                cs.beginText();
                cs.setNonStrokingColor(0f);
                cs.setFont(font, FONT_SIZE);
                cs.setTextMatrix(placement(page, start));
                cs.showText(line);
                cs.endText();
            }
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

    /**
     * The text matrix that puts a left-to-right line at the top-left (START) or bottom-left (END)
     * of the page <em>as displayed</em>, honouring {@code /Rotate}: on a rotated page the visual top
     * is another edge of the crop box, and the text must turn with it.
     */
    static Matrix placement(PDPage page, boolean top) {
        PDRectangle box = page.getCropBox();
        float llx = box.getLowerLeftX();
        float lly = box.getLowerLeftY();
        float urx = box.getUpperRightX();
        float ury = box.getUpperRightY();
        float m = MARGIN;
        // Distance of the baseline from the visual top or bottom edge.
        float d = top ? MARGIN / 2 + FONT_SIZE : MARGIN / 2;
        int rotation = ((page.getRotation() % 360) + 360) % 360;
        return switch (rotation) {
            case 90 -> top ? new Matrix(0, 1, -1, 0, llx + d, lly + m) : new Matrix(0, 1, -1, 0, urx - d, lly + m);
            case 180 -> top ? new Matrix(-1, 0, 0, -1, urx - m, lly + d) : new Matrix(-1, 0, 0, -1, urx - m, ury - d);
            case 270 -> top ? new Matrix(0, -1, 1, 0, urx - d, ury - m) : new Matrix(0, -1, 1, 0, llx + d, ury - m);
            default -> top ? new Matrix(1, 0, 0, 1, llx + m, ury - d) : new Matrix(1, 0, 0, 1, llx + m, lly + d);
        };
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
