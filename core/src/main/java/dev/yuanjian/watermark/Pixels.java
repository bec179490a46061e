package dev.yuanjian.watermark;

import dev.yuanjian.container.JpegCoefficients;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.DataBufferByte;
import java.awt.image.DirectColorModel;
import java.awt.image.PixelInterleavedSampleModel;
import java.awt.image.WritableRaster;
import java.util.Optional;

/**
 * Luma in and out of a {@link BufferedImage}: read it averaged onto a coarser working grid, and add
 * a luma change to every colour sample (alpha untouched). Works on RGB and grey images of 8 or 16
 * bits per sample, interleaved or packed; other colour models (palette, CMYK) cannot take a small
 * change of brightness and are refused by {@link #unsupported}.
 */
final class Pixels {
    private Pixels() {
    }

    /** Why {@code image} cannot carry a luma watermark, or empty when it can. */
    static Optional<String> unsupported(BufferedImage image) {
        ColorModel model = image.getColorModel();
        int type = model.getColorSpace().getType();
        if (!(model instanceof ComponentColorModel || model instanceof DirectColorModel)) {
            return Optional.of("palette images cannot take the watermark's small changes of brightness");
        }
        if (type != ColorSpace.TYPE_RGB && type != ColorSpace.TYPE_GRAY) {
            return Optional.of("only RGB and grey images take the watermark (this one is "
                    + (type == ColorSpace.TYPE_CMYK ? "CMYK" : "colour space type " + type) + ")");
        }
        int transfer = image.getRaster().getTransferType();
        if (transfer != DataBuffer.TYPE_BYTE && transfer != DataBuffer.TYPE_USHORT && transfer != DataBuffer.TYPE_INT) {
            return Optional.of("only 8 and 16-bit samples take the watermark");
        }
        return Optional.empty();
    }

    /** The colour bands (alpha excluded) and the weight each has in luma (Rec. 601). */
    private static double[] lumaWeights(BufferedImage image) {
        ColorModel model = image.getColorModel();
        return model.getColorSpace().getType() == ColorSpace.TYPE_GRAY
                ? new double[] {1}
                : new double[] {0.299, 0.587, 0.114};
    }

    /** Full-scale value of one sample, for converting to and from 8-bit units. */
    private static double unit(BufferedImage image) {
        int bits = image.getColorModel().getComponentSize(0);
        return ((1 << bits) - 1) / 255.0;
    }

    /**
     * Luma (0..255 scale) of {@code image}, any colour model, averaged onto a {@code gw x gh} grid: working pixel
     * (i, j) is the mean of the image pixels whose scaled position falls in it when the grid is
     * coarser, and a bilinear sample when it is finer.
     */
    static float[] luma(BufferedImage image, int gw, int gh) {
        return luma((y, out) -> lumaRow(image, y, out), image.getWidth(), image.getHeight(), gw, gh);
    }

    /** Luma given a row at a time ({@code w x h}, 0..255), onto a {@code gw x gh} grid as {@link #luma(BufferedImage, int, int)}. */
    static float[] luma(JpegCoefficients.SampleRows rows, int w, int h, int gw, int gh) {
        float[] grid = new float[gw * gh];
        boolean coarser = gw <= w && gh <= h;
        if (coarser) {
            int[] counts = new int[gw * gh];
            int[] column = new int[w];
            for (int x = 0; x < w; x++) {
                column[x] = (int) ((long) x * gw / w);
            }
            float[] row = new float[w];
            for (int y = 0; y < h; y++) {
                rows.row(y, row);
                int base = (int) ((long) y * gh / h) * gw;
                for (int x = 0; x < w; x++) {
                    grid[base + column[x]] += row[x];
                    counts[base + column[x]]++;
                }
            }
            for (int i = 0; i < grid.length; i++) {
                grid[i] /= Math.max(1, counts[i]);
            }
            return grid;
        }
        float[] full = new float[w * h];
        float[] row = new float[w];
        for (int y = 0; y < h; y++) {
            rows.row(y, row);
            System.arraycopy(row, 0, full, y * w, w);
        }
        for (int j = 0; j < gh; j++) {
            double v = Math.min(h - 1.0, Math.max(0, (j + 0.5) * h / gh - 0.5));
            int y0 = (int) v;
            int y1 = Math.min(h - 1, y0 + 1);
            double ty = v - y0;
            for (int i = 0; i < gw; i++) {
                double u = Math.min(w - 1.0, Math.max(0, (i + 0.5) * w / gw - 0.5));
                int x0 = (int) u;
                int x1 = Math.min(w - 1, x0 + 1);
                double tx = u - x0;
                double top = full[y0 * w + x0] * (1 - tx) + full[y0 * w + x1] * tx;
                double bottom = full[y1 * w + x0] * (1 - tx) + full[y1 * w + x1] * tx;
                grid[j * gw + i] = (float) (top * (1 - ty) + bottom * ty);
            }
        }
        return grid;
    }

