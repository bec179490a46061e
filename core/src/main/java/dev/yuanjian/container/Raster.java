package dev.yuanjian.container;

import java.awt.image.BufferedImage;

/**
 * Pixel access for a raster image format. Decoding checks the dimensions before allocating pixels
 * (a forged header must not exhaust memory); encoding keeps the original's metadata blocks that the
 * container knows how to carry over.
 */
public interface Raster {

    /** The pixels; {@link FormatException} when undecodable or larger than the supported size. */
    BufferedImage decode(Asset asset) throws FormatException;

    /**
     * How a viewer turns the stored pixels to show them: the Exif orientation, 1 (as stored) to 8;
     * 1 when the file says nothing (the default) or says it unreadably.
     *
     * @throws FormatException when the file's structure is damaged
     */
    default int orientation(Asset asset) throws FormatException {
        return 1;
    }

    /**
     * How many frames the image has: more than 1 for an animation (an APNG's {@code acTL}), which
     * {@link #decode} and {@link #encode} cannot keep (they read and write the first frame only), so
     * marks that change pixels leave it alone. 1 by default.
     *
     * @throws FormatException when the file's structure is damaged
     */
    default int frames(Asset asset) throws FormatException {
        return 1;
    }

    /**
     * False for a format this product reads but cannot write (WebP: decoded through TwelveMonkeys'
     * reader, and no WebP encoder exists for the JVM): marks that change pixels skip it, detectors
     * still read it. {@link #encode} then always fails.
     */
    default boolean encodes() {
        return true;
    }

    /**
     * The file's quantised DCT coefficients, for marks that change them instead of decoded pixels
     * (no codec round trip, no generation loss outside what they change): present for a baseline
     * JPEG that {@link JpegCoefficients} reads and that {@link #decode} would decode; empty otherwise
     * (the default), and then the pixels are the way.
     *
     * @throws FormatException when the file's structure is damaged
     */
    default java.util.Optional<JpegCoefficients> coefficients(Asset asset) throws FormatException {
        return java.util.Optional.empty();
    }

    /**
     * {@code original} with its image data written anew from {@code coefficients} (read from it by
     * {@link #coefficients}, then changed); every metadata segment is kept byte for byte.
     *
     * @throws UnsupportedOperationException when {@link #coefficients} is always empty for this format
     */
    default Asset encode(Asset original, JpegCoefficients coefficients) throws FormatException {
        throw new UnsupportedOperationException("this format has no DCT coefficients to write");
    }

    /** {@code original} with its pixels replaced by {@code pixels} (same size), metadata carried over. */
    Asset encode(Asset original, BufferedImage pixels) throws FormatException;
}
