package dev.yuanjian.render;

import java.awt.geom.AffineTransform;
import java.awt.geom.NoninvertibleTransformException;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.fontbox.util.BoundingBox;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.util.Matrix;

/**
 * Where a label goes on one page, in the page's <em>display frame</em>: points, origin at the
 * bottom-left of the crop box as a viewer shows it ({@code /Rotate} applied), x to the right, y up.
 * {@link #display()} maps that frame to default user space.
 *
 * <p>The label is a band across the whole width at the chosen edge: {@code pad} above and below
 * the lines, lines {@code lineHeight} apart, starting {@code side} from the left. When that band
 * of the page is free of paint ({@link PdfPageSurvey#occupied()}) the label is drawn in it;
 * otherwise the band is added to the page beyond that edge ({@link #grow()}: the crop box and
 * media box extended), so the label never covers anything the page shows.
 *
 * @param display display frame to user space
 * @param fontSize points: {@value #SIZE_PER_POINT} of the page's shorter side, within
 *     [{@value #MIN_SIZE}, {@value #MAX_SIZE}] (10 pt on A4 and Letter)
 * @param lines the wording wrapped to the width, at least one line
 * @param band the label's band in the display frame (beyond the crop box when {@code grow})
 * @param grow true when the band is added to the page
 * @param baselines one baseline per line, display y
 * @param side display x where each line starts
 */
