/**
 * The invisible image watermark: a keyed, periodic spread-spectrum pattern in an image's luma that
 * carries a 64-bit {@link dev.yuanjian.watermark.Payload} naming the log entry, and survives
 * re-compression, resizing, cropping and changes of brightness and contrast.
 * {@link dev.yuanjian.watermark.ImageWatermark} embeds and detects it on pixels, and embeds the same
 * watermark in a baseline JPEG's DCT coefficients (a scaled decoding for the mask, the change added
 * through {@link dev.yuanjian.container.JpegCoefficients}) without a pixel round trip;
 * {@code TileLayout} derives the tile from the key; {@code ConvolutionalCode} is the error
 * correction.
 *
 * <p>Owns: the watermark's signal, its payload and error correction, the producer's watermark key.
 * Must not touch: file formats (pixels arrive decoded through a container's
 * {@link dev.yuanjian.container.Raster}, coefficients through {@code JpegCoefficients}), the transparency log (the payload names a content id; the
 * verifier looks it up).
 */
package dev.yuanjian.watermark;
