package dev.yuanjian.container;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

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

    /** How to read the first image once its size has been checked. */
    @FunctionalInterface
    interface Reading {
        BufferedImage read(ImageReader reader) throws IOException, FormatException;
    }

    /**
     * The pixels of {@code bytes}, in the colour model the decoder gives (8-bit grey stays grey).
     *
     * @throws FormatException when no decoder takes the bytes, the image is larger than
     *                         {@link #MAX_PIXELS} or the data is damaged
     */
    static BufferedImage decode(byte[] bytes, String where) throws FormatException {
        return decode(bytes, where, true, reader -> reader.read(0));
    }

    /**
     * The pixels {@code reading} takes from the first image of {@code bytes}, after the size check;
     * the decoder parses the format's metadata only when not {@code ignoreMetadata} (a PNG's text
     * chunks would be inflated: leave them alone unless the metadata is needed).
     *
     * @throws FormatException as {@link #decode(byte[], String)}
     */
    static BufferedImage decode(byte[] bytes, String where, boolean ignoreMetadata, Reading reading) throws FormatException {
        // In memory: ImageIO's default stream caches to a temporary file, which costs a copy to disk per
        // image and leaves the user's pixels in /tmp while it runs.
        try (ImageInputStream in = new javax.imageio.stream.MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new FormatException(where + ": no image decoder accepts these bytes");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, ignoreMetadata);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels <= 0 || pixels > MAX_PIXELS) {
                    throw new FormatException(where + ": image of " + reader.getWidth(0) + " x " + reader.getHeight(0)
                            + " pixels is outside the supported size (at most " + MAX_PIXELS + " pixels); scale it down first");
                }
                requireMemory(reader.getWidth(0), reader.getHeight(0), bytesPerPixel(reader),
                        Runtime.getRuntime().maxMemory() / 2, where);
                BufferedImage image = reading.read(reader);
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

    /**
     * Refuses an image whose pixels would not fit in {@code budget} bytes, decoded and once more as
     * the copy the label is drawn on (in the image's own model, or 4-byte RGB(A) for a palette). A
     * 10,000 x 10,000 RGBA image at 16 bits per sample is 800 MB decoded, well inside the pixel
     * count limit, and ran a 1 GB server out of memory.
     */
    static void requireMemory(long width, long height, long bytesPerPixel, long budget, String where)
            throws FormatException {
        long needed = width * height * (bytesPerPixel + Math.max(bytesPerPixel, 4));
        if (needed > budget) {
            throw new FormatException(where + ": labelling an image of " + width + " x " + height + " pixels at "
                    + bytesPerPixel + " bytes per pixel needs about " + (needed >> 20) + " MiB of memory, more than the "
                    + (budget >> 20) + " MiB this process gives one image; scale it down (or to 8 bits per sample), "
                    + "or run with a larger heap (YUANJIAN_JAVA_OPTS=-Xmx8g)");
        }
    }

    /** Bytes one pixel takes once decoded, from the header's image type (4 when the decoder names none). */
    static long bytesPerPixel(ImageReader reader) throws IOException {
        javax.imageio.ImageTypeSpecifier type = reader.getRawImageType(0);
        if (type == null) {
            Iterator<javax.imageio.ImageTypeSpecifier> types = reader.getImageTypes(0);
            type = types.hasNext() ? types.next() : null;
        }
        if (type == null) {
            return 4; // a four-component JPEG, read as its coded samples
        }
        java.awt.image.SampleModel model = type.getSampleModel(1, 1);
        int bytes = java.awt.image.DataBuffer.getDataTypeSize(model.getDataType()) / 8;
        boolean packed = model instanceof java.awt.image.SinglePixelPackedSampleModel
                || model instanceof java.awt.image.MultiPixelPackedSampleModel;
        return Math.max(1, packed ? bytes : (long) bytes * model.getNumBands());
    }

    static byte[] encodePng(BufferedImage image, String where) throws FormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Iterator<javax.imageio.ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
        if (!writers.hasNext()) {
            throw new FormatException(where + ": no PNG encoder is installed in this Java runtime");
        }
        javax.imageio.ImageWriter writer = writers.next();
        try (javax.imageio.stream.ImageOutputStream ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(image);
        } catch (IOException | RuntimeException e) {
            throw new FormatException(where + ": the image could not be encoded as PNG (" + e.getMessage() + ")", e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