record PdfLabelLayout(Matrix display, float fontSize, List<String> lines, Rectangle2D band,
        boolean grow, List<Float> baselines, float side) {

    static final float SIZE_PER_POINT = 1 / 60f;
    static final float MIN_SIZE = 8;
    static final float MAX_SIZE = 24;

    PdfLabelLayout {
        lines = List.copyOf(lines);
        baselines = List.copyOf(baselines);
    }

    /**
     * The layout of {@code text} in {@code font} at the top ({@code top}) or bottom of a page with
     * crop box {@code crop} and rotation {@code rotation} (degrees clockwise), given the boxes the
     * page already paints, in user space.
     */
    static PdfLabelLayout of(PDRectangle crop, int rotation, List<Rectangle2D> occupied, PDFont font, String text,
            boolean top) throws IOException {
        Matrix display = displayFrame(crop, rotation);
        boolean turned = quarterTurns(rotation) % 2 == 1;
        float w = turned ? crop.getHeight() : crop.getWidth();
        float h = turned ? crop.getWidth() : crop.getHeight();
        float size = Math.clamp(Math.round(Math.min(w, h) * SIZE_PER_POINT * 2) / 2f, MIN_SIZE, MAX_SIZE);
        float side = Math.min(3.6f * size, w / 8);
        List<String> lines = wrap(font, size, text, Math.max(w - 2 * side, size));
        BoundingBox bbox = font.getBoundingBox();
        float ascent = bbox.getUpperRightY() / 1000 * size;
        float descent = -bbox.getLowerLeftY() / 1000 * size;
        float lineHeight = Math.clamp(ascent + descent, 1.2f * size, 2 * size);
        ascent = Math.clamp(ascent, 0.7f * size, lineHeight);
        float pad = size / 2;
        float height = (float) Math.ceil(2 * pad + lines.size() * lineHeight);

        Rectangle2D inside = new Rectangle2D.Float(0, top ? h - height : 0, w, height);
        boolean grow = height > h || intersectsAny(inside, display, occupied);
        Rectangle2D band = !grow ? inside : new Rectangle2D.Float(0, top ? h : -height, w, height);
        List<Float> baselines = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            baselines.add((float) (band.getMaxY() - pad - ascent - i * lineHeight));
        }
        return new PdfLabelLayout(display, size, lines, band, grow, baselines, side);
    }

    /** The band in default user space. */
    PDRectangle userBand() {
        Rectangle2D r = display.createAffineTransform().createTransformedShape(band).getBounds2D();
        return new PDRectangle((float) r.getX(), (float) r.getY(), (float) r.getWidth(), (float) r.getHeight());
    }

    /**
     * The display frame: maps display coordinates to user space. {@code /Rotate} turns the page
     * clockwise, so at 90 the visual top is the crop box's left edge, at 180 its bottom, at 270 its
     * right edge.
     */
    static Matrix displayFrame(PDRectangle c, int rotation) {
        return switch (quarterTurns(rotation)) {
            case 1 -> new Matrix(0, 1, -1, 0, c.getUpperRightX(), c.getLowerLeftY());
            case 2 -> new Matrix(-1, 0, 0, -1, c.getUpperRightX(), c.getUpperRightY());
            case 3 -> new Matrix(0, -1, 1, 0, c.getLowerLeftX(), c.getUpperRightY());
            default -> new Matrix(1, 0, 0, 1, c.getLowerLeftX(), c.getLowerLeftY());
        };
    }

    /** 0 to 3; a rotation that is not a multiple of 90 (invalid) counts as none, as before. */
    static int quarterTurns(int rotation) {
        int r = Math.floorMod(rotation, 360);
        return r % 90 == 0 ? r / 90 : 0;
    }

    private static boolean intersectsAny(Rectangle2D region, Matrix display, List<Rectangle2D> occupied) {
        AffineTransform toDisplay;
        try {
            toDisplay = display.createAffineTransform().createInverse();
        } catch (NoninvertibleTransformException e) {
            throw new IllegalStateException("a display frame is a rotation and a shift", e);
        }
        for (Rectangle2D box : occupied) {
            Rectangle2D d = toDisplay.createTransformedShape(box).getBounds2D();
            if (region.intersects(d) || (d.isEmpty() && region.contains(d.getX(), d.getY()))) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code text} in lines no wider than {@code width} points: broken after spaces and around CJK
     * characters, and inside a word only when the word alone is wider than the line.
     */
    static List<String> wrap(PDFont font, float size, String text, float width) throws IOException {
        List<String> pieces = pieces(text);
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String piece : pieces) {
            String candidate = line + piece;
            if (line.isEmpty() || width(font, size, candidate.stripTrailing()) <= width) {
                line.append(piece);
                continue;
            }
            lines.add(line.toString().strip());
            line.setLength(0);
            line.append(piece);
        }
        if (!line.toString().isBlank()) {
            lines.add(line.toString().strip());
        }
        List<String> fitted = new ArrayList<>();
        for (String l : lines) {
            fitted.addAll(breakInside(font, size, l, width));
        }
        return fitted.isEmpty() ? List.of(text.strip()) : fitted;
    }

    /** Pieces that may start a line: a word with its trailing spaces, or one CJK character. */
    private static List<String> pieces(String text) {
        List<String> pieces = new ArrayList<>();
        StringBuilder piece = new StringBuilder();
        int[] cps = text.codePoints().toArray();
        for (int i = 0; i < cps.length; i++) {
            int cp = cps[i];
            boolean cjk = cp >= 0x2E80;
            if (cjk && !piece.isEmpty()) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
            piece.appendCodePoint(cp);
            boolean nextStartsWord = i + 1 < cps.length && !Character.isWhitespace(cps[i + 1]);
            if (cjk || (Character.isWhitespace(cp) && nextStartsWord)) {
                pieces.add(piece.toString());
                piece.setLength(0);
            }
        }
        if (!piece.isEmpty()) {
            pieces.add(piece.toString());
        }
        return pieces;
    }

    /** A line cut between characters where it is still too wide (one long word). */
    private static List<String> breakInside(PDFont font, float size, String line, float width) throws IOException {
        if (width(font, size, line) <= width) {
            return List.of(line);
        }
        List<String> out = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int cp : line.codePoints().toArray()) {
            String next = part.toString() + Character.toString(cp);
            if (!part.isEmpty() && width(font, size, next) > width) {
                out.add(part.toString());
                part.setLength(0);
            }
            part.appendCodePoint(cp);
        }
        out.add(part.toString());
        return out;
    }

    static float width(PDFont font, float size, String text) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }
}
