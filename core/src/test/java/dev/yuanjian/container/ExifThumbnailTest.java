package dev.yuanjian.container;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.render.RasterPainter;
import dev.yuanjian.testing.ExternalTools;
import java.awt.Image;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Drawing the visible label redraws the Exif thumbnail, so a browser that shows the thumbnail
 * shows the label; ExifTool (not our parser) extracts the thumbnail that is checked.
 */
class ExifThumbnailTest {
    private static final List<String> WORDINGS = List.of("本内容由人工智能生成", "AI-generated content");
    private static final int W = 640;
    private static final int H = 480;

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{0}, thumbnail {1} x {2}, {3}")
    @CsvSource({
            "little-endian, 160, 120, last", "big-endian, 160, 120, last",
            "little-endian, 160, 120, middle", "big-endian, 32, 24, middle",
            "little-endian, 160, 90, last"})
    void theThumbnailShowsTheLabelledImage(String order, int tw, int th, String where) throws Exception {
        byte[] oldThumb = ImageFixtures.jpeg(tw, th);
        byte[] original = ImageFixtures.afterSoi(ImageFixtures.jpeg(W, H),
                ImageFixtures.segment(0xE1, exif(order.startsWith("little"), oldThumb, where.equals("middle"))));
        Asset drawn = new RasterPainter().paint(Asset.of("t.jpg", original), new JpegContainer(), WORDINGS,
                TextBody.Edge.END);

        byte[] thumb = exiftool(drawn.bytes(), "-b", "-ThumbnailImage");
        BufferedImage shown = ImageFixtures.decode(thumb);
        assertThat(shown.getWidth()).isEqualTo(tw);
        assertThat(shown.getHeight()).isEqualTo(th);
        BufferedImage expected = scaled(ImageFixtures.decode(drawn.bytes()), tw, th);
        BufferedImage before = scaled(ImageFixtures.decode(original), tw, th);
        double now = meanDifference(shown, expected);
        assertThat(now).as("the thumbnail is the labelled image").isLessThan(8);
        if (tw >= 100) { // at 32 x 24 the label is a pixel high: JPEG noise outweighs it
            assertThat(meanDifference(before, expected)).as("the label shows at thumbnail size").isGreaterThan(now);
        }
        assertThat(indexOf(drawn.bytes(), Arrays.copyOfRange(oldThumb, 2, 200))).as("old picture gone").isNegative();
        // Everything else ExifTool reads in IFD0 is as it was.
        assertThat(new String(exiftool(drawn.bytes(), "-s3", "-IFD0:Make"))).isEqualTo("Acm\n");
    }

