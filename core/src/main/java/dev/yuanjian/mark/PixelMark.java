package dev.yuanjian.mark;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.JpegCoefficients;
import java.awt.image.BufferedImage;
import java.util.Optional;

/**
 * A mark that changes an image's pixels: the visible label drawn on a raster, the invisible
 * watermark. The pipeline decodes the image once, lets every such mark change the same pixels in
 * stage order, and encodes once; each mark decoding and re-encoding on its own cost a JPEG codec
 * round trip per mark (two thirds of labelling a 12-megapixel photo) and a generation of JPEG loss.
 * {@link #apply} stays the mark's whole operation for anyone calling it alone.
 */
public interface PixelMark extends Mark {

    /** True when this mark changes the pixels of {@code container}'s files (and can do it through {@link #paint}). */
    boolean changesPixels(Container container);

    /**
     * This mark on {@code pixels}, decoded from {@code asset} (whose metadata is still the
     * original's) and shown under Exif {@code orientation}: the changed pixels (the same image
     * changed in place, or a new one) and what to write once they are encoded; empty when the mark
     * leaves the image as it is, already there or unable ({@link #unfit} then says which).
     */
    Optional<Painted> paint(Asset asset, Container container, BufferedImage pixels, int orientation, Issuance issuance)
            throws FormatException;

    /**
     * True when this mark can do on {@code coefficients} (a baseline JPEG's, {@link
     * dev.yuanjian.container.Raster#coefficients}) what {@link #paint} does on pixels. The pipeline
     * then changes the coefficients for every mark of the pass, or, when one cannot, decodes the
     * pixels for all. False by default.
     */
    default boolean paintsCoefficients(Container container, JpegCoefficients coefficients) {
        return false;
    }

    /**
     * {@link #paint} on a JPEG's coefficients, changed in place: what to write once they are encoded,
     * or empty when the mark leaves the image as it is (already there, or unable: {@link #unfit}).
     * Only called when {@link #paintsCoefficients} is true.
     */
    default Optional<AfterEncode> paint(Asset asset, Container container, JpegCoefficients coefficients, int orientation,
                                        Issuance issuance) throws FormatException {
        throw new UnsupportedOperationException(name() + " does not change JPEG coefficients");
    }

    /** Changed pixels, and what the mark writes after they are encoded (the visible label records its text). */
    record Painted(BufferedImage pixels, AfterEncode after) {
    }

    /** A step on the encoded file (metadata only: it must not change pixels). */
    @FunctionalInterface
    interface AfterEncode {
        AfterEncode NOTHING = (encoded, container) -> encoded;

        Asset apply(Asset encoded, Container container) throws FormatException;
    }
}
