package dev.yuanjian.render;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.testing.ExternalTools;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.common.PDStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotationText;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.rendering.ImageType;
import org.apache.pdfbox.rendering.PDFRenderer;
import org.apache.pdfbox.util.Matrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The visible label on pages where a fixed position would cover content: it must never land on
 * what the page paints (checked on rendered pixels), and it must be found again by how it was
 * drawn. Every PDF is made here with PDFBox.
 */
class PdfLabelPlacementTest {
    private static final List<String> ENGLISH = List.of("AI-generated content");
    private static final List<String> CHINESE_FIRST = List.of("本内容由人工智能生成", "AI-generated content");
    private static final float SCALE = 2;
    private final PdfContainer container = new PdfContainer();
    private final PdfPainter painter = new PdfPainter();

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void aTinyPageWithOneLineGetsTheLabelInItsFreeBand(TextBody.Edge edge) throws Exception {
        // 200 x 50 pt, one line in the middle: the old fixed offset (baseline 28 pt from the top) hit it
        byte[] original = page(200, 50, 0, "BT /F1 12 Tf 20 20 Td (A tiny page of text) Tj ET");
        Asset out = labelAndCheck(original, edge, ENGLISH);
        assertThat(mediaBox(out).toString()).as("room enough: the page keeps its size").isEqualTo("[0.0,0.0,200.0,50.0]");
    }

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void aTinyPageFullOfTextGrowsABand(TextBody.Edge edge) throws Exception {
        byte[] original = page(200, 50, 0, "BT /F1 12 Tf 4 40 Td (Full tiny page, top line) Tj 0 -16 Td "
                + "(Middle line of text here) Tj 0 -16 Td (Bottom line of the page) Tj ET");
        Asset out = labelAndCheck(original, edge, ENGLISH);
        PDRectangle box = mediaBox(out);
        assertThat(box.getWidth()).isEqualTo(200);
        assertThat(box.getHeight()).as("a band was added").isGreaterThan(50);
        assertThat(edge == TextBody.Edge.START ? box.getLowerLeftY() : box.getUpperRightY())
                .as("on the labelled edge only").isEqualTo(edge == TextBody.Edge.START ? 0 : 50);
    }

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void aCrowdedA4PageGrowsABandAndKeepsItsText(TextBody.Edge edge) throws Exception {
        StringBuilder content = new StringBuilder("BT /F1 10 Tf 6 833 Td 11 TL\n");
        for (int line = 0; line < 76; line++) {
            content.append("(Line ").append(line).append(" of a page crowded to its edges, left to right, top to bottom) '\n");
        }
        content.append("ET");
        byte[] original = page(595, 842, 0, content.toString());
        Asset out = labelAndCheck(original, edge, ENGLISH);
        assertThat(mediaBox(out).getHeight()).isGreaterThan(842);
    }

