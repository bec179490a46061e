package dev.yuanjian.bench.watermark;

import java.awt.Graphics2D;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Random;
import java.util.function.UnaryOperator;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.stream.ImageOutputStream;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a platform does to an uploaded image, done with the JDK: ImageIO's JPEG writer at an explicit
 * quality, area-averaging resize, crops, brightness and contrast as PIL's ImageEnhance defines them,
 * seeded Gaussian noise. Every result is a new 8-bit RGB image ({@code TYPE_3BYTE_BGR}).
 *
 * @param name  the row name in the report
 * @param apply the change; deterministic (noise is seeded by the image's content)
 */
record Attack(String name, UnaryOperator<BufferedImage> apply) {
    private static final String JPEG_METADATA = "javax_imageio_jpeg_image_1.0";

    /** Each attack of issue 10 alone, then the combinations; the first is no attack. */
    static List<Attack> all() {
        return List.of(
                new Attack("none", Attack::copy),
                new Attack("JPEG q90", i -> jpeg(i, 90)),
                new Attack("JPEG q75", i -> jpeg(i, 75)),
                new Attack("JPEG q50", i -> jpeg(i, 50)),
                new Attack("JPEG q30", i -> jpeg(i, 30)),
                new Attack("JPEG q75, 4:4:4 chroma", i -> jpeg444(i, 75)),
                new Attack("JPEG q50, 4:4:4 chroma", i -> jpeg444(i, 50)),
                new Attack("resize 75%", i -> resize(i, 0.75)),
                new Attack("resize 50%", i -> resize(i, 0.50)),
                new Attack("crop 5%/side", i -> crop(i, 0.05, 0.05, 0.05, 0.05)),
                new Attack("crop 10%/side", i -> crop(i, 0.10, 0.10, 0.10, 0.10)),
                new Attack("crop asym (L15 T3 R2 B12%)", i -> crop(i, 0.15, 0.03, 0.02, 0.12)),
                new Attack("brightness +20%", i -> brightness(i, 1.2)),
                new Attack("brightness -20%", i -> brightness(i, 0.8)),
                new Attack("contrast +20%", i -> contrast(i, 1.2)),
                new Attack("contrast -20%", i -> contrast(i, 0.8)),
                new Attack("noise sigma 3", i -> noise(i, 3)),
                new Attack("noise sigma 5", i -> noise(i, 5)),
                new Attack("PNG -> JPEG q75", i -> jpeg(png(i), 75)),
                new Attack("crop10 + resize50", i -> resize(crop10(i), 0.5)),
                new Attack("resize50 + JPEG q50", i -> jpeg(resize(i, 0.5), 50)),
                new Attack("crop10 + resize50 + JPEG q50", i -> jpeg(resize(crop10(i), 0.5), 50)),
                new Attack("crop10 + JPEG q50 + bright +20%", i -> brightness(jpeg(crop10(i), 50), 1.2)));
    }

    /** What unmarked photos are also checked as, for false positives: as they are and cut or re-encoded. */
    static List<Attack> falsePositiveVariants() {
        return List.of(
                new Attack("as is", Attack::copy),
                new Attack("crop 5%/side", i -> crop(i, 0.05, 0.05, 0.05, 0.05)),
                new Attack("crop 10%/side", Attack::crop10),
                new Attack("crop asym", i -> crop(i, 0.15, 0.03, 0.02, 0.12)),
                new Attack("resize 50%", i -> resize(i, 0.5)),
                new Attack("JPEG q75", i -> jpeg(i, 75)));
    }

    private static BufferedImage crop10(BufferedImage image) {
        return crop(image, 0.10, 0.10, 0.10, 0.10);
    }

    static BufferedImage copy(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(image, 0, 0, null);
        g.dispose();
        return out;
    }

    /**
     * Encoded by ImageIO's JPEG writer at {@code quality} (0-100, the libjpeg scale) and decoded
     * again. The writer halves the chroma both ways (4:2:0), as most encoders and platforms do.
     */
    static BufferedImage jpeg(BufferedImage image, int quality) {
        return jpeg(image, quality, false);
    }

    /** As {@link #jpeg}, the chroma kept at full resolution (4:4:4), as some encoders do at high quality. */
    static BufferedImage jpeg444(BufferedImage image, int quality) {
        return jpeg(image, quality, true);
    }

    private static BufferedImage jpeg(BufferedImage image, int quality, boolean fullChroma) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            BufferedImage rgb = copy(image);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality / 100f);
            IIOMetadata metadata = null;
            if (fullChroma) {
                metadata = writer.getDefaultImageMetadata(new ImageTypeSpecifier(rgb), param);
                Element tree = (Element) metadata.getAsTree(JPEG_METADATA);
                NodeList components = tree.getElementsByTagName("componentSpec");
                for (int i = 0; i < components.getLength(); i++) {
                    ((Element) components.item(i)).setAttribute("HsamplingFactor", "1");
                    ((Element) components.item(i)).setAttribute("VsamplingFactor", "1");
                }
                metadata.setFromTree(JPEG_METADATA, tree);
            }
            writer.setOutput(out);
            writer.write(null, new IIOImage(rgb, null, metadata), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return decode(bytes.toByteArray());
    }

    /** Written as PNG and read back (lossless; what a PNG upload is before a platform re-encodes it). */
    static BufferedImage png(BufferedImage image) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return decode(bytes.toByteArray());
    }

    private static BufferedImage decode(byte[] bytes) {
        try {
            return copy(ImageIO.read(new ByteArrayInputStream(bytes)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Scaled by {@code factor} with AWT's area-averaging filter (each output pixel the mean of what it covers). */
    static BufferedImage resize(BufferedImage image, double factor) {
        int w = Math.max(1, (int) Math.round(image.getWidth() * factor));
        int h = Math.max(1, (int) Math.round(image.getHeight() * factor));
        Image scaled = image.getScaledInstance(w, h, Image.SCALE_AREA_AVERAGING);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        Graphics2D g = out.createGraphics();
        g.drawImage(scaled, 0, 0, null);
        g.dispose();
        return out;
    }

    /** The image less the given shares of its width (left, right) and height (top, bottom). */
    static BufferedImage crop(BufferedImage image, double left, double top, double right, double bottom) {
        int w = image.getWidth();
        int h = image.getHeight();
        int x = (int) Math.round(w * left);
        int y = (int) Math.round(h * top);
        int cw = w - x - (int) Math.round(w * right);
        int ch = h - y - (int) Math.round(h * bottom);
        return copy(image.getSubimage(x, y, cw, ch));
    }

    /** Every sample times {@code factor} (PIL ImageEnhance.Brightness). */
    static BufferedImage brightness(BufferedImage image, double factor) {
        return map(image, (sample, mean) -> sample * factor);
    }

    /** Every sample moved from the mean luma by {@code factor} times its distance (PIL ImageEnhance.Contrast). */
    static BufferedImage contrast(BufferedImage image, double factor) {
        return map(image, (sample, mean) -> mean + (sample - mean) * factor);
    }

    /** Independent Gaussian noise of standard deviation {@code sigma} levels on every sample. */
    static BufferedImage noise(BufferedImage image, double sigma) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        Random random = new Random(31L * rgb[rgb.length / 2] + rgb[rgb.length / 3] + (long) (sigma * 1000));
        for (int k = 0; k < rgb.length; k++) {
            int r = level(((rgb[k] >> 16) & 0xff) + random.nextGaussian() * sigma);
            int g = level(((rgb[k] >> 8) & 0xff) + random.nextGaussian() * sigma);
            int b = level((rgb[k] & 0xff) + random.nextGaussian() * sigma);
            rgb[k] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return fromRgb(rgb, w, h);
    }

    private interface SampleMap {
        double apply(double sample, double meanLuma);
    }

    private static BufferedImage map(BufferedImage image, SampleMap f) {
        int w = image.getWidth();
        int h = image.getHeight();
        int[] rgb = image.getRGB(0, 0, w, h, null, 0, w);
        double sum = 0;
        for (int p : rgb) {
            sum += 0.299 * ((p >> 16) & 0xff) + 0.587 * ((p >> 8) & 0xff) + 0.114 * (p & 0xff);
        }
        double mean = Math.round(sum / rgb.length);
        for (int k = 0; k < rgb.length; k++) {
            int r = level(f.apply((rgb[k] >> 16) & 0xff, mean));
            int g = level(f.apply((rgb[k] >> 8) & 0xff, mean));
            int b = level(f.apply(rgb[k] & 0xff, mean));
            rgb[k] = 0xff000000 | r << 16 | g << 8 | b;
        }
        return fromRgb(rgb, w, h);
    }

    /** An 8-bit RGB image ({@code TYPE_3BYTE_BGR}) of packed 0xRRGGBB pixels, written straight to its bytes. */
    static BufferedImage fromRgb(int[] rgb, int w, int h) {
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] bgr = ((DataBufferByte) out.getRaster().getDataBuffer()).getData();
        for (int k = 0; k < rgb.length; k++) {
            bgr[3 * k] = (byte) rgb[k];
            bgr[3 * k + 1] = (byte) (rgb[k] >> 8);
            bgr[3 * k + 2] = (byte) (rgb[k] >> 16);
        }
        return out;
    }

    private static int level(double value) {
        return (int) Math.max(0, Math.min(255, Math.round(value)));
    }
}
