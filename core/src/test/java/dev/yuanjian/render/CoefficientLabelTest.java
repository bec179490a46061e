package dev.yuanjian.render;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegCoefficients;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The visible label drawn on a JPEG's coefficients ({@link RasterPainter#drawOn(JpegCoefficients, int, List)}):
 * only the blocks of the MCUs under the label's box change, every other block keeps its
 * coefficients bit for bit, and the box looks as the pixel path draws it.
 */
class CoefficientLabelTest {
    private static final List<String> WORDINGS = List.of("本内容由人工智能生成", "AI-generated content");
    private final RasterPainter painter = new RasterPainter();

    @ParameterizedTest(name = "orientation {0}, {1}")
    @CsvSource({"1, colour", "6, colour", "3, colour", "8, grey", "1, grey"})
    void onlyTheMcusUnderTheBoxChangeAndTheBoxLooksAsDrawnOnPixels(int orientation, String kind) throws Exception {
        BufferedImage picture = ImageFixtures.picture(500, 340, false);
        if (kind.equals("grey")) {
            BufferedImage grey = new BufferedImage(500, 340, BufferedImage.TYPE_BYTE_GRAY);
            grey.getGraphics().drawImage(picture, 0, 0, null);
            picture = grey;
        }
        byte[] original = ImageFixtures.encode(picture, "jpeg");
        JpegCoefficients before = read(original);
        JpegCoefficients image = read(original);
        String text = painter.drawOn(image, orientation, WORDINGS);
        byte[] marked = image.write();
        JpegCoefficients after = read(marked);

        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(original));
        Rectangle box = RasterPainter.storedBox(decoded, text, painter.fontFor(text).orElseThrow(), orientation);
        int mcuW = 8 * before.maxH();
        int mcuH = 8 * before.maxV();
        int changedBlocks = 0;
        for (int ci = 0; ci < before.componentCount(); ci++) {
            JpegCoefficients.Component b = before.component(ci);
            JpegCoefficients.Component a = after.component(ci);
            int pxPerBlockX = 8 * before.maxH() / b.h();
            int pxPerBlockY = 8 * before.maxV() / b.v();
            for (int by = 0; by < b.blocksHigh(); by++) {
                for (int bx = 0; bx < b.blocksWide(); bx++) {
                    boolean same = true;
                    for (int k = 0; k < 64; k++) {
                        same &= a.get(bx, by, k) == b.get(bx, by, k);
                    }
                    if (same) {
                        continue;
                    }
                    changedBlocks++;
                    Rectangle block = new Rectangle(bx * pxPerBlockX, by * pxPerBlockY, pxPerBlockX, pxPerBlockY);
                    Rectangle mcus = new Rectangle(Math.floorDiv(box.x, mcuW) * mcuW, Math.floorDiv(box.y, mcuH) * mcuH,
                            0, 0).union(new Rectangle(box.x + box.width - 1, box.y + box.height - 1, 1, 1));
                    assertThat(block.intersects(grow(mcus, mcuW, mcuH))).as("block " + bx + "," + by + " of component "
                            + ci + " outside the MCUs under " + box).isTrue();
                }
            }
        }
        assertThat(changedBlocks).as("something is drawn").isPositive();

        BufferedImage drawnOnPixels = RasterPainter.draw(decoded, text, painter.fontFor(text).orElseThrow(), orientation);
        BufferedImage result = ImageIO.read(new ByteArrayInputStream(marked));
        // The pixel path: the same drawing re-encoded whole at the same quality (ImageIO's default, as the original).
        BufferedImage pixelPath = ImageIO.read(new ByteArrayInputStream(ImageFixtures.encode(drawnOnPixels, "jpeg")));
        double viaPixels = psnr(drawnOnPixels, pixelPath, box);
        double viaCoefficients = psnr(drawnOnPixels, result, box);
        assertThat(viaCoefficients).as("the box against the label drawn on pixels (pixel path: " + viaPixels + " dB)")
                .isGreaterThan(viaPixels - 1.0);
    }

    private static Rectangle grow(Rectangle r, int w, int h) {
        return new Rectangle(r.x, r.y, Math.ceilDiv(r.width, w) * w, Math.ceilDiv(r.height, h) * h);
    }

    private static JpegCoefficients read(byte[] jpeg) {
        return switch (JpegCoefficients.read(jpeg)) {
            case JpegCoefficients.Decoded d -> d.coefficients();
            case JpegCoefficients.NotHandled n -> throw new AssertionError(n.reason());
        };
    }

    private static double psnr(BufferedImage a, BufferedImage b, Rectangle box) {
        double squared = 0;
        long n = 0;
        for (int y = Math.max(0, box.y); y < Math.min(a.getHeight(), box.y + box.height); y++) {
            for (int x = Math.max(0, box.x); x < Math.min(a.getWidth(), box.x + box.width); x++) {
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
