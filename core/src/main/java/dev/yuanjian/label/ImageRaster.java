package dev.yuanjian.label;

import java.awt.Color;
import java.awt.Font;
import java.awt.GraphicsEnvironment;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.TextLayout;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;

/**
 * The visible label on an image: decode with {@code javax.imageio}, draw the wording in the
 * bottom-right corner on a semi-opaque box, encode again. Shared by {@link PngCodec} and
 * {@link JpegCodec}.
 *
 * <p>GB 45438 asks for text at an edge or corner whose height is at least 5% of the image's
 * shortest side: the glyphs' measured ink height here is {@link #textHeight} = max(5% of the
 * shortest side rounded up, 12 px). Chinese wording is used when an installed font can show it,
 * else the English wording. On an image too narrow for the text the text is cut at the left edge
 * rather than made smaller than the rule allows. Pixels are carried over as 8-bit sRGB: a 16-bit
 * PNG comes back with 8 bits per channel.
 */
final class ImageRaster {
    /** Refuse to decode more pixels than this (a 10,000 x 10,000 image): a forged header must not exhaust memory. */
    static final long MAX_PIXELS = 100_000_000L;
    private static volatile Font cjkFont;

    private ImageRaster() {
    }

    static int textHeight(int width, int height) {
        return Math.max((int) Math.ceil(Math.min(width, height) * 0.05), 12);
    }

    static BufferedImage decode(byte[] bytes, String where) throws LabelFormatException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new LabelFormatException(where + ": no image decoder accepts these bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels <= 0 || pixels > MAX_PIXELS) {
                    throw new LabelFormatException(where + ": image of " + reader.getWidth(0) + " x "
                            + reader.getHeight(0) + " pixels is outside the supported size (at most " + MAX_PIXELS + " pixels)");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new LabelFormatException(where + ": the image could not be decoded");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new LabelFormatException(where + ": the image could not be decoded (" + e.getMessage() + ")", e);
        }
    }

    /**
     * A copy of {@code source} (as RGB, or ARGB when it has alpha) with {@code wording} drawn in
     * the bottom-right corner.
     */
    static BufferedImage drawLabel(BufferedImage source, ExplicitLabel explicit) {
        int w = source.getWidth();
        int h = source.getHeight();
        boolean alpha = source.getColorModel().hasAlpha();
        BufferedImage out = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            // A straight copy, row by row: drawImage would blend translucent pixels and round them.
            int[] row = new int[w];
            for (int y = 0; y < h; y++) {
                source.getRGB(0, y, w, 1, row, 0, w);
                out.setRGB(0, y, w, 1, row, 0, w);
            }
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            String text = wording(explicit);
            Font base = fontFor(text);
            FontRenderContext frc = g.getFontRenderContext();
            int target = textHeight(w, h);
            // Scale the font until the ink of this very text is at least the target height.
            Font font = base.deriveFont((float) target);
            Rectangle2D ink = new TextLayout(text, font, frc).getBounds();
            if (ink.getHeight() > 0 && ink.getHeight() < target) {
                font = base.deriveFont((float) (target * target / ink.getHeight()));
                ink = new TextLayout(text, font, frc).getBounds();
            }
            int pad = Math.max(2, target / 4);
            int boxW = (int) Math.ceil(ink.getWidth()) + 2 * pad;
            int boxH = (int) Math.ceil(ink.getHeight()) + 2 * pad;
            int margin = Math.max(1, target / 4);
            int boxX = w - margin - boxW;
            int boxY = h - margin - boxH;
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

    /** Chinese wording when a font can display it, else English. */
    static String wording(ExplicitLabel explicit) {
        return fontFor(explicit.chinese()).canDisplayUpTo(explicit.chinese()) == -1 ? explicit.chinese() : explicit.english();
    }

    private static Font fontFor(String text) {
        Font plain = new Font(Font.SANS_SERIF, Font.BOLD, 12);
        if (plain.canDisplayUpTo(text) == -1) {
            return plain;
        }
        Font cached = cjkFont;
        if (cached != null && cached.canDisplayUpTo(text) == -1) {
            return cached;
        }
        for (Font f : GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
            if (f.canDisplayUpTo(text) == -1) {
                cjkFont = f.deriveFont(Font.BOLD, 12f);
                return cjkFont;
            }
        }
        return plain;
    }

    static byte[] encodePng(BufferedImage image) throws LabelFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new LabelFormatException("no PNG encoder available");
            }
        } catch (IOException e) {
            throw new LabelFormatException("the image could not be encoded as PNG (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }

    static byte[] encodeJpeg(BufferedImage image, float quality) throws LabelFormatException {
        BufferedImage rgb = image;
        if (image.getColorModel().hasAlpha()) {
            rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = rgb.createGraphics();
            g.drawImage(image, 0, 0, Color.WHITE, null);
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(rgb, null, null), param);
        } catch (IOException e) {
            throw new LabelFormatException("the image could not be encoded as JPEG (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
