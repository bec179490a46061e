package dev.yuanjian.watermark;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Photo-like test images and the attacks platforms apply to uploads. The images are fractal noise
 * (octaves of smoothed random grids, amplitude falling as 1/f like natural images' spectra) with
 * a flat sky band, so that both textured and flat regions are exercised without shipping photos.
 */
public final class SyntheticPhotos {
    private SyntheticPhotos() {
    }

    public static BufferedImage photo(int w, int h, long seed) {
        Random random = new Random(seed);
        float[][] channels = new float[3][w * h];
        for (int octave = 0; octave < 7; octave++) {
            int cells = 3 << octave;
            double amplitude = 90 / Math.pow(1.9, octave);
            float[] grid = new float[(cells + 2) * (cells + 2)];
            for (int i = 0; i < grid.length; i++) {
                grid[i] = (float) random.nextGaussian();
            }
            double[] tint = {1 + 0.3 * random.nextGaussian(), 1 + 0.3 * random.nextGaussian(), 1 + 0.3 * random.nextGaussian()};
            for (int y = 0; y < h; y++) {
                double gy = (double) y / h * cells;
                int y0 = (int) gy;
                double ty = gy - y0;
                for (int x = 0; x < w; x++) {
                    double gx = (double) x / w * cells;
                    int x0 = (int) gx;
                    double tx = gx - x0;
                    int s = cells + 2;
                    double v = (grid[y0 * s + x0] * (1 - tx) + grid[y0 * s + x0 + 1] * tx) * (1 - ty)
                            + (grid[(y0 + 1) * s + x0] * (1 - tx) + grid[(y0 + 1) * s + x0 + 1] * tx) * ty;
                    for (int c = 0; c < 3; c++) {
                        channels[c][y * w + x] += (float) (v * amplitude * tint[c]);
                    }
                }
            }
        }
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            boolean sky = y < h / 6;
            for (int x = 0; x < w; x++) {
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double v = sky ? 150 + 40.0 * y / h + 10 * c : 120 + channels[c][y * w + x];
                    rgb = (rgb << 8) | (int) Math.max(0, Math.min(255, Math.round(v)));
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    public static BufferedImage jpeg(BufferedImage image, float quality) {
        return decode(jpegBytes(image, quality));
    }

    /** {@code image} as a baseline JPEG file from the JDK's encoder (Y Cb Cr 4:2:0, grey for grey images). */
    public static byte[] jpegBytes(BufferedImage image, float quality) {
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
                writer.setOutput(out);
                boolean grey = image.getType() == BufferedImage.TYPE_BYTE_GRAY;
                writer.write(null, new IIOImage(grey ? image : rgb(image), null, null), param);
            }
            writer.dispose();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static BufferedImage decode(byte[] file) {
        try {
            return ImageIO.read(new ByteArrayInputStream(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BufferedImage rgb(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    public static BufferedImage resize(BufferedImage image, double factor) {
        int w = (int) Math.round(image.getWidth() * factor);
        int h = (int) Math.round(image.getHeight() * factor);
        Image scaled = image.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        return out;
    }

    /** Cuts the given fractions off the left, top, right and bottom. */
    public static BufferedImage crop(BufferedImage image, double left, double top, double right, double bottom) {
        int w = image.getWidth();
        int h = image.getHeight();
        int x0 = (int) (w * left);
        int y0 = (int) (h * top);
        return rgb(image.getSubimage(x0, y0, (int) (w * (1 - right)) - x0, (int) (h * (1 - bottom)) - y0));
    }

    static BufferedImage pointwise(BufferedImage image, DoubleUnaryOperator f) {
        BufferedImage out = rgb(image);
        int[] px = new int[3];
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.getRaster().getPixel(x, y, px);
                for (int k = 0; k < 3; k++) {
                    px[k] = (int) Math.max(0, Math.min(255, Math.round(f.applyAsDouble(px[k]))));
                }
                out.getRaster().setPixel(x, y, px);
            }
        }
        return out;
    }

    static BufferedImage noise(BufferedImage image, double sigma, long seed) {
        Random random = new Random(seed);
        return pointwise(image, v -> v + random.nextGaussian() * sigma);
    }

    static double psnr(BufferedImage a, BufferedImage b) {
        double squared = 0;
        long n = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    int d = ((p >> shift) & 255) - ((q >> shift) & 255);
                    squared += d * d;
                    n++;
                }
            }
        }
        return 10 * Math.log10(255.0 * 255.0 / (squared / n));
    }
}
