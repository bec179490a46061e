package dev.yuanjian.render;

import java.awt.geom.GeneralPath;
import java.awt.geom.Point2D;
import java.awt.geom.Rectangle2D;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.apache.fontbox.util.BoundingBox;
import org.apache.pdfbox.contentstream.PDFGraphicsStreamEngine;
import org.apache.pdfbox.contentstream.operator.Operator;
import org.apache.pdfbox.cos.COSBase;
import org.apache.pdfbox.cos.COSDictionary;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.graphics.form.PDFormXObject;
import org.apache.pdfbox.pdmodel.graphics.form.PDTransparencyGroup;
import org.apache.pdfbox.pdmodel.graphics.image.PDImage;
import org.apache.pdfbox.pdmodel.graphics.state.RenderingMode;
import org.apache.pdfbox.pdmodel.interactive.annotation.PDAnnotation;
import org.apache.pdfbox.util.Matrix;
import org.apache.pdfbox.util.Vector;

/**
 * One pass over a page's content (PDFBox's graphics stream engine) that records, in default user
 * space (points):
 * <ul>
 *   <li>{@link #occupied()}: boxes of everything the page paints: glyphs (font bounding box by
 *       advance, any rendering mode, invisible OCR text included), images, filled or stroked paths
 *       (widened by the line width), shading fills (the whole page), form XObjects' content, and
 *       the rectangles of annotations that are not hidden. Boxes over-estimate and clipping is
 *       ignored, so a region free of them is free of paint;</li>
 *   <li>how the content leaves the graphics state at its end ({@link #end()}), so that a stream
 *       appended after it can start from a clean state;</li>
 *   <li>the text shown inside marked-content sequences that {@link PdfPainter} draws
 *       ({@link #labels()}).</li>
 * </ul>
 * Text-showing operators outside {@code BT}/{@code ET} (malformed, yet drawn by viewers; PDFBox
 * skips them) are treated as poppler, pdf.js and MuPDF treat them: shown where the last text
 * object left off (the identity before any), so their glyphs count as content and cannot end up
 * under a label.
 */
final class PdfPageSurvey extends PDFGraphicsStreamEngine {

    /**
     * The state the page's own content leaves behind, at the page's top level.
     *
     * @param saves {@code q} not closed by a {@code Q}
     * @param strayRestores {@code Q} with no {@code q} open (viewers ignore them; a {@code q}
     *     prepended to the page would change what they restore)
     * @param markedContent marked-content sequences not closed by {@code EMC}
     * @param inText true when a {@code BT} has no {@code ET}
     * @param baseMatrix the transformation set outside any {@code q}/{@code Q}
     */
    record End(int saves, int strayRestores, int markedContent, boolean inText, Matrix baseMatrix) {
    }

    /**
     * Text found inside one of our marked-content sequences.
     *
     * @param text the Unicode of its visible glyphs, in order (glyphs without Unicode count as U+FFFD)
     * @param hidden true when a glyph is invisible (rendering mode 3 or 7) or its origin lies outside
     *     the crop box: such a label is not shown
     */
    record Found(String text, boolean hidden) {
    }

    private final PDRectangle cropBox;
    private final List<Rectangle2D> occupied = new ArrayList<>();
    private final List<Found> labels = new ArrayList<>();
    private final GeneralPath path = new GeneralPath();
    private final Deque<Boolean> marked = new ArrayDeque<>();
    private int nested;
    private int saves;
    private int strayRestores;
    private boolean inText;
    private Matrix baseMatrix = new Matrix();
    private Matrix afterText = new Matrix();
    private Matrix afterTextLine = new Matrix();
    private StringBuilder labelText;
    private boolean labelHidden;

    private PdfPageSurvey(PDPage page) {
        super(page);
        this.cropBox = page.getCropBox();
    }

    /** Surveys {@code page}: its content streams and its annotations' rectangles. */
    static PdfPageSurvey of(PDPage page) throws IOException {
        PdfPageSurvey survey = new PdfPageSurvey(page);
        survey.processPage(page);
        for (PDAnnotation annotation : page.getAnnotations()) {
            PDRectangle r = annotation.getRectangle();
            if (r != null && !annotation.isHidden() && !annotation.isNoView()) {
                survey.occupied.add(new Rectangle2D.Float(r.getLowerLeftX(), r.getLowerLeftY(), r.getWidth(), r.getHeight()));
            }
        }
        return survey;
    }

