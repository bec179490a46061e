package dev.yuanjian.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.metadata.IIOMetadata;
import javax.imageio.metadata.IIOMetadataNode;
import javax.imageio.plugins.jpeg.JPEGImageWriteParam;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.junit.jupiter.api.Test;

class JpegCoefficientsTest {
    private static final String NATIVE = "javax_imageio_jpeg_image_1.0";

    /** Luma sampling factors (chroma 1 x 1) the JDK's encoder writes; 4 x 2 is the 10-block MCU limit. */
    private static final int[][] SAMPLINGS = {{1, 1}, {2, 1}, {1, 2}, {2, 2}, {4, 1}, {1, 4}, {4, 2}, {2, 4}, {3, 1}, {3, 2}};

    @Test
    void everySamplingRestartAndScanLayoutRoundTripsExactly() throws Exception {
        Random random = new Random(10);
        int cases = 0;
        for (int[] s : SAMPLINGS) {
            for (int restart : new int[] {0, 1, 7}) {
                for (boolean separate : new boolean[] {false, true}) {
                    int w = 1 + random.nextInt(150);
                    int h = 1 + random.nextInt(120);
                    byte[] jpeg = jpeg(picture(w, h, random), new int[][] {s, {1, 1}, {1, 1}}, restart, separate,
                            0.3f + random.nextFloat() * 0.7f);
                    assertRoundTrip(jpeg, "sampling " + s[0] + "x" + s[1] + " restart " + restart + " separate " + separate
                            + " " + w + "x" + h);
                    cases++;
                }
            }
        }
        assertEquals(SAMPLINGS.length * 6, cases);
    }

