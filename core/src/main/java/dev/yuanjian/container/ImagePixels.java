package dev.yuanjian.container;

import java.awt.Color;
import java.awt.Graphics2D;
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
 * Pixels in and out of {@code javax.imageio} for the raster containers: decoding checks the size
 * the header declares before any pixel is allocated; encoding writes only the image itself (the
 * containers put the original's metadata back around it).
 */
final class ImagePixels {
    /** Refuse to decode more pixels than this (a 10,000 x 10,000 image): a forged header must not exhaust memory. */
    static final long MAX_PIXELS = 100_000_000L;

    private ImagePixels() {
    }

    /**
     * The pixels of {@code bytes}, in the colour model the decoder gives (8-bit grey stays grey).
     *
     * @throws FormatException when no decoder takes the bytes, the image is larger than
     *                         {@link #MAX_PIXELS} or the data is damaged
     */
    static BufferedImage decode(byte[] bytes, String where) throws FormatException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FormatException(where + ": no image decoder accepts these bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels <= 0 || pixels > MAX_PIXELS) {
                    throw new FormatException(where + ": image of " + reader.getWidth(0) + " x " + reader.getHeight(0)
                            + " pixels is outside the supported size (at most " + MAX_PIXELS + " pixels); scale it down first");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw new FormatException(where + ": the image could not be decoded");
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            throw new FormatException(where + ": the image could not be decoded (" + e.getMessage()
                    + "); check that the file is complete", e);
        }
    }

    static byte[] encodePng(BufferedImage image, String where) throws FormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, "png", out)) {
                throw new FormatException(where + ": no PNG encoder takes an image of type " + image.getType());
            }
        } catch (IOException | RuntimeException e) {
            throw new FormatException(where + ": the image could not be encoded as PNG (" + e.getMessage() + ")", e);
        }
        return out.toByteArray();
    }

    /** JPEG at {@code quality}; an image with alpha is flattened onto white first (JPEG has no alpha). */
    static byte[] encodeJpeg(BufferedImage image, float quality, String where) throws FormatException {
        BufferedImage opaque = image;
        if (image.getColorModel().hasAlpha()) {
            opaque = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
            Graphics2D g = opaque.createGraphics();
            g.drawImage(image, 0, 0, Color.WHITE, null);
            g.dispose();
        }
        Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
        if (!writers.hasNext()) {
            throw new FormatException(where + ": no JPEG encoder is installed in this Java runtime");
        }
        ImageWriter writer = writers.next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(opaque, null, null), param);
        } catch (IOException | RuntimeException e) {
            throw new FormatException(where + ": the image could not be encoded as JPEG (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
