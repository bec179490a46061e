package dev.yuanjian.render;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.container.Raster;
import dev.yuanjian.container.TextBody;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.GraphicsEnvironment;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
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
        return container.raster().isPresent();
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
        if (shows(asset, container, candidates)) {
            return asset;
        }
        for (String text : candidates) {
            Optional<Font> font = fontFor(text);
            if (font.isPresent()) {
                BufferedImage drawn = draw(raster.decode(asset), text, font.get());
                return container.withMetadata(raster.encode(asset, drawn), VISIBLE_LABEL, text);
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

    /** A copy of {@code source} with {@code text} in {@code base} drawn in the bottom-right corner. */
    static BufferedImage draw(BufferedImage source, String text, Font base) {
        BufferedImage out = copy(source);
        int w = out.getWidth();
        int h = out.getHeight();
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            FontRenderContext frc = g.getFontRenderContext();
            int target = textHeight(w, h);
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
            int boxX = w - margin - boxW;
            int boxY = h - margin - boxH;
            g.setClip(Math.max(boxX, 0), Math.max(boxY, 0), boxW, boxH);
            g.setColor(new Color(0, 0, 0, 160));
            g.fillRect(boxX, boxY, boxW, boxH);
            g.setColor(Color.WHITE);
            g.setFont(font);
            g.drawString(text, (float) (boxX + pad - ink.getX()), (float) (boxY + pad - ink.getY()));
        } finally {
            g.dispose();
        }
        return out;
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
    private Optional<Font> fontFor(String text) {
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