    @Test
    void greyAndCmykRoundTripExactly() throws Exception {
        Random random = new Random(11);
        for (int restart : new int[] {0, 3}) {
            BufferedImage grey = new BufferedImage(77, 45, BufferedImage.TYPE_BYTE_GRAY);
            random.nextBytes(((DataBufferByte) grey.getRaster().getDataBuffer()).getData());
            byte[] jpeg = jpeg(grey, new int[][] {{2, 2}}, restart, false, 0.8f);
            JpegCoefficients c = assertRoundTrip(jpeg, "grey restart " + restart);
            assertEquals(JpegCoefficients.Colour.GREY, c.colour());
        }
        WritableRaster cmyk = java.awt.image.Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, 40, 33, 4, null);
        random.nextBytes(((DataBufferByte) cmyk.getDataBuffer()).getData());
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(cmyk, null, null), null);
        }
        JpegCoefficients c = roundTrip(out.toByteArray());
        assertEquals(4, c.componentCount());
        assertEquals(JpegCoefficients.Colour.OTHER, c.colour());
        assertArrayEquals(coefficients(c), coefficients(roundTrip(c.write())));
    }

    @Test
    void unchangedCoefficientsWriteTheSameBytesAgain() throws Exception {
        byte[] jpeg = jpeg(picture(200, 130, new Random(12)), new int[][] {{2, 2}, {1, 1}, {1, 1}}, 5, false, 0.9f);
        byte[] once = roundTrip(jpeg).write();
        assertArrayEquals(once, roundTrip(once).write());
    }

    @Test
    void theLargestDifferencesAndCoefficientsRoundTripExactly() throws Exception {
        // Black and white blocks at quality 1 (every step 1): DC differences of 11 bits (-1024 to
        // 1016), the longest extra bits T.81 allows, and AC values near 1023 from the half-split blocks.
        BufferedImage image = new BufferedImage(96, 64, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 64; y++) {
            for (int x = 0; x < 96; x++) {
                boolean white = (x / 8 + y / 8) % 2 == 0;
                boolean split = (x / 8) % 3 == 1 && x % 8 < 4;
                image.getRaster().setSample(x, y, 0, white ^ split ? 255 : 0);
            }
        }
        JpegCoefficients c = assertRoundTrip(jpeg(image, new int[][] {{1, 1}}, 0, false, 1.0f), "black and white blocks");
        int largestDc = 0;
        int largestAc = 0;
        for (int bx = 1; bx < c.component(0).blocksWide(); bx++) {
            largestDc = Math.max(largestDc, Math.abs(c.component(0).get(bx, 0, 0) - c.component(0).get(bx - 1, 0, 0)));
            for (int k = 1; k < 64; k++) {
                largestAc = Math.max(largestAc, Math.abs(c.component(0).get(bx, 0, k)));
            }
        }
        assertTrue(largestDc >= 1024 && largestAc >= 512, "DC difference " + largestDc + ", AC " + largestAc);
    }

    @Test
    void whatIsNotBaselineIsLeftToThePixelPathWithTheReason() throws Exception {
        BufferedImage image = picture(64, 48, new Random(13));
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        JPEGImageWriteParam param = new JPEGImageWriteParam(null);
        param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, null), param);
        }
        assertEquals(new JpegCoefficients.NotHandled("a progressive JPEG"), JpegCoefficients.read(out.toByteArray()));

        byte[] twelveBit = jpeg(image, new int[][] {{1, 1}, {1, 1}, {1, 1}}, 0, false, 0.9f);
        twelveBit[sof(twelveBit) + 4] = 12;
        assertEquals(new JpegCoefficients.NotHandled("a 12-bit JPEG"), JpegCoefficients.read(twelveBit));
    }

    @Test
    void aForgedSizeIsRefusedBeforeAnythingIsAllocated() throws Exception {
        byte[] jpeg = jpeg(picture(32, 32, new Random(14)), new int[][] {{2, 2}, {1, 1}, {1, 1}}, 0, false, 0.9f);
        int at = sof(jpeg);
        for (int[] size : new int[][] {{0xFFFF, 0xFFFF}, {10_000, 10_000}, {4000, 3000}}) {
            byte[] forged = jpeg.clone();
            forged[at + 5] = (byte) (size[1] >> 8);
            forged[at + 6] = (byte) size[1];
            forged[at + 7] = (byte) (size[0] >> 8);
            forged[at + 8] = (byte) size[0];
            JpegCoefficients.Read read = JpegCoefficients.read(forged);
            JpegCoefficients.NotHandled refused = assertInstanceOf(JpegCoefficients.NotHandled.class, read);
            assertTrue(refused.reason().contains("pixels") || refused.reason().contains("blocks"), refused.reason());
        }
    }

    @Test
    void damagedFilesAreNeverACrashAndWhatIsReadWritesBack() throws Exception {
        Random random = new Random(15);
        List<byte[]> seeds = new ArrayList<>();
        seeds.add(jpeg(picture(40, 30, random), new int[][] {{2, 2}, {1, 1}, {1, 1}}, 2, false, 0.7f));
        seeds.add(jpeg(picture(33, 17, random), new int[][] {{1, 1}, {1, 1}, {1, 1}}, 0, true, 0.5f));
        seeds.add(jpeg(picture(25, 25, random), new int[][] {{2, 1}, {1, 1}, {1, 1}}, 1, false, 0.95f));
        int decoded = 0;
        int refused = 0;
        for (int round = 0; round < 3000; round++) {
            byte[] damaged = Mutations.mutateHarder(seeds.get(round % seeds.size()), random);
            JpegCoefficients.Read read = JpegCoefficients.read(damaged);
            if (read instanceof JpegCoefficients.NotHandled why) {
                assertTrue(!why.reason().startsWith("the coefficient reader failed"), "round " + round + ": " + why);
                refused++;
                continue;
            }
            JpegCoefficients c = ((JpegCoefficients.Decoded) read).coefficients();
            assertArrayEquals(coefficients(c), coefficients(roundTrip(c.write())), "round " + round);
            decoded++;
        }
        assertTrue(decoded > 100 && refused > 100, decoded + " decoded, " + refused + " refused");
    }

    private static JpegCoefficients assertRoundTrip(byte[] jpeg, String what) throws IOException {
        JpegCoefficients first = roundTrip(jpeg);
        byte[] again = first.write();
        JpegCoefficients second = roundTrip(again);
        assertArrayEquals(coefficients(first), coefficients(second), what);
        BufferedImage original = ImageIO.read(new ByteArrayInputStream(jpeg));
        BufferedImage rewritten = ImageIO.read(new ByteArrayInputStream(again));
        assertArrayEquals(samples(original), samples(rewritten), what + ": the JDK decodes other pixels");
        return first;
    }

    static JpegCoefficients roundTrip(byte[] jpeg) {
        return CoefficientFixtures.decoded(jpeg);
    }

    static short[] coefficients(JpegCoefficients c) {
        return CoefficientFixtures.all(c);
    }

    private static int[] samples(BufferedImage image) {
        return image.getRaster().getPixels(0, 0, image.getWidth(), image.getHeight(), (int[]) null);
    }

    private static int sof(byte[] jpeg) {
        for (int i = 2; i + 1 < jpeg.length; i++) {
            if ((jpeg[i] & 0xff) == 0xFF && (jpeg[i + 1] & 0xff) == 0xC0) {
                return i;
            }
        }
        throw new AssertionError("no SOF0");
    }

    /** Gradients, edges and noise: every kind of block. */
    static BufferedImage picture(int w, int h, Random random) {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
        byte[] data = ((DataBufferByte) image.getRaster().getDataBuffer()).getData();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = (y * w + x) * 3;
                boolean edge = ((x / 13) + (y / 9)) % 2 == 0;
                data[at] = (byte) (x * 255 / Math.max(1, w - 1));
                data[at + 1] = (byte) (edge ? 200 : 40 + y);
                data[at + 2] = (byte) (random.nextInt(256));
            }
        }
        return image;
    }

    /**
     * {@code image} as a baseline JPEG through the JDK's encoder: sampling factors per component,
     * a restart interval in MCUs (0: none), one scan per component when {@code separate}
     * (written by {@link JpegCoefficients#splitScans}, the JDK's encoder writes one).
     */
    static byte[] jpeg(BufferedImage image, int[][] sampling, int restart, boolean separate, float quality)
            throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        JPEGImageWriteParam param = new JPEGImageWriteParam(null);
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        param.setCompressionQuality(quality);
        IIOMetadata metadata = writer.getDefaultImageMetadata(ImageTypeSpecifier.createFromRenderedImage(image), param);
        IIOMetadataNode tree = (IIOMetadataNode) metadata.getAsTree(NATIVE);
        IIOMetadataNode sequence = (IIOMetadataNode) tree.getElementsByTagName("markerSequence").item(0);
        IIOMetadataNode sof = (IIOMetadataNode) tree.getElementsByTagName("sof").item(0);
        for (int i = 0; i < sampling.length; i++) {
            IIOMetadataNode spec = (IIOMetadataNode) sof.getChildNodes().item(i);
            spec.setAttribute("HsamplingFactor", Integer.toString(sampling[i][0]));
            spec.setAttribute("VsamplingFactor", Integer.toString(sampling[i][1]));
        }
        if (restart > 0) {
            IIOMetadataNode dri = new IIOMetadataNode("dri");
            dri.setAttribute("interval", Integer.toString(restart));
            sequence.insertBefore(dri, sof);
        }
        metadata.setFromTree(NATIVE, tree);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream ios = new MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            writer.write(null, new IIOImage(image, null, metadata), param);
        } finally {
            writer.dispose();
        }
        if (!separate) {
            return out.toByteArray();
        }
        // The JDK writes one interleaved scan only; one scan per component is written here and
        // proven by the JDK decoding it to the original's pixels.
        JpegCoefficients split = roundTrip(out.toByteArray());
        split.splitScans();
        byte[] jpeg = split.write();
        return jpeg;
    }
}
