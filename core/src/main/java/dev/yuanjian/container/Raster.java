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

    /** {@code original} with its pixels replaced by {@code pixels} (same size), metadata carried over. */
    Asset encode(Asset original, BufferedImage pixels) throws FormatException;
}