    List<Rectangle2D> occupied() {
        return List.copyOf(occupied);
    }

    List<Found> labels() {
        return List.copyOf(labels);
    }

    End end() {
        return new End(saves, strayRestores, marked.size(), inText, baseMatrix);
    }

    @Override
    protected void processOperator(Operator operator, List<COSBase> operands) throws IOException {
        String name = operator.getName();
        if (nested == 0) {
            switch (name) {
                case "q" -> saves++;
                case "Q" -> {
                    if (saves == 0) {
                        strayRestores++;
                    } else {
                        saves--;
                    }
                }
                case "BT" -> inText = true;
                case "ET" -> inText = false;
                default -> {
                    // other operators leave the nesting as it is
                }
            }
        }
        if (name.equals("ET") && getTextMatrix() != null) {
            afterText = getTextMatrix().clone();
            afterTextLine = getTextLineMatrix().clone();
        }
        if (isTextShowing(name) && getTextMatrix() == null) {
            // Outside BT/ET PDFBox ignores these; viewers (poppler, pdf.js, MuPDF) draw them where
            // the last text object left off. Count them there.
            setTextMatrix(afterText.clone());
            setTextLineMatrix(afterTextLine.clone());
        }
        if (name.equals("Q") && getGraphicsStackSize() <= 1) {
            return; // a stray Q: ignored, as viewers do (PDFBox would log a warning with a stack trace)
        }
        super.processOperator(operator, operands);
        if (nested == 0 && saves == 0 && name.equals("cm")) {
            baseMatrix = getGraphicsState().getCurrentTransformationMatrix().clone();
        }
    }

    private static boolean isTextShowing(String operator) {
        return operator.equals("Tj") || operator.equals("TJ") || operator.equals("'") || operator.equals("\"");
    }

    @Override
    public void showForm(PDFormXObject form) throws IOException {
        nested++;
        try {
            super.showForm(form);
        } finally {
            nested--;
        }
    }

    @Override
    public void showTransparencyGroup(PDTransparencyGroup form) throws IOException {
        nested++;
        try {
            super.showTransparencyGroup(form);
        } finally {
            nested--;
        }
    }

    @Override
    public void beginMarkedContentSequence(COSName tag, COSDictionary properties) {
        if (nested > 0) {
            return; // we draw on the page itself; a form's marked content is its own
        }
        boolean ours = PdfLabelStream.isOurs(tag, properties);
        marked.push(ours);
        if (ours && labelText == null) {
            labelText = new StringBuilder();
            labelHidden = false;
        }
    }

    @Override
    public void endMarkedContentSequence() {
        if (nested > 0 || marked.isEmpty()) {
            return; // a form's own, or a stray EMC
        }
        boolean ours = marked.pop();
        if (ours && !marked.contains(Boolean.TRUE)) {
            labels.add(new Found(labelText.toString(), labelHidden));
            labelText = null;
        }
    }

    @Override
    protected void showGlyph(Matrix trm, PDFont font, int code, Vector displacement) throws IOException {
        BoundingBox bbox = glyphSpaceBox(font);
        Matrix fontMatrix = font.getFontMatrix();
        float advance = displacement.getX() / fontMatrix.getScaleX();
        float x0 = Math.min(bbox.getLowerLeftX(), 0);
        float x1 = Math.max(bbox.getUpperRightX(), Float.isFinite(advance) ? advance : 0);
        GeneralPath box = new GeneralPath(new Rectangle2D.Float(x0, bbox.getLowerLeftY(), x1 - x0, bbox.getHeight()));
        box.transform(fontMatrix.createAffineTransform());
        box.transform(trm.createAffineTransform());
        occupied.add(box.getBounds2D());
        if (labelText != null) {
            String unicode = font.toUnicode(code);
            labelText.append(unicode == null ? "\uFFFD" : unicode);
            RenderingMode mode = getGraphicsState().getTextState().getRenderingMode();
            if (mode == RenderingMode.NEITHER || mode == RenderingMode.NEITHER_CLIP
                    || !cropBox.contains(trm.getTranslateX(), trm.getTranslateY())) {
                labelHidden = true;
            }
        }
    }

