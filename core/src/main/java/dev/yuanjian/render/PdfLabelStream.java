package dev.yuanjian.render;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSNumber;
import org.apache.pdfbox.cos.COSStream;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdfparser.PDFStreamParser;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDResources;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.util.Matrix;

/**
 * The content stream that draws a label, and how a label is recognised by the way it was drawn.
 *
 * <p><b>Our mark.</b> The label is the marked-content sequence
 * {@code /Span <</YuanjianLabel 1 /ActualText (wording)>> BDC ... EMC}: a {@code Span} (not an
 * {@code /Artifact}: the label is content a reader, or a screen reader, must get) whose property
 * list holds the key {@value #KEY}, which nobody else writes. {@code /ActualText} gives text
 * extraction and assistive technology the wording in one piece however it was wrapped. An
 * optional content group was not chosen because a viewer's layers panel can switch it off, nor an
 * annotation because printing, flattening and many tools drop annotations.
 *
 * <p><b>Older labels.</b> Yuanjian before this version drew the label with PDFBox's
 * {@code PDPageContentStream} (append, reset context) as the page's last content stream, exactly
 * {@code Q BT 0 g /Fn 10 Tf a b c d e f Tm (text) Tj ET}; {@link #legacyText} recognises that
 * stream by its operators and decodes its one string with its font. Text extraction is not used:
 * it fails on exactly the pages where the old label overlapped the page's text. Ordinary page
 * text with the same wording is neither of these, so it never counts as our label.
 */
final class PdfLabelStream {
    /** The property that marks our marked-content sequence. */
    static final String KEY = "YuanjianLabel";

    private static final COSName SPAN = COSName.getPDFName("Span");
    private static final COSName OUR_KEY = COSName.getPDFName(KEY);
    private static final List<String> LEGACY_OPERATORS = List.of("Q", "BT", "g", "Tf", "Tm", "Tj", "ET");

    private PdfLabelStream() {
    }

    static boolean isOurs(COSName tag, COSDictionary properties) {
        return SPAN.equals(tag) && properties != null && properties.containsKey(OUR_KEY);
    }

    /**
     * The operators to append after the page's content: first close what the content left open
     * ({@code ET}, {@code EMC}s, {@code Q}s: {@code closeSaves} of them, which includes the
     * {@code q} prepended to the page when there is one), then undo a transformation left outside
     * any {@code q} ({@code base}, identity when a {@code q} was prepended), then the label in our
     * marked content, within its own {@code q}/{@code Q}.
     *
     * @param fontName the font's name in the page's resources
     */
    static byte[] label(PdfLabelLayout layout, PDFont font, COSName fontName, PdfPageSurvey.End end, int closeSaves,
            Matrix base, String wording) throws IOException {
        StringBuilder s = new StringBuilder();
        if (end.inText()) {
            s.append("ET\n");
        }
        s.append("EMC\n".repeat(end.markedContent()));
        s.append("Q\n".repeat(closeSaves));
        s.append("q\n");
        if (!base.createAffineTransform().isIdentity()) {
            try {
                s.append(matrix(new Matrix(base.createAffineTransform().createInverse()))).append(" cm\n");
            } catch (java.awt.geom.NoninvertibleTransformException e) {
                // A singular transformation hides everything after it; nothing to undo it with.
                throw new IOException("the page's content leaves a singular transformation in place", e);
            }
        }
        s.append("/Span <</").append(KEY).append(" 1 /ActualText ").append(hex(textString(wording))).append(">> BDC\n");
        s.append(matrix(layout.display())).append(" cm\n");
        if (layout.grow()) {
            // The added band was outside the page: paint it white, so nothing drawn there before
            // (hidden by the old crop box) shows now.
            var b = layout.band();
            s.append("1 g ").append(num(b.getX())).append(' ').append(num(b.getY())).append(' ')
                    .append(num(b.getWidth())).append(' ').append(num(b.getHeight())).append(" re f\n");
        }
        s.append("BT\n0 g 0 Tr 0 Tc 0 Tw 100 Tz 0 Ts\n/").append(fontName.getName()).append(' ')
                .append(num(layout.fontSize())).append(" Tf\n");
        for (int i = 0; i < layout.lines().size(); i++) {
            String line = layout.lines().get(i);
            s.append("1 0 0 1 ").append(num(layout.side())).append(' ').append(num(layout.baselines().get(i)))
                    .append(" Tm ").append(hex(encode(font, line))).append(" Tj\n");
        }
        s.append("ET\nEMC\nQ\n");
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] encode(PDFont font, String line) throws IOException {
        if (font.willBeSubset()) {
            line.codePoints().forEach(font::addToSubset);
        }
        return font.encode(line);
    }

