package dev.yuanjian.watermark;

import static dev.yuanjian.watermark.SyntheticPhotos.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The watermark against the attacks issue 10 names, on photo-like images: each attack alone and
 * the hardest combination must still give back the exact payload, unmarked images and other keys
 * must give nothing, and the marked image must stay at or above 40 dB PSNR.
 */
class ImageWatermarkTest {
    private static final byte[] KEY = key(1);
    private static final ImageWatermark WATERMARK = new ImageWatermark(KEY);
    private static final Payload PAYLOAD = Payload.of("01KB5ZQ8X3M4N6P7R8S9T0V1W2");
    private static BufferedImage original;
    private static BufferedImage marked;

    @BeforeAll
    static void mark() {
        original = photo(1280, 720, 42);
        marked = WATERMARK.embed(original, 1, PAYLOAD);
    }

    private static byte[] key(int seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return key;
    }

    @Test
    void marksAtFortyDecibelsOrBetterAndKeepsTheImageShape() {
        assertThat(psnr(original, marked)).isGreaterThanOrEqualTo(40.0);
        assertThat(marked.getType()).isEqualTo(original.getType());
        assertThat(marked.getWidth()).isEqualTo(1280);
        assertThat(original).isNotSameAs(marked);
        assertThat(psnr(original, marked)).isLessThan(60.0); // something was embedded
    }

    @Test
    void survivesEachAttackAndTheirCombination() {
        Map<String, UnaryOperator<BufferedImage>> attacks = new LinkedHashMap<>();
        attacks.put("none", i -> i);
        attacks.put("JPEG quality 50", i -> jpeg(i, 0.5f));
        attacks.put("resize to 50%", i -> resize(i, 0.5));
        attacks.put("crop 10% per side", i -> crop(i, 0.1, 0.1, 0.1, 0.1));
        attacks.put("crop one corner", i -> crop(i, 0.1, 0.0, 0.0, 0.07));
        attacks.put("brightness +20%", i -> pointwise(i, v -> v * 1.2));
        attacks.put("brightness -20%", i -> pointwise(i, v -> v * 0.8));
        attacks.put("contrast +20%", i -> pointwise(i, v -> 128 + (v - 128) * 1.2));
        attacks.put("contrast -20%", i -> pointwise(i, v -> 128 + (v - 128) * 0.8));
        attacks.put("Gaussian noise sigma 5", i -> noise(i, 5, 3));
        attacks.put("crop 12% per side", i -> crop(i, 0.12, 0.12, 0.12, 0.12));
        attacks.put("a caption bar of 10% below", i -> border(i, 0, 0, 0, 0.10));
        attacks.put("a black border of 4% all round", i -> border(i, 0.04, 0.04, 0.04, 0.04));
        attacks.put("crop 10% + resize 50% + JPEG 50", i -> jpeg(resize(crop(i, 0.1, 0.1, 0.1, 0.1), 0.5), 0.5f));
        attacks.forEach((name, attack) -> {
            Detection detection = WATERMARK.detect(attack.apply(marked), 1);
            assertThat(detection).as(name).isInstanceOf(Detection.Found.class);
            assertThat(((Detection.Found) detection).payload()).as(name).isEqualTo(PAYLOAD);
        });
    }

    @Test
    void findsNothingInUnmarkedImagesOrUnderAnotherKey() {
        for (int seed = 100; seed < 106; seed++) {
            BufferedImage unmarked = photo(800, 600, seed);
            assertThat(WATERMARK.detect(unmarked, 1)).isInstanceOf(Detection.NotFound.class);
            assertThat(WATERMARK.detect(crop(unmarked, 0.05, 0.05, 0.05, 0.05), 1)).isInstanceOf(Detection.NotFound.class);
        }
        assertThat(new ImageWatermark(key(2)).detect(marked, 1)).isInstanceOf(Detection.NotFound.class);
    }