    /** Through the product: a baseline JPEG is marked on its coefficients, a progressive one on pixels. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"baseline", "progressive"})
    void theProductRedrawsItOnBothPaths(String coding) throws Exception {
        BufferedImage photo = dev.yuanjian.watermark.SyntheticPhotos.photo(1024, 768, 5);
        byte[] jpeg = coding.equals("baseline") ? dev.yuanjian.watermark.SyntheticPhotos.jpegBytes(photo, 0.9f)
                : progressive(photo);
        assertThat(JpegCoefficients.read(jpeg) instanceof JpegCoefficients.Decoded).isEqualTo(coding.equals("baseline"));
        byte[] oldThumb = ImageFixtures.jpeg(160, 120);
        byte[] original = ImageFixtures.afterSoi(jpeg, ImageFixtures.segment(0xE1, exif(true, oldThumb, false)));
        try (var app = dev.yuanjian.app.Yuanjian.open(new dev.yuanjian.store.Home(dir.resolve("home-" + coding)),
                dev.yuanjian.app.Settings.defaults(), java.util.Map.of())) {
            byte[] labelled = app.pipeline().label(new dev.yuanjian.pipeline.Pipeline.Request(
                    Asset.of("p.jpg", original), java.util.Set.of(), "t", java.util.Optional.empty())).labelled().bytes();
            BufferedImage shown = ImageFixtures.decode(exiftool(labelled, "-b", "-ThumbnailImage"));
            BufferedImage expected = scaled(ImageFixtures.decode(labelled), 160, 120);
            double now = meanDifference(shown, expected);
            assertThat(now).as("the thumbnail is the labelled image").isLessThan(8);
            assertThat(meanDifference(scaled(photo, 160, 120), expected)).as("the label shows").isGreaterThan(now);
        }
    }

    private static byte[] progressive(BufferedImage image) throws java.io.IOException {
        javax.imageio.ImageWriter writer = javax.imageio.ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var ios = new javax.imageio.stream.MemoryCacheImageOutputStream(out)) {
            writer.setOutput(ios);
            javax.imageio.ImageWriteParam param = writer.getDefaultWriteParam();
            param.setProgressiveMode(javax.imageio.ImageWriteParam.MODE_DEFAULT);
            writer.write(null, new javax.imageio.IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    @Test
    void aThumbnailTooLargeForTheSegmentIsRemovedNotLeftUnlabelled() throws Exception {
        byte[] grey = ImageFixtures.encode(new BufferedImage(1000, 750, BufferedImage.TYPE_BYTE_GRAY), "jpeg");
        byte[] segment = ImageFixtures.segment(0xE1, exif(true, grey, false));
        assertThat(segment.length).as("the old thumbnail fits one segment").isLessThan(65537);
        byte[] out = ExifThumbnail.redrawn(segment, ImageFixtures.decode(noisyJpeg(2000, 1500)));
        assertThat(out.length).isLessThanOrEqualTo(65537);
        assertThat(indexOf(out, Arrays.copyOfRange(grey, 2, 200))).isNegative();
        // IFD0's link to IFD1 is cleared: no thumbnail at all rather than an unlabelled one.
        assertThat(Arrays.copyOfRange(out, 10 + 8 + 2 + 12, 10 + 8 + 2 + 12 + 4)).containsOnly(0);
    }

    @Test
    void damagedSegmentsAreLeftAsTheyAreAndNeverThrow() {
        byte[] segment = ImageFixtures.segment(0xE1, exif(true, ImageFixtures.jpeg(40, 30), true));
        BufferedImage pixels = new BufferedImage(80, 60, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 3000; i++) {
            byte[] broken = segment.clone();
            for (int k = 0; k < 1 + random.nextInt(4); k++) {
                broken[4 + random.nextInt(Math.min(90, broken.length - 4))] = (byte) random.nextInt(256);
            }
            byte[] out = ExifThumbnail.redrawn(broken, pixels);
            assertThat(out.length).isLessThanOrEqualTo(65537);
        }
        byte[] noThumbnail = ImageFixtures.segment(0xE1, Arrays.copyOf("Exif\0\0II*\0".getBytes(), 20));
        assertThat(ExifThumbnail.redrawn(noThumbnail, pixels)).isSameAs(noThumbnail);
    }

    /**
     * An Exif payload: IFD0 with Make ("Acm", inline), IFD1 with Compression 6 and the thumbnail's
     * offset and length; the thumbnail last, or followed by 300 bytes of other data.
     */
    private static byte[] exif(boolean little, byte[] thumb, boolean middle) {
        ByteBuffer t = ByteBuffer.allocate(100 + thumb.length + 300).order(little ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN);
        t.put(little ? (byte) 'I' : (byte) 'M').put(little ? (byte) 'I' : (byte) 'M').putShort((short) 42).putInt(8);
        int ifd1 = 8 + 2 + 12 + 4;
        t.putShort((short) 1).putShort((short) 0x010F).putShort((short) 2).putInt(4).put("Acm\0".getBytes());
        t.putInt(ifd1);
        int thumbAt = ifd1 + 2 + 3 * 12 + 4;
        t.putShort((short) 3);
        t.putShort((short) 0x0103).putShort((short) 3).putInt(1).putShort((short) 6).putShort((short) 0);
        t.putShort((short) 0x0201).putShort((short) 4).putInt(1).putInt(thumbAt);
        t.putShort((short) 0x0202).putShort((short) 4).putInt(1).putInt(thumb.length);
        t.putInt(0);
        t.put(thumb);
        if (middle) {
            t.put(new byte[300]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("Exif\0\0".getBytes());
        out.write(t.array(), 0, t.position());
        return out.toByteArray();
    }

    private byte[] exiftool(byte[] image, String... args) throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        Path file = Files.createTempFile(dir, "t", ".jpg");
        Files.write(file, image);
        String[] command = new String[args.length + 2];
        command[0] = exiftool.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        command[command.length - 1] = file.toString();
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** Java2D's area-averaging scale, fitted and centred on black as a camera would: an independent reference. */
    private static BufferedImage scaled(BufferedImage image, int w, int h) {
        double scale = Math.min((double) w / image.getWidth(), (double) h / image.getHeight());
        int fw = (int) Math.round(image.getWidth() * scale);
        int fh = (int) Math.round(image.getHeight() * scale);
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        var g = out.createGraphics();
        g.drawImage(image.getScaledInstance(fw, fh, Image.SCALE_AREA_AVERAGING), (w - fw) / 2, (h - fh) / 2, null);
        g.dispose();
        return out;
    }

    private static double meanDifference(BufferedImage a, BufferedImage b) {
        long sum = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift < 24; shift += 8) {
                    sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
                }
            }
        }
        return sum / (3.0 * a.getWidth() * a.getHeight());
    }

    private static byte[] noisyJpeg(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        SplittableRandom random = new SplittableRandom(w);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(img, "jpeg", out);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