    /**
     * The sample model when the raster is 8-bit samples interleaved in one byte array from its
     * origin (what the JDK's decoders give for RGB, RGBA and grey), so rows can be read and written
     * directly; null otherwise (the general, slower path).
     */
    private static PixelInterleavedSampleModel interleavedBytes(WritableRaster raster) {
        return raster.getSampleModel() instanceof PixelInterleavedSampleModel model
                && raster.getDataBuffer() instanceof DataBufferByte bytes && bytes.getNumBanks() == 1
                && raster.getSampleModelTranslateX() == 0 && raster.getSampleModelTranslateY() == 0 ? model : null;
    }

    private static void lumaRow(BufferedImage image, int y, float[] out) {
        WritableRaster raster = image.getRaster();
        int w = image.getWidth();
        double[] weights = lumaWeights(image);
        if (unsupported(image).isPresent()) {
            // Palette, CMYK and other models cannot be marked but can be read: through their colour model.
            int[] rgb = image.getRGB(0, y, w, 1, null, 0, w);
            for (int x = 0; x < w; x++) {
                int p = rgb[x];
                out[x] = (float) (0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff));
            }
            return;
        }
        double unit = unit(image);
        if (interleavedBytes(raster) instanceof PixelInterleavedSampleModel model) {
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int stride = model.getPixelStride();
            int[] offsets = model.getBandOffsets();
            int at = y * model.getScanlineStride();
            if (weights.length == 3) {
                int r = offsets[0];
                int g = offsets[1];
                int b = offsets[2];
                for (int x = 0; x < w; x++, at += stride) {
                    out[x] = (float) (0.299 * (data[at + r] & 0xff) + 0.587 * (data[at + g] & 0xff)
                            + 0.114 * (data[at + b] & 0xff));
                }
            } else {
                int g = offsets[0];
                for (int x = 0; x < w; x++, at += stride) {
                    out[x] = data[at + g] & 0xff;
                }
            }
            return;
        }
        java.util.Arrays.fill(out, 0, w, 0f);
        int[] samples = new int[w];
        for (int band = 0; band < weights.length; band++) {
            raster.getSamples(0, y, w, 1, band, samples);
            for (int x = 0; x < w; x++) {
                out[x] += (float) (weights[band] * samples[x] / unit);
            }
        }
    }

    /**
     * Adds {@code delta} (0..255 scale) to every colour sample of row {@code y}, rounding (8-bit
     * samples with {@code dither} added first) and clipping to the sample range.
     */
    static void addRow(BufferedImage image, int y, float[] delta, ImageWatermark.Dither dither) {
        WritableRaster raster = image.getRaster();
        int w = image.getWidth();
        int bands = lumaWeights(image).length;
        if (interleavedBytes(raster) instanceof PixelInterleavedSampleModel model) {
            byte[] data = ((DataBufferByte) raster.getDataBuffer()).getData();
            int stride = model.getPixelStride();
            int[] offsets = model.getBandOffsets();
            int at = y * model.getScanlineStride();
            for (int x = 0; x < w; x++, at += stride) {
                // one dither value per pixel: the luma change stays unbiased at a third of the cost
                float d = delta[x] + dither.next();
                for (int band = 0; band < bands; band++) {
                    int i = at + offsets[band];
                    int v = Math.round((data[i] & 0xff) + d);
                    data[i] = (byte) (v < 0 ? 0 : Math.min(v, 255));
                }
            }
            return;
        }
        double unit = unit(image);
        int max = (int) Math.round(255 * unit);
        int[] samples = new int[w];
        for (int band = 0; band < bands; band++) {
            raster.getSamples(0, y, w, 1, band, samples);
            for (int x = 0; x < w; x++) {
                int v = (int) Math.round(samples[x] + delta[x] * unit);
                samples[x] = v < 0 ? 0 : Math.min(v, max);
            }
            raster.setSamples(0, y, w, 1, band, samples);
        }
    }

    /** A deep copy with the same colour model and sample layout. */
    static BufferedImage copy(BufferedImage image) {
        WritableRaster raster = image.getRaster().createCompatibleWritableRaster();
        raster.setRect(image.getRaster());
        return new BufferedImage(image.getColorModel(), raster, image.isAlphaPremultiplied(), null);
    }
}
