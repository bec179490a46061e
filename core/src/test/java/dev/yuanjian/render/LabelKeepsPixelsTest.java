package dev.yuanjian.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.container.TextBody;
import java.awt.Rectangle;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drawing the visible label changes the pixels under the label's box and nothing else, in every
 * colour model and bit depth the JDK reads: PNG exactly; JPEG within re-encoding noise, coded with
 * the original's own quantisation tables, component count and colour transform (CMYK and YCCK as
 * well: no colour conversion of the image as a whole).
 */
class LabelKeepsPixelsTest {
    private static final List<String> WORDINGS = List.of("本内容由人工智能生成", "AI-generated content");
    private static final int W = 240;
    private static final int H = 160;
    /**
     * JPEG re-encoding noise outside the box (and the 16-pixel blocks it touches): max |difference|
     * of a coded sample and PSNR over the compared samples. Measured with the original's tables:
     * grey, CMYK and YCCK come back identical (0); RGB, whose pixels pass through YCbCr and
     * chroma subsampling again, max 14 and 53 dB at quality 0.75, max 18 and 52 dB at 0.5.
     */
    private static final int JPEG_MAX_DIFF = 24;
    private static final double JPEG_MIN_PSNR = 48;

    private final RasterPainter painter = new RasterPainter();

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("grey 8-bit PNG", png(grey(DataBuffer.TYPE_BYTE))),
                Arguments.of("grey 16-bit PNG", png(grey(DataBuffer.TYPE_USHORT))),
                Arguments.of("palette PNG", png(palette(false))),
                Arguments.of("palette PNG with tRNS", png(palette(true))),
                Arguments.of("RGB 8-bit PNG", png(ImageFixtures.picture(W, H, false))),
                Arguments.of("RGBA 8-bit PNG", png(ImageFixtures.picture(W, H, true))),
                Arguments.of("RGB 16-bit PNG", png(deep(false))),
                Arguments.of("RGBA 16-bit PNG", png(deep(true))),
                Arguments.of("grey JPEG", jpeg(grey(DataBuffer.TYPE_BYTE), 0.75f)),
                Arguments.of("RGB JPEG", jpeg(ImageFixtures.picture(W, H, false), 0.75f)),
                Arguments.of("RGB JPEG at quality 0.5", jpeg(ImageFixtures.picture(W, H, false), 0.5f)),
                Arguments.of("progressive RGB JPEG", progressive(ImageFixtures.picture(W, H, false))),
                Arguments.of("CMYK JPEG (Adobe)", cmyk(0)),
                Arguments.of("YCCK JPEG (Adobe)", cmyk(2)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void onlyThePixelsUnderTheBoxChange(String what, byte[] image) throws Exception {
        boolean jpeg = image[0] == (byte) 0xFF;
        Container c = jpeg ? new JpegContainer() : new PngContainer();
        Asset marked = painter.paint(Asset.of(what, image), c, WORDINGS, TextBody.Edge.END);
        String text = c.metadata(marked, RasterPainter.VISIBLE_LABEL).orElseThrow();
        Rectangle box = RasterPainter.storedBox(c.raster().orElseThrow().decode(Asset.of(what, image)), text,
                painter.fontFor(text).orElseThrow(), 1);
        assertThat(box.x + box.width).as("box in the right part").isGreaterThan(W / 2).isLessThanOrEqualTo(W);
        assertThat(box.y + box.height).as("box in the bottom part").isGreaterThan(H / 2).isLessThanOrEqualTo(H);

        Raster before = samples(image);
        Raster after = samples(marked.bytes());
        assertThat(after.getNumBands()).as("bands").isEqualTo(before.getNumBands());
        assertThat(after.getSampleModel().getSampleSize(0)).as("bits per sample").isEqualTo(before.getSampleModel().getSampleSize(0));
        Rectangle spared = jpeg ? blocks(box) : box;
        double squares = 0;
        long compared = 0;
        int maxDiff = 0;
        int changedInside = 0;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int b = 0; b < before.getNumBands(); b++) {
                    int d = Math.abs(before.getSample(x, y, b) - after.getSample(x, y, b));
                    if (box.contains(x, y)) {
                        changedInside += d > 0 ? 1 : 0;
                    } else if (!spared.contains(x, y)) {
                        maxDiff = Math.max(maxDiff, d);
                        squares += (double) d * d;
                        compared++;
                    }
                }
            }
        }
        assertThat(changedInside).as("the box is drawn").isGreaterThan(box.width * box.height / 4);
        assertThat(brightness(marked.bytes(), box)).as("the box darkens what it covers, as a viewer shows it")
                .isLessThan(brightness(image, box));
        if (!jpeg) {
            assertThat(maxDiff).as("a lossless format keeps every pixel outside the box").isZero();
            return;
        }
        double peak = before.getSampleModel().getSampleSize(0) == 16 ? 65535 : 255;
        double psnr = squares == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(peak * peak * compared / squares);
        System.out.printf("%s: outside the box max |diff| %d, PSNR %.1f dB%n", what, maxDiff, psnr);
        assertThat(maxDiff).as("max |diff| outside the box").isLessThanOrEqualTo(JPEG_MAX_DIFF);
        assertThat(psnr).as("PSNR outside the box").isGreaterThanOrEqualTo(JPEG_MIN_PSNR);
        assertThat(tables(marked.bytes())).as("the original's quantisation tables").isEqualTo(tables(image));
        assertThat(adobeTransform(marked.bytes())).as("the Adobe colour transform").isEqualTo(adobeTransform(image));
        assertThat(indexOfMarker(marked.bytes(), 0xC2) > 0).as("progressive stays progressive")
                .isEqualTo(indexOfMarker(image, 0xC2) > 0);
    }

    static Stream<Arguments> orientations() {
        return Stream.of(1, 3, 6, 8).flatMap(o -> Stream.of(Arguments.of(o, "png"), Arguments.of(o, "jpeg")));
    }

    /**
     * The box lands in the bottom-right corner of the image as a viewer shows it, with its text
     * upright there: for Exif orientation 6 (stored turned left) that is the stored top-right,
     * with the box taller than wide in stored pixels.
     */
    @ParameterizedTest(name = "orientation {0}, {1}")
    @MethodSource("orientations")
    void theBoxLandsInTheShownBottomRightCorner(int orientation, String format) throws Exception {
        // Exif: big-endian TIFF header, IFD0 with one entry, Orientation (0x0112) SHORT 1 = orientation.
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, 0, 0, 0, 0};
        boolean png = format.equals("png");
        BufferedImage picture = ImageFixtures.picture(W, H, false);
        byte[] image = png
                ? ImageFixtures.afterIhdr(png(picture), ImageFixtures.chunk("eXIf", tiff))
                : ImageFixtures.afterSoi(jpeg(picture, 0.9f), ImageFixtures.segment(0xE1, exif(tiff)));
        Container c = png ? new PngContainer() : new JpegContainer();
        assertThat(c.raster().orElseThrow().orientation(Asset.of("o", image))).isEqualTo(orientation);
        Asset marked = painter.paint(Asset.of("o." + format, image), c, WORDINGS, TextBody.Edge.END);
        String text = c.metadata(marked, RasterPainter.VISIBLE_LABEL).orElseThrow();
        Rectangle box = RasterPainter.storedBox(picture, text, painter.fontFor(text).orElseThrow(), orientation);

        Raster before = samples(image);
        Raster after = samples(marked.bytes());
        int threshold = png ? 0 : 40;
        Rectangle changed = null;
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                for (int b = 0; b < before.getNumBands(); b++) {
                    if (Math.abs(before.getSample(x, y, b) - after.getSample(x, y, b)) > threshold) {
                        changed = changed == null ? new Rectangle(x, y, 1, 1) : changed.union(new Rectangle(x, y, 1, 1));
                    }
                }
            }
        }
        assertThat(changed).as("something is drawn").isNotNull();
        assertThat(box.contains(changed) || blocks(box).contains(changed)).as(changed + " inside " + box).isTrue();
        boolean right = orientation == 1 || orientation == 6;
        boolean bottom = orientation == 1 || orientation == 8;
        assertThat(right ? box.x + box.width > W * 3 / 4 : box.x < W / 4).as("horizontal corner of " + box).isTrue();
        assertThat(bottom ? box.y + box.height > H * 3 / 4 : box.y < H / 4).as("vertical corner of " + box).isTrue();
        assertThat(box.height > box.width).as("turned text for a turned image").isEqualTo(orientation >= 5);
    }

    private static byte[] exif(byte[] tiff) {
        byte[] out = Arrays.copyOf(new byte[] {'E', 'x', 'i', 'f', 0, 0}, 6 + tiff.length);
        System.arraycopy(tiff, 0, out, 6, tiff.length);
        return out;
    }

    /** The image's samples as coded: PNG decoded (palette as RGBA values), JPEG as coded components. */
    private static Raster samples(byte[] image) throws Exception {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(image))) {
            ImageReader reader = ImageIO.getImageReaders(in).next();
            reader.setInput(in);
            if (image[0] == (byte) 0xFF) {
                return reader.readRaster(0, null);
            }
            BufferedImage img = reader.read(0);
            // Palette and 8-bit RGB(A) as ARGB values: a palette image drawn on comes back RGB(A).
            if (img.getColorModel() instanceof IndexColorModel
                    || img.getColorModel().getNumComponents() >= 3 && img.getColorModel().getComponentSize(0) == 8) {
                BufferedImage argb = new BufferedImage(W, H, BufferedImage.TYPE_INT_ARGB);
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        argb.setRGB(x, y, img.getRGB(x, y));
                    }
                }
                return argb.getRaster();
            }
            return img.getRaster();
        }
    }

    /** Mean of R+G+B over {@code box} as the JDK's decoder shows the image (CMYK converted). */
    private static double brightness(byte[] image, Rectangle box) throws Exception {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(image));
        long sum = 0;
        for (int y = box.y; y < box.y + box.height; y++) {
            for (int x = Math.max(0, box.x); x < box.x + box.width; x++) {
                int rgb = img.getRGB(x, y);
                sum += ((rgb >> 16) & 0xff) + ((rgb >> 8) & 0xff) + (rgb & 0xff);
            }
        }
        return (double) sum / ((long) box.width * box.height);
    }

    /** {@code box} grown to the 16-pixel blocks it touches: JPEG codes a whole block (4:2:0 MCU) together. */
    private static Rectangle blocks(Rectangle box) {
        int x0 = box.x / 16 * 16;
        int y0 = box.y / 16 * 16;
        int x1 = (box.x + box.width + 15) / 16 * 16;
        int y1 = (box.y + box.height + 15) / 16 * 16;
        return new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    /** The DQT segments' payloads, concatenated in order. */
    private static List<String> tables(byte[] jpeg) {
        List<String> out = new ArrayList<>();
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xFF) {
            int m = jpeg[at + 1] & 0xff;
            int len = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
            if (m == 0xDB) {
                out.add(Arrays.toString(Arrays.copyOfRange(jpeg, at + 4, at + 2 + len)));
            }
            if (m == 0xDA) {
                break;
            }
            at += 2 + len;
        }
        return out;
    }

    /** The Adobe APP14 transform byte, or -1 without that segment. */
    private static int adobeTransform(byte[] jpeg) {
        int at = 2;
        while (at + 4 <= jpeg.length && (jpeg[at] & 0xff) == 0xFF) {
            int m = jpeg[at + 1] & 0xff;
            int len = ((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff);
            if (m == 0xEE && len >= 14) {
                return jpeg[at + 4 + 11] & 0xff;
            }
            if (m == 0xDA) {
                break;
            }
            at += 2 + len;
        }
        return -1;
    }

    private static BufferedImage grey(int dataType) {
        BufferedImage img = new BufferedImage(W, H, dataType == DataBuffer.TYPE_BYTE
                ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_USHORT_GRAY);
        int max = dataType == DataBuffer.TYPE_BYTE ? 255 : 65535;
        Random random = new Random(7);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // A ramp from dark to mid grey (a dark image must not come back brighter) with grain.
                img.getRaster().setSample(x, y, 0, Math.min(max, (40 + x * 120 / W) * (max / 255) + random.nextInt(8)));
            }
        }
        return img;
    }

    private static BufferedImage palette(boolean transparent) {
        int n = 64;
        byte[] r = new byte[n];
        byte[] g = new byte[n];
        byte[] b = new byte[n];
        byte[] a = new byte[n];
        for (int i = 0; i < n; i++) {
            r[i] = (byte) (i * 4);
            g[i] = (byte) (255 - i * 4);
            b[i] = (byte) (i * 37);
            a[i] = (byte) (i % 4 == 0 ? 0 : i % 4 == 1 ? 128 : 255);
        }
        IndexColorModel cm = transparent ? new IndexColorModel(8, n, r, g, b, a) : new IndexColorModel(8, n, r, g, b);
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_BYTE_INDEXED, cm);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                img.getRaster().setSample(x, y, 0, (x / 5 + y / 7) % n);
            }
        }
        return img;
    }

    private static BufferedImage deep(boolean alpha) {
        ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
                alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster raster = cm.createCompatibleWritableRaster(W, H);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                raster.setPixel(x, y, alpha
                        ? new int[] {x * 273, y * 409, (x * y) & 0xffff, 20000 + x * 100}
                        : new int[] {x * 273, y * 409, (x * y) & 0xffff});
            }
        }
        return new BufferedImage(cm, raster, false, null);
    }

    private static byte[] png(BufferedImage img) {
        return ImageFixtures.encode(img, "png");
    }

    private static byte[] jpeg(BufferedImage img, float quality) {
        return write(new IIOImage(img, null, null), quality, false);
    }

    private static byte[] progressive(BufferedImage img) {
        byte[] b = write(new IIOImage(img, null, null), 0.8f, true);
        assertThat(indexOfMarker(b, 0xC2)).as("SOF2: progressive").isPositive();
        return b;
    }

    private static int indexOfMarker(byte[] b, int marker) {
        for (int i = 0; i + 1 < b.length; i++) {
            if ((b[i] & 0xff) == 0xFF && (b[i + 1] & 0xff) == marker) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A four-component JPEG of coded samples, with an Adobe APP14 segment saying {@code transform}
     * (0 CMYK, 2 YCCK) inserted before the frame.
     */
    private static byte[] cmyk(int transform) {
        WritableRaster r = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, W, H, 4, null);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                // Light ink overall, so the dark box shows. Stored inverted (255 is no ink); in YCCK
                // the luma codes the ink of C, M and Y (it is the YCbCr of the inverted CMY).
                r.setPixel(x, y, transform == 2
                        ? new int[] {30 + x / 8, 128 + (y - H / 2) / 4, 128 + (x - W / 2) / 8, 215 + (x + y) / 16}
                        : new int[] {255 - x / 4, 255 - y / 3, 200 + (x - y) / 8, 215 + (x + y) / 16});
            }
        }
        byte[] plain = write(new IIOImage(r, null, null), 0.8f, false);
        byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
        return ImageFixtures.afterSoi(plain, adobe);
    }

    private static byte[] write(IIOImage image, float quality, boolean progressive) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            if (progressive) {
                param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
            }
            writer.write(null, image, param);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }
}