    @Test
    void isLaidOutAsTheImageIsShown() {
        // Stored sideways with Exif orientation 6; a platform turns the pixels upright and drops the Exif.
        BufferedImage stored = turn(photo(720, 1000, 7), false);
        BufferedImage storedMarked = WATERMARK.embed(stored, 6, PAYLOAD);
        assertThat(found(WATERMARK.detect(storedMarked, 6))).isEqualTo(PAYLOAD);
        assertThat(found(WATERMARK.detect(turn(storedMarked, true), 1))).isEqualTo(PAYLOAD);
    }

    @Test
    void refusesWhatCannotCarryIt() {
        assertThat(ImageWatermark.unfit(photo(300, 200, 1))).hasValueSatisfying(r -> assertThat(r).contains("256"));
        BufferedImage palette = new BufferedImage(400, 400, BufferedImage.TYPE_BYTE_INDEXED);
        assertThat(palette.getColorModel()).isInstanceOf(IndexColorModel.class);
        assertThat(ImageWatermark.unfit(palette)).hasValueSatisfying(r -> assertThat(r).contains("palette"));
        assertThatThrownBy(() -> WATERMARK.embed(palette, 1, PAYLOAD)).isInstanceOf(IllegalArgumentException.class);
        assertThat(WATERMARK.detect(photo(90, 80, 1), 1)).isInstanceOf(Detection.TooSmall.class);
    }

    @Test
    void marksGreyAndSixteenBitImagesInTheirOwnModel() {
        BufferedImage colour = photo(640, 480, 9);
        for (int type : new int[] {BufferedImage.TYPE_BYTE_GRAY, BufferedImage.TYPE_USHORT_GRAY, BufferedImage.TYPE_INT_ARGB}) {
            BufferedImage image = new BufferedImage(640, 480, type);
            image.createGraphics().drawImage(colour, 0, 0, null);
            BufferedImage mark = WATERMARK.embed(image, 1, PAYLOAD);
            assertThat(mark.getType()).isEqualTo(type);
            assertThat(found(WATERMARK.detect(mark, 1))).as("type " + type).isEqualTo(PAYLOAD);
        }
    }

    @Test
    void readsPaletteAndCmykLikeImagesWithoutMarkingThem() {
        BufferedImage palette = new BufferedImage(640, 480, BufferedImage.TYPE_BYTE_INDEXED);
        palette.createGraphics().drawImage(marked.getSubimage(0, 0, 640, 480), 0, 0, null);
        assertThat(WATERMARK.detect(palette, 1)).isNotNull(); // read through its colour model, no exception
        assertThat(WATERMARK.detect(new BufferedImage(300, 300, BufferedImage.TYPE_BYTE_BINARY), 1))
                .isInstanceOf(Detection.NotFound.class);
    }

    /** Bars added around the image (fractions of its width or height), as letterboxing or captions do. */
    private static BufferedImage border(BufferedImage image, double left, double top, double right, double bottom) {
        int w = image.getWidth();
        int h = image.getHeight();
        int l = (int) (w * left);
        int t = (int) (h * top);
        BufferedImage out = new BufferedImage(w + l + (int) (w * right), h + t + (int) (h * bottom),
                BufferedImage.TYPE_3BYTE_BGR);
        java.awt.Graphics2D g = out.createGraphics();
        g.setColor(bottom > 0 && top == 0 ? java.awt.Color.WHITE : java.awt.Color.BLACK);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(image, l, t, null);
        g.dispose();
        return out;
    }

    private static Payload found(Detection detection) {
        assertThat(detection).isInstanceOf(Detection.Found.class);
        return ((Detection.Found) detection).payload();
    }

    /** The image turned 90 degrees clockwise ({@code clockwise}) or anticlockwise. */
    private static BufferedImage turn(BufferedImage image, boolean clockwise) {
        int w = image.getWidth();
        int h = image.getHeight();
        BufferedImage out = new BufferedImage(h, w, BufferedImage.TYPE_3BYTE_BGR);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                if (clockwise) {
                    out.setRGB(h - 1 - y, x, image.getRGB(x, y));
                } else {
                    out.setRGB(y, w - 1 - x, image.getRGB(x, y));
                }
            }
        }
        return out;
    }
}