    /** The font's box in glyph space, or a generous em box when the font declares none. */
    private static BoundingBox glyphSpaceBox(PDFont font) throws IOException {
        BoundingBox b = font.getBoundingBox();
        float em = 1 / Math.abs(font.getFontMatrix().getScaleY() == 0 ? 0.001f : font.getFontMatrix().getScaleY());
        if (b == null || b.getHeight() <= 0 || b.getWidth() <= 0) {
            return new BoundingBox(0, -0.3f * em, em, em);
        }
        return b;
    }

    @Override
    public void appendRectangle(Point2D p0, Point2D p1, Point2D p2, Point2D p3) {
        path.moveTo(p0.getX(), p0.getY());
        path.lineTo(p1.getX(), p1.getY());
        path.lineTo(p2.getX(), p2.getY());
        path.lineTo(p3.getX(), p3.getY());
        path.closePath();
    }

    @Override
    public void drawImage(PDImage pdImage) {
        GeneralPath unit = new GeneralPath(new Rectangle2D.Float(0, 0, 1, 1));
        unit.transform(getGraphicsState().getCurrentTransformationMatrix().createAffineTransform());
        occupied.add(unit.getBounds2D());
    }

    @Override
    public void clip(int windingRule) {
        // Clipping is ignored: boxes may only grow, never hide paint.
    }

    @Override
    public void moveTo(float x, float y) {
        path.moveTo(x, y);
    }

    @Override
    public void lineTo(float x, float y) {
        if (path.getCurrentPoint() == null) {
            path.moveTo(x, y);
        } else {
            path.lineTo(x, y);
        }
    }

    @Override
    public void curveTo(float x1, float y1, float x2, float y2, float x3, float y3) {
        if (path.getCurrentPoint() == null) {
            path.moveTo(x3, y3);
        } else {
            path.curveTo(x1, y1, x2, y2, x3, y3);
        }
    }

    @Override
    public Point2D getCurrentPoint() {
        return path.getCurrentPoint();
    }

    @Override
    public void closePath() {
        if (path.getCurrentPoint() != null) {
            path.closePath();
        }
    }

    @Override
    public void endPath() {
        path.reset();
    }

    @Override
    public void strokePath() {
        paintPath(true);
    }

    @Override
    public void fillPath(int windingRule) {
        paintPath(false);
    }

    @Override
    public void fillAndStrokePath(int windingRule) {
        paintPath(true);
    }

    private void paintPath(boolean stroke) {
        if (path.getCurrentPoint() != null) {
            Rectangle2D b = path.getBounds2D();
            if (stroke) {
                Matrix ctm = getGraphicsState().getCurrentTransformationMatrix();
                double scale = Math.max(Math.hypot(ctm.getScaleX(), ctm.getShearY()), Math.hypot(ctm.getShearX(), ctm.getScaleY()));
                // a zero-width line is the thinnest the device draws: one pixel, taken as one point
                double half = Math.max(getGraphicsState().getLineWidth() * scale, 1) / 2 * Math.sqrt(2);
                b = new Rectangle2D.Double(b.getX() - half, b.getY() - half, b.getWidth() + 2 * half, b.getHeight() + 2 * half);
            }
            occupied.add(b);
        }
        path.reset();
    }

    @Override
    public void shadingFill(COSName shadingName) {
        // sh paints the whole clip; with clipping ignored, that is the whole page
        occupied.add(new Rectangle2D.Float(cropBox.getLowerLeftX(), cropBox.getLowerLeftY(), cropBox.getWidth(),
                cropBox.getHeight()));
    }

    /** The Unicode of the bytes {@code string} shown in {@code font}, for recognising older labels. */
    static String decode(PDFont font, byte[] string) throws IOException {
        StringBuilder text = new StringBuilder();
        InputStream in = new ByteArrayInputStream(string);
        while (in.available() > 0) {
            String unicode = font.toUnicode(font.readCode(in));
            text.append(unicode == null ? "\uFFFD" : unicode);
        }
        return text.toString();
    }
}