    /** A PDF text string: UTF-16BE after a byte order mark. */
    private static byte[] textString(String s) {
        byte[] utf16 = s.getBytes(StandardCharsets.UTF_16BE);
        byte[] out = new byte[utf16.length + 2];
        out[0] = (byte) 0xFE;
        out[1] = (byte) 0xFF;
        System.arraycopy(utf16, 0, out, 2, utf16.length);
        return out;
    }

    private static String hex(byte[] b) {
        return "<" + HexFormat.of().withUpperCase().formatHex(b) + ">";
    }

    private static String matrix(Matrix m) {
        return num(m.getScaleX()) + " " + num(m.getShearY()) + " " + num(m.getShearX()) + " " + num(m.getScaleY())
                + " " + num(m.getTranslateX()) + " " + num(m.getTranslateY());
    }

    /** A PDF real: at most four decimals, no exponent, no trailing zeros. */
    private static String num(double v) {
        BigDecimal d = BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_EVEN).stripTrailingZeros();
        return d.signum() == 0 ? "0" : d.toPlainString();
    }

    private static byte[] bytes(COSStream stream) throws IOException {
        try (var in = stream.createInputStream()) {
            return in.readAllBytes();
        }
    }

    /**
     * The text of a label drawn by an older Yuanjian: when the page's last content stream is
     * exactly that drawing (see the class comment), its string decoded with its font; otherwise null.
     */
    static String legacyText(PDPage page) {
        try {
            COSBase contents = page.getCOSObject().getDictionaryObject(COSName.CONTENTS);
            if (!(contents instanceof COSArray array) || array.size() < 2
                    || !(array.getObject(array.size() - 1) instanceof COSStream last)) {
                return null; // the old painter always left an array: [q, original..., label]
            }
            List<String> operators = new ArrayList<>();
            List<List<COSBase>> operands = new ArrayList<>();
            List<COSBase> pending = new ArrayList<>();
            PDFStreamParser parser = new PDFStreamParser(bytes(last));
            for (Object token = parser.parseNextToken(); token != null; token = parser.parseNextToken()) {
                if (token instanceof Operator op) {
                    operators.add(op.getName());
                    operands.add(List.copyOf(pending));
                    pending.clear();
                    if (operators.size() > LEGACY_OPERATORS.size()) {
                        return null;
                    }
                } else {
                    pending.add((COSBase) token);
                }
            }
            if (!operators.equals(LEGACY_OPERATORS)) {
                return null;
            }
            List<COSBase> tf = operands.get(3);
            List<COSBase> tj = operands.get(5);
            if (tf.size() != 2 || !(tf.get(0) instanceof COSName fontName) || !(tf.get(1) instanceof COSNumber size)
                    || size.floatValue() != 10f || tj.size() != 1 || !(tj.get(0) instanceof COSString string)) {
                return null;
            }
            PDResources resources = page.getResources();
            PDFont font = resources == null ? null : resources.getFont(fontName);
            return font == null ? null : PdfPageSurvey.decode(font, string.getBytes());
        } catch (IOException | RuntimeException e) {
            return null; // not a stream the old painter wrote
        }
    }
}