    @ParameterizedTest
    @ValueSource(ints = {90, 180, 270})
    void rotatedPagesGetTheLabelAtTheEdgeAsDisplayed(int rotation) throws Exception {
        // Text along every edge of the media box: whichever edge is displayed on top is taken.
        String content = "BT /F1 10 Tf 20 780 Td (Near the top edge of the unrotated page) Tj ET "
                + "BT /F1 10 Tf 20 6 Td (Near the bottom edge of the unrotated page) Tj ET "
                + "BT /F1 10 Tf 0 1 -1 0 14 100 Tm (Along the left edge) Tj ET "
                + "BT /F1 10 Tf 0 1 -1 0 606 100 Tm (Along the right edge) Tj ET";
        for (TextBody.Edge edge : TextBody.Edge.values()) {
            labelAndCheck(page(612, 792, rotation, content), edge, ENGLISH);
        }
    }

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void aCropBoxSmallerThanTheMediaBoxIsHonoured(TextBody.Edge edge) throws Exception {
        // Visible: 100..500 x 100..700, its top and bottom lines at the crop edges; hidden text
        // just outside the crop box must not show through the band added to it.
        String content = "BT /F1 10 Tf 110 690 Td (Top line inside the crop box) Tj ET "
                + "BT /F1 10 Tf 110 103 Td (Bottom line inside the crop box) Tj ET "
                + "BT /F1 10 Tf 110 705 Td (HIDDEN above the crop box) Tj ET "
                + "BT /F1 10 Tf 110 90 Td (HIDDEN below the crop box) Tj ET";
        byte[] original = build(612, 792, 0, content, (d, p) -> p.setCropBox(new PDRectangle(100, 100, 400, 600)));
        Asset out = labelAndCheck(original, edge, ENGLISH);
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            PDRectangle crop = doc.getPage(0).getCropBox();
            assertThat(crop.getWidth()).isEqualTo(400);
            assertThat(crop.getHeight()).isGreaterThan(600);
        }
    }

    @Test
    void textOperatorsOutsideBtEtCountAsContentAndDoNotHideTheLabel() throws Exception {
        // A Tj after ET: PDFBox skips it; poppler, pdf.js and MuPDF draw it where the text object
        // left off, here near the bottom edge, where the label would otherwise go.
        byte[] original = page(300, 300, 0, "BT /F1 12 Tf 40 150 Td (Body text) Tj 1 0 0 1 40 6 Tm ET (Stray text) Tj");
        Asset out = label(original, TextBody.Edge.END, ENGLISH);
        assertThat(mediaBox(out).getLowerLeftY()).as("the stray glyphs' band is taken: a band is added").isLessThan(0);
        assertThat(painter.shows(out, container, ENGLISH)).isTrue();
        assertThat(painter.paint(out, container, ENGLISH, TextBody.Edge.END).bytes()).isEqualTo(out.bytes());
    }

    @Test
    void contentThatLeavesItsStateOpenDoesNotMoveOrHideTheLabel() throws Exception {
        List<String> contents = List.of(
                "q 0.5 0 0 0.5 0 0 cm BT /F1 12 Tf 40 300 Td (Scaled, never restored) Tj ET",  // q without Q
                "BT /F1 12 Tf 40 150 Td (Text object never closed) Tj",                         // BT without ET
                "/OC <</Type/OCG/Name(x)>> BDC BT /F1 12 Tf 40 150 Td (Marked, never closed) Tj ET", // BDC without EMC
                "Q 0.5 0 0 0.5 0 0 cm BT /F1 12 Tf 40 300 Td (A stray Q, then a scale) Tj ET"); // Q without q
        for (String content : contents) {
            for (TextBody.Edge edge : TextBody.Edge.values()) {
                labelAndCheck(page(300, 300, 0, content), edge, ENGLISH);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "0 0 1 rg 0 776 612 16 re f",                      // a filled band along the top
        "4 w 0 786 m 612 786 l S",                         // a thick rule near the top
        "q 612 0 0 16 0 776 cm /Im1 Do Q",                 // an image along the top
        "/Fm1 Do",                                         // a form XObject whose text is near the top
        "q 612 0 0 792 0 0 cm /Im1 Do Q"})                 // a full-page image
    void graphicsImagesAndFormsAreContentToo(String content) throws Exception {
        byte[] original = build(612, 792, 0, content, (doc, page) -> {
            PDResources resources = page.getResources();
            BufferedImage pixels = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
            for (int i = 0; i < 64; i++) {
                pixels.setRGB(i % 8, i / 8, i % 2 == 0 ? 0x336699 : 0x993366);
            }
            resources.put(COSName.getPDFName("Im1"), LosslessFactory.createFromImage(doc, pixels));
            PDFormXObject form = new PDFormXObject(doc);
            form.setBBox(new PDRectangle(612, 792));
            PDResources formResources = new PDResources();
            formResources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            form.setResources(formResources);
            try (OutputStream out = form.getContentStream().createOutputStream()) {
                out.write("BT /F1 14 Tf 20 775 Td (Text of a form near the top) Tj ET".getBytes(StandardCharsets.US_ASCII));
            }
            resources.put(COSName.getPDFName("Fm1"), form);
        });
        Asset out = labelAndCheck(original, TextBody.Edge.START, ENGLISH);
        assertThat(mediaBox(out).getHeight()).as("the top band is taken: a band is added").isGreaterThan(792);
    }

    @Test
    void anAnnotationAtTheEdgeIsNotCovered() throws Exception {
        byte[] original = build(612, 792, 0, "BT /F1 12 Tf 72 400 Td (Body) Tj ET", (doc, page) -> {
            PDAnnotationText note = new PDAnnotationText();
            note.setRectangle(new PDRectangle(300, 770, 20, 20));
            page.getAnnotations().add(note);
        });
        Asset out = label(original, TextBody.Edge.START, ENGLISH);
        assertThat(mediaBox(out).getHeight()).isGreaterThan(792);
        assertThat(painter.shows(out, container, ENGLISH)).isTrue();
    }

    @Test
    void theWordingAsOrdinaryTextIsNotOurLabel() throws Exception {
        byte[] original = page(595, 842, 0, "BT /F1 12 Tf 72 700 Td (AI-generated content) Tj ET");
        Asset in = Asset.of("a.pdf", original);
        assertThat(painter.shows(in, container, ENGLISH)).isFalse();
        Asset out = labelAndCheck(original, TextBody.Edge.START, ENGLISH);
        assertThat(labels(out)).hasSize(1);
    }

    @Test
    void chineseIsPlacedAndFoundTheSameWay() throws Exception {
        if (!ContainerFixtures.cjkFontInstalled()) {
            ExternalTools.missing(ContainerFixtures.CJK_FONT + " not found; install it with: apt-get install fonts-wqy-zenhei");
        }
        Asset out = labelAndCheck(page(200, 50, 0, "BT /F1 12 Tf 4 40 Td (Full tiny page, top line) Tj 0 -16 Td "
                + "(Middle line of text here) Tj 0 -16 Td (Bottom line of the page) Tj ET"), TextBody.Edge.START, CHINESE_FIRST);
        assertThat(labels(out)).containsExactly("本内容由人工智能生成");
    }

    @Test
    void aNarrowPageWrapsTheWordingAtALegibleSize() throws Exception {
        List<String> wording = List.of("This content was generated by artificial intelligence");
        Asset out = labelAndCheck(page(80, 400, 0, "BT /F1 8 Tf 4 200 Td (Narrow) Tj ET"), TextBody.Edge.START, wording);
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            PdfLabelLayout layout = PdfLabelLayout.of(doc.getPage(0).getCropBox(), 0, List.of(),
                    new PDType1Font(Standard14Fonts.FontName.HELVETICA), wording.get(0), true);
            assertThat(layout.fontSize()).isEqualTo(PdfLabelLayout.MIN_SIZE);
            assertThat(layout.lines()).hasSizeGreaterThan(2);
            assertThat(String.join(" ", layout.lines())).isEqualTo(wording.get(0));
        }
        assertThat(labels(out)).hasSize(1);
    }

    @Test
    void aHugePageGetsALargerButBoundedSize() throws Exception {
        PDType1Font helvetica = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
        assertThat(PdfLabelLayout.of(new PDRectangle(595, 842), 0, List.of(), helvetica, "x", true).fontSize()).isEqualTo(10);
        assertThat(PdfLabelLayout.of(new PDRectangle(842, 1191), 0, List.of(), helvetica, "x", true).fontSize()).isEqualTo(14);
        assertThat(PdfLabelLayout.of(new PDRectangle(14400, 14400), 0, List.of(), helvetica, "x", true).fontSize())
                .isEqualTo(PdfLabelLayout.MAX_SIZE);
    }

    @Test
    void labellingTwiceDrawsOneLabelEvenAfterTheMetadataIsRewritten() throws Exception {
        byte[] original = page(200, 50, 0, "BT /F1 12 Tf 4 40 Td (Full tiny page, top line) Tj ET");
        Asset once = label(original, TextBody.Edge.START, ENGLISH);
        assertThat(painter.paint(once, container, ENGLISH, TextBody.Edge.START).bytes()).isEqualTo(once.bytes());
        assertThat(painter.paint(once, container, ENGLISH, TextBody.Edge.END).bytes())
                .as("a label at the other edge still counts").isEqualTo(once.bytes());
        Asset withMetadata = container.withMetadata(once, KEY, "0".repeat(64));
        Asset rewritten = container.withMetadata(withMetadata, KEY, "1".repeat(64));
        assertThat(painter.paint(rewritten, container, ENGLISH, TextBody.Edge.START).bytes()).isEqualTo(rewritten.bytes());
        assertThat(labels(rewritten)).hasSize(1);
    }

    @Test
    void labelsDrawnByOlderVersionsAreStillFound() throws Exception {
        // The drawing Yuanjian made before: one appended stream, right over the page's top line.
        byte[] original = page(200, 50, 0, "BT /F1 12 Tf 4 20 Td (Text right under the old label) Tj ET");
        byte[] old = legacyLabel(original, "AI-generated content", 10);
        Asset asset = Asset.of("old.pdf", old);
        assertThat(painter.shows(asset, container, ENGLISH)).isTrue();
        assertThat(painter.paint(asset, container, ENGLISH, TextBody.Edge.START).bytes()).isEqualTo(old);
        // The same shape at another size, or other words, is not that drawing.
        assertThat(painter.shows(Asset.of("x.pdf", legacyLabel(original, "AI-generated content", 12)), container, ENGLISH))
                .isFalse();
        assertThat(painter.shows(Asset.of("x.pdf", legacyLabel(original, "Something else", 10)), container, ENGLISH))
                .isFalse();
    }

    @Test
    void aLabelPushedOffThePageIsNotShown() throws Exception {
        // Our marked content, by hand, drawn outside the crop box: present in the file, shown nowhere.
        String hidden = "/Span <</YuanjianLabel 1>> BDC BT /F1 10 Tf 1 0 0 1 20 900 Tm (AI-generated content) Tj ET EMC";
        assertThat(painter.shows(Asset.of("a.pdf", page(200, 200, 0, hidden)), container, ENGLISH)).isFalse();
        String invisible = "/Span <</YuanjianLabel 1>> BDC BT 3 Tr /F1 10 Tf 1 0 0 1 20 100 Tm (AI-generated content) Tj ET EMC";
        assertThat(painter.shows(Asset.of("a.pdf", page(200, 200, 0, invisible)), container, ENGLISH)).isFalse();
        String shown = "/Span <</YuanjianLabel 1>> BDC BT /F1 10 Tf 1 0 0 1 20 100 Tm (AI-generated content) Tj ET EMC";
        assertThat(painter.shows(Asset.of("a.pdf", page(200, 200, 0, shown)), container, ENGLISH)).isTrue();
    }

    /** Labels, then checks: a prefix, found again, idempotent, and the rendered non-overlap. */
    private Asset labelAndCheck(byte[] original, TextBody.Edge edge, List<String> candidates) throws Exception {
        Asset out = label(original, edge, candidates);
        assertThat(painter.shows(out, container, candidates)).isTrue();
        assertThat(painter.paint(out, container, candidates, edge).bytes()).isEqualTo(out.bytes());
        assertThat(labels(out)).hasSize(1);
        assertNothingCovered(original, out.bytes(), edge);
        return out;
    }

    private Asset label(byte[] original, TextBody.Edge edge, List<String> candidates) throws Exception {
        Asset in = Asset.of("a.pdf", original);
        assertThat(painter.shows(in, container, candidates)).isFalse();
        Asset out = painter.paint(in, container, candidates, edge);
        assertThat(Arrays.copyOf(out.bytes(), original.length)).as("an incremental update").isEqualTo(original);
        return out;
    }

    /**
     * Renders the page before and after. Where the page grew, the original sits below the added
     * band (START) or above it (END). Every pixel the original painted is unchanged, the label
     * changed some pixels, and the box of all changed pixels holds no pixel the original painted.
     */
    private static void assertNothingCovered(byte[] original, byte[] labelled, TextBody.Edge edge) throws IOException {
        BufferedImage before = render(original);
        BufferedImage after = render(labelled);
        assertThat(after.getWidth()).as("the band is as wide as the page").isEqualTo(before.getWidth());
        int offset = edge == TextBody.Edge.START ? after.getHeight() - before.getHeight() : 0;
        Rectangle changed = null;
        for (int y = 0; y < after.getHeight(); y++) {
            for (int x = 0; x < after.getWidth(); x++) {
                int oy = y - offset;
                boolean inside = oy >= 0 && oy < before.getHeight();
                int was = inside ? before.getRGB(x, oy) : 0xFFFFFFFF;
                int now = after.getRGB(x, y);
                if (inside && painted(was)) {
                    assertThat(now).as("pixel (%d, %d) the original painted", x, oy).isEqualTo(was);
                } else if (now != was) {
                    changed = changed == null ? new Rectangle(x, y, 1, 1) : changed.union(new Rectangle(x, y, 1, 1));
                }
            }
        }
        assertThat(changed).as("the label is drawn").isNotNull();
        assertThat(edge == TextBody.Edge.START ? changed.getMinY() < after.getHeight() / 2.0
                : changed.getMaxY() > after.getHeight() / 2.0).as("at the %s edge, as displayed: %s", edge, changed).isTrue();
        for (int y = changed.y; y < changed.y + changed.height; y++) {
            for (int x = changed.x; x < changed.x + changed.width; x++) {
                int oy = y - offset;
                if (oy >= 0 && oy < before.getHeight()) {
                    assertThat(painted(before.getRGB(x, oy))).as("original paint under the label's box at (%d, %d)", x, oy)
                            .isFalse();
                }
            }
        }
    }

    private static boolean painted(int rgb) {
        return (rgb & 0xFFFFFF) != 0xFFFFFF;
    }

    private static BufferedImage render(byte[] pdf) throws IOException {
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            return new PDFRenderer(doc).renderImage(0, SCALE, ImageType.RGB);
        }
    }

    private static PDRectangle mediaBox(Asset asset) throws IOException {
        try (PDDocument doc = Loader.loadPDF(asset.bytes())) {
            return doc.getPage(0).getMediaBox();
        }
    }

    /** The text of every label of ours on the first page. */
    private static List<String> labels(Asset asset) throws IOException {
        try (PDDocument doc = Loader.loadPDF(asset.bytes())) {
            return PdfPageSurvey.of(doc.getPage(0)).labels().stream().map(PdfPageSurvey.Found::text).toList();
        }
    }

    /** One page, Helvetica as /F1, {@code content} as its content stream, written as is. */
    static byte[] page(float width, float height, int rotation, String content) throws IOException {
        return build(width, height, rotation, content, (d, p) -> { });
    }

    /** A change to the page being built, in the document being built. */
    @FunctionalInterface
    private interface Adjust {
        void apply(PDDocument doc, PDPage page) throws IOException;
    }

    private static byte[] build(float width, float height, int rotation, String content, Adjust adjust)
            throws IOException {
        try (PDDocument doc = new PDDocument()) {
            PDPage page = new PDPage(new PDRectangle(width, height));
            page.setRotation(rotation);
            PDResources resources = new PDResources();
            resources.put(COSName.getPDFName("F1"), new PDType1Font(Standard14Fonts.FontName.HELVETICA));
            page.setResources(resources);
            PDStream stream = new PDStream(doc);
            try (OutputStream out = stream.createOutputStream(COSName.FLATE_DECODE)) {
                out.write(content.getBytes(StandardCharsets.ISO_8859_1));
            }
            page.setContents(stream);
            adjust.apply(doc, page);
            doc.addPage(page);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out);
            return out.toByteArray();
        }
    }

    /** The drawing earlier Yuanjian versions made: append, reset context, 10 pt at the old fixed offset. */
    private static byte[] legacyLabel(byte[] original, String text, float size) throws IOException {
        try (PDDocument doc = Loader.loadPDF(original)) {
            PDPage page = doc.getPage(0);
            try (PDPageContentStream cs = new PDPageContentStream(doc, page, PDPageContentStream.AppendMode.APPEND,
                    true, true)) {
                cs.beginText();
                cs.setNonStrokingColor(0f);
                cs.setFont(new PDType1Font(Standard14Fonts.FontName.HELVETICA), size);
                cs.setTextMatrix(new Matrix(1, 0, 0, 1, 36, page.getCropBox().getUpperRightY() - 28));
                cs.showText(text);
                cs.endText();
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.saveIncremental(out);
            return out.toByteArray();
        }
    }
}
