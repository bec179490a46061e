package dev.yuanjian.watermark;

import static dev.yuanjian.watermark.SyntheticPhotos.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.container.JpegCoefficients;
import java.awt.image.BufferedImage;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watermark put into a JPEG's DCT coefficients ({@link ImageWatermark#embedInPlaceUnlessMarked(JpegCoefficients,
 * int, Payload)}) is the pixel path's watermark: the unchanged detector finds it after the attacks
 * the pixel path survives, at 40 dB or better against the original's decoding, and the colour
 * components stay bit for bit.
 */
class CoefficientWatermarkTest {
    private static final byte[] KEY = key(1);
    private static final ImageWatermark WATERMARK = new ImageWatermark(KEY);
    private static final Payload PAYLOAD = Payload.of("01KB5ZQ8X3M4N6P7R8S9T0V1W2");
    private static byte[] original;
    private static JpegCoefficients before;
    private static byte[] marked;

    @BeforeAll
    static void mark() {
        original = jpegBytes(photo(1280, 720, 42), 0.92f);
        before = read(original);
        JpegCoefficients coefficients = read(original);
        assertThat(WATERMARK.embedInPlaceUnlessMarked(coefficients, 1, PAYLOAD)).isEmpty();
        marked = coefficients.write();
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    @Test
    void changesLumaAloneAtFortyDecibelsOrBetter() {
        double psnr = psnr(decode(original), decode(marked));
        assertThat(psnr).isGreaterThanOrEqualTo(40.0).isLessThan(60.0);
        JpegCoefficients after = read(marked);
        for (int c = 1; c < 3; c++) {
            assertThat(blocks(after, c)).as("component " + c).isEqualTo(blocks(before, c));
        }
        assertThat(blocks(after, 0)).isNotEqualTo(blocks(before, 0));
    }

    @Test
    void survivesWhatThePixelPathSurvives() {
        Map<String, UnaryOperator<BufferedImage>> attacks = new LinkedHashMap<>();
        attacks.put("none", i -> i);
        attacks.put("JPEG quality 50", i -> jpeg(i, 0.5f));
        attacks.put("resize to 50%", i -> resize(i, 0.5));
        attacks.put("crop 10% per side", i -> crop(i, 0.1, 0.1, 0.1, 0.1));
        attacks.put("crop 10% + resize 50% + JPEG 50", i -> jpeg(resize(crop(i, 0.1, 0.1, 0.1, 0.1), 0.5), 0.5f));
        BufferedImage image = decode(marked);
        attacks.forEach((name, attack) -> {
            Detection detection = WATERMARK.detect(attack.apply(image), 1);
            assertThat(detection).as(name).isInstanceOf(Detection.Found.class);
            assertThat(((Detection.Found) detection).payload()).as(name).isEqualTo(PAYLOAD);
        });
    }

    @Test
    void aMarkedJpegIsLeftAsItIsAndItsPayloadReturned() {
        JpegCoefficients again = read(marked);
        assertThat(WATERMARK.embedInPlaceUnlessMarked(again, 1, Payload.of("01KB5ZQ8X3M4N6P7R8S9T0V1W3"))).contains(PAYLOAD);
        assertThat(blocks(again, 0)).isEqualTo(blocks(read(marked), 0));
        // the pixel path sees the same watermark
        assertThat(WATERMARK.embedInPlaceUnlessMarked(decode(marked), 1, PAYLOAD)).contains(PAYLOAD);
    }

    @Test
    void isLaidOutAsTheImageIsShownAndWorksOnGreyAndSmallImages() {
        BufferedImage sideways = turn(photo(720, 1000, 7));
        JpegCoefficients stored = read(jpegBytes(sideways, 0.9f));
        WATERMARK.embedInPlaceUnlessMarked(stored, 6, PAYLOAD);
        BufferedImage storedMarked = decode(stored.write());
        assertThat(found(WATERMARK.detect(storedMarked, 6))).isEqualTo(PAYLOAD);

        BufferedImage grey = new BufferedImage(800, 600, BufferedImage.TYPE_BYTE_GRAY);
        grey.getGraphics().drawImage(photo(800, 600, 9), 0, 0, null);
        byte[] greyJpeg = jpegBytes(grey, 0.85f);
        JpegCoefficients greyCoefficients = read(greyJpeg);
        assertThat(greyCoefficients.colour()).isEqualTo(JpegCoefficients.Colour.GREY);
        WATERMARK.embedInPlaceUnlessMarked(greyCoefficients, 1, PAYLOAD);
        BufferedImage greyMarked = decode(greyCoefficients.write());
        assertThat(found(WATERMARK.detect(greyMarked, 1))).isEqualTo(PAYLOAD);
        // Flat grey images sit under 40 dB on either path (the watermark's floor of one level, MIN_AMPLITUDE);
        // the coefficient path must not be worse than the pixel path's marked pixels before they are re-encoded.
        BufferedImage pixelPath = decode(greyJpeg);
        WATERMARK.embedInPlaceUnlessMarked(pixelPath, 1, PAYLOAD);
        assertThat(psnr(decode(greyJpeg), greyMarked)).isGreaterThanOrEqualTo(psnr(decode(greyJpeg), pixelPath));

        JpegCoefficients small = read(jpegBytes(photo(300, 200, 3), 0.9f));
        assertThat(ImageWatermark.unfit(small)).hasValueSatisfying(r -> assertThat(r).contains("256"));
        assertThatThrownBy(() -> WATERMARK.embedInPlaceUnlessMarked(small, 1, PAYLOAD))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static JpegCoefficients read(byte[] jpeg) {
        return switch (JpegCoefficients.read(jpeg)) {
            case JpegCoefficients.Decoded d -> d.coefficients();
            case JpegCoefficients.NotHandled n -> throw new AssertionError(n.reason());
        };
    }

    private static int[] blocks(JpegCoefficients c, int component) {
        JpegCoefficients.Component comp = c.component(component);
        int[] all = new int[comp.blocksWide() * comp.blocksHigh() * 64];
        int n = 0;
        for (int by = 0; by < comp.blocksHigh(); by++) {
            for (int bx = 0; bx < comp.blocksWide(); bx++) {
                for (int k = 0; k < 64; k++) {
                    all[n++] = comp.get(bx, by, k);
                }
            }
        }
        return all;
    }

    private static Payload found(Detection detection) {
        assertThat(detection).isInstanceOf(Detection.Found.class);
        return ((Detection.Found) detection).payload();
    }

    /** Turned 90 degrees anticlockwise: what a camera stores with Exif orientation 6. */
    private static BufferedImage turn(BufferedImage image) {
        BufferedImage out = new BufferedImage(image.getHeight(), image.getWidth(), BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                out.setRGB(y, image.getWidth() - 1 - x, image.getRGB(x, y));
            }
        }
        return out;
    }
}
