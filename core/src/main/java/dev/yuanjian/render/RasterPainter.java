package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.container.Raster;
import dev.yuanjian.container.TextBody;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.AffineTransform;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Draws the visible label on raster images (any container with {@link Container#raster()}): decode,
 * draw the text on a semi-opaque box in the bottom-right corner, encode through the container
 * (which carries the original's metadata over), then record the drawn text as the XMP property
 * {@link #VISIBLE_LABEL}, because pixels cannot be read back as text. {@link #shows} reads only
 * that property: it reports our own visible label, not text some other tool drew.
 *
 * <p>GB 45438 asks for text at an edge or corner whose height is at least 5% of the image's
 * shortest side: the ink height of the drawn glyphs is at least {@link #textHeight} = max(5% of
 * the shortest side rounded up, 12 px). The corner is always the bottom-right, whatever edge is
 * asked for: the standard allows any corner, and that one hides least of a picture's subject. On
 * an image too narrow for the text, the text is cut at the left edge rather than made smaller
 * than the rule allows.
 *
 * <p>The text is the first candidate an installed font can show (Chinese wording needs a CJK
 * font; without one the next candidate, usually the English wording, is drawn). Pixels are drawn
 * on a copy in the original's own colour model, so a grey image stays grey and every pixel
 * outside the box keeps its value (before lossy re-encoding, for JPEG); palette images are drawn
 * in RGB(A), since a palette has no room for the box's shades.
 */
public final class RasterPainter implements Painter {
    /** Where the drawn text is recorded: {@code yjv:VisibleLabel}. */
    public static final MetadataKey VISIBLE_LABEL =
            new MetadataKey("VisibleLabel", "https://yuanjian.dev/ns/visible/1.0/", "yjv");

    private final Supplier<Font[]> installedFonts;
    /** The font found for text the logical font cannot show; looked up once per painter, as the scan is slow. */
    private volatile Font fallbackFont;

    /** A painter using the fonts installed on this machine. */
    public RasterPainter() {
        this(() -> GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts());
    }

    /** A painter choosing among {@code installedFonts} when the logical sans-serif font cannot show a text. */
    public RasterPainter(Supplier<Font[]> installedFonts) {
        this.installedFonts = installedFonts;
    }

    @Override
    public boolean paints(Container container) {
        return container.raster().filter(Raster::encodes).isPresent();
    }

    /** Always "": an image shows no text of its own to choose a language from. */
    @Override
    public String textSample(Asset asset, Container container) {
        return "";
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException when the container has no raster access or there are no candidates
     * @throws IllegalStateException when no installed font can show any candidate
     */
    @Override
    public Asset paint(Asset asset, Container container, List<String> candidates, TextBody.Edge edge)
            throws FormatException {
        if (candidates.isEmpty()) {
            throw new IllegalArgumentException("no text to draw: the candidate list is empty");
        }
        Raster raster = raster(container);
        if (!draws(asset, container, candidates)) {
            return asset;
        }
        Drawing drawing = drawOn(raster.decode(asset), raster.orientation(asset), candidates);
        return container.withMetadata(raster.encode(asset, drawing.pixels()), VISIBLE_LABEL, drawing.text());
    }

    /**
     * False when {@link #paint} would leave {@code asset} as it is: the label is shown already, or the
     * image is an animation (drawing re-encodes the first frame only; ExplicitLabelMark says why).
     */
    public boolean draws(Asset asset, Container container, List<String> candidates) throws FormatException {
        return !shows(asset, container, candidates) && raster(container).frames(asset) <= 1;
    }

    /** Pixels with the label drawn, and the wording drawn (record it under {@link #VISIBLE_LABEL} once encoded). */
    public record Drawing(BufferedImage pixels, String text) {
    }

    /**
     * The first candidate an installed font shows, drawn on a copy of {@code pixels} as {@link #paint}
     * does, for a caller that decodes and encodes once for several marks.
     *
     * @throws IllegalStateException when no installed font can show any candidate
     */
    public Drawing drawOn(BufferedImage pixels, int orientation, List<String> candidates) {
        for (String text : candidates) {
            Optional<Font> font = fontFor(text);
            if (font.isPresent()) {
                return new Drawing(draw(pixels, text, font.get(), orientation), text);
            }
        }
        throw new IllegalStateException("no installed font can show any of " + candidates
                + "; install one that covers them (for Chinese: apt-get install fonts-wqy-zenhei)");
    }

    @Override
    public boolean shows(Asset asset, Container container, List<String> candidates) throws FormatException {
        raster(container);
        return container.metadata(asset, VISIBLE_LABEL).map(candidates::contains).orElse(false);
    }

    private static Raster raster(Container container) {
        return container.raster().orElseThrow(() -> new IllegalArgumentException(
                "RasterPainter cannot paint " + container.format() + " files; ask paints() first"));
    }

    /** The ink height the label's text gets on a {@code width} x {@code height} image. */
    static int textHeight(int width, int height) {
        return Math.max((int) Math.ceil(Math.min(width, height) * 0.05), 12);
    }

    /**
     * Where the label's box goes on a {@code width} x {@code height} image as shown, with the font
     * size that gives {@code text} its ink height; the box may start left of 0 on a narrow image.
     */
    record Layout(Font font, Rectangle2D ink, int pad, Rectangle box) {
    }

    static Layout layout(int width, int height, String text, Font base, FontRenderContext frc) {
        int target = textHeight(width, height);
        // Scale the font until the ink of this very text is at least the target height.
        Font font = base.deriveFont((float) target);
        Rectangle2D ink = new TextLayout(text, font, frc).getBounds();
        if (ink.getHeight() > 0 && ink.getHeight() < target) {
            font = base.deriveFont((float) Math.ceil(target * target / ink.getHeight()));
            ink = new TextLayout(text, font, frc).getBounds();
        }
        int pad = Math.max(2, target / 4);
        int boxW = (int) Math.ceil(ink.getWidth()) + 2 * pad;
        int boxH = (int) Math.ceil(ink.getHeight()) + 2 * pad;
        int margin = Math.max(1, target / 4);
        return new Layout(font, ink, pad, new Rectangle(width - margin - boxW, height - margin - boxH, boxW, boxH));
    }

    /** The box's pixels in stored coordinates: {@link Layout#box} on the shown image, turned back by {@code orientation}. */
    static Rectangle storedBox(BufferedImage source, String text, Font base, int orientation) {
        Graphics2D g = source.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            boolean turned = orientation >= 5;
            int shownW = turned ? source.getHeight() : source.getWidth();
            int shownH = turned ? source.getWidth() : source.getHeight();
            Rectangle box = layout(shownW, shownH, text, base, g.getFontRenderContext()).box();
            return shownToStored(orientation, source.getWidth(), source.getHeight()).createTransformedShape(box).getBounds();
        } finally {
            g.dispose();
        }
    }

    /**
     * A copy of {@code source} with {@code text} in {@code base} drawn in the bottom-right corner of
     * the image as shown under Exif {@code orientation} (1..8).
     */
    static BufferedImage draw(BufferedImage source, String text, Font base, int orientation) {
        BufferedImage out = copy(source);
        drawInto(out, 0, 0, out.getWidth(), out.getHeight(), text, base, orientation);
        return out;
    }

    /**
     * Draws the label of a {@code w} x {@code h} image (stored size) on {@code window}, the part of
     * it whose top-left stored pixel is ({@code x0}, {@code y0}); returns the box in stored
     * coordinates (nothing is drawn outside it).
     */
    private static Rectangle drawInto(BufferedImage window, int x0, int y0, int w, int h, String text, Font base,
                                      int orientation) {
        boolean turned = orientation >= 5;
        int shownW = turned ? h : w;
        int shownH = turned ? w : h;
        Graphics2D g = window.createGraphics();
        try {
            g.translate(-x0, -y0);
            AffineTransform toStored = shownToStored(orientation, w, h);
            g.transform(toStored);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            Layout layout = layout(shownW, shownH, text, base, g.getFontRenderContext());
            Rectangle box = layout.box();
            g.setClip(Math.max(box.x, 0), Math.max(box.y, 0), box.width, box.height);
            g.setColor(new Color(0, 0, 0, 160));
            g.fillRect(box.x, box.y, box.width, box.height);
            g.setColor(Color.WHITE);
            g.setFont(layout.font());
            g.drawString(text, (float) (box.x + layout.pad() - layout.ink().getX()),
                    (float) (box.y + layout.pad() - layout.ink().getY()));
            return toStored.createTransformedShape(new Rectangle(Math.max(box.x, 0), Math.max(box.y, 0), box.width,
                    box.height)).getBounds();
        } finally {
            g.dispose();
        }
    }

    /**
     * The first candidate an installed font shows, drawn on a baseline JPEG's coefficients: only
     * the MCUs under the label's box are decoded ({@link JpegCoefficients#pixels}), drawn on as
     * {@link #drawOn(BufferedImage, int, List)} draws, and the change is added back to their
     * blocks ({@link JpegCoefficients#addChange}); every other block keeps its coefficients.
     * Returns the wording drawn.
     *
     * @throws IllegalStateException when no installed font can show any candidate, or the JPEG is
     *                               not grey or Y Cb Cr
     */
    public String drawOn(JpegCoefficients image, int orientation, List<String> candidates) {
        for (String text : candidates) {
            Optional<Font> font = fontFor(text);
            if (font.isEmpty()) {
                continue;
            }
            int w = image.width();
            int h = image.height();
            // Where the box falls, found by drawing on a 1 x 1 window: the same layout, nothing kept.
            Rectangle box = drawInto(new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB), 0, 0, w, h, text, font.get(),
                    orientation);
            int mw = 8 * image.maxH();
            int mh = 8 * image.maxV();
            int x0 = Math.max(0, Math.floorDiv(box.x, mw) * mw);
            int y0 = Math.max(0, Math.floorDiv(box.y, mh) * mh);
            int x1 = Math.min(w, Math.ceilDiv(box.x + box.width, mw) * mw);
            int y1 = Math.min(h, Math.ceilDiv(box.y + box.height, mh) * mh);
            Rectangle region = new Rectangle(x0, y0, x1 - x0, y1 - y0);
            BufferedImage before = image.pixels(region);
            BufferedImage after = copy(before);
            drawInto(after, x0, y0, w, h, text, font.get(), orientation);
            image.addChange(region, before, after);
            return text;
        }
        throw new IllegalStateException("no installed font can show any of " + candidates
                + "; install one that covers them (for Chinese: apt-get install fonts-wqy-zenhei)");
    }

    /**
     * Maps a point of the image as shown to the stored image of {@code w} x {@code h} pixels, for
     * Exif orientation 1..8 (TIFF 6.0 / Exif 2.3: where the stored 0th row and column are shown).
     */
    static AffineTransform shownToStored(int orientation, int w, int h) {
        // AffineTransform(m00, m10, m01, m11, m02, m12): stored x = m00*x' + m01*y' + m02, y = m10*x' + m11*y' + m12.
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, -1, 1, 0, 0, h);
            case 7 -> new AffineTransform(0, -1, -1, 0, w, h);
            case 8 -> new AffineTransform(0, 1, -1, 0, w, 0);
            default -> new AffineTransform();
        };
    }

    /** {@code source}'s pixels in a new image of its colour model (RGB or ARGB for a palette image). */
    private static BufferedImage copy(BufferedImage source) {
        ColorModel cm = source.getColorModel();
        if (!(cm instanceof IndexColorModel)) {
            return new BufferedImage(cm, source.copyData(null), cm.isAlphaPremultiplied(), null);
        }
        int w = source.getWidth();
        int h = source.getHeight();
        BufferedImage rgb = new BufferedImage(w, h, cm.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        // Row by row through getRGB/setRGB: drawImage would blend translucent pixels and round them.
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            source.getRGB(0, y, w, 1, row, 0, w);
            rgb.setRGB(0, y, w, 1, row, 0, w);
        }
        return rgb;
    }

    /** A bold font that shows every character of {@code text}, or empty when none is installed. */
    Optional<Font> fontFor(String text) {
        Font plain = new Font(Font.SANS_SERIF, Font.BOLD, 12);
        if (plain.canDisplayUpTo(text) == -1) {
            return Optional.of(plain);
        }
        Font cached = fallbackFont;
        if (cached != null && cached.canDisplayUpTo(text) == -1) {
            return Optional.of(cached);
        }
        for (Font f : installedFonts.get()) {
            if (f.canDisplayUpTo(text) == -1) {
                Font found = f.deriveFont(Font.BOLD, 12f);
                fallbackFont = found;
                return Optional.of(found);
            }
        }
        return Optional.empty();
    }
}
