package dev.yuanjian.render;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.decode;
import static dev.yuanjian.container.ImageFixtures.encode;
import static dev.yuanjian.container.ImageFixtures.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.FormatSignature;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.MetadataKey;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.container.TextBody;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RasterPainterTest {
    private static final String CHINESE = "本内容由人工智能生成";
    private static final String ENGLISH = "AI-generated content";
    private static final List<String> WORDINGS = List.of(CHINESE, ENGLISH);
    /** A character in a private-use plane, which no ordinary font draws. */
    private static final String UNSHOWABLE = "AI \uDBFF\uDFFD";

    private final RasterPainter painter = new RasterPainter();

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of(new PngContainer(), "a.png", ImageFixtures.png(200, 120)),
                Arguments.of(new PngContainer(), "alpha.png", encode(ImageFixtures.picture(90, 160, true), "png")),
                Arguments.of(new PngContainer(), "grey.png", encode(ImageFixtures.grey(160, 100), "png")),
                Arguments.of(new JpegContainer(), "a.jpg", ImageFixtures.jpeg(200, 120)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("images")
    void paintsTheCornerAtFivePercentAndRecordsWhatItDrew(Container c, String name, byte[] image) throws Exception {
        Asset asset = c.withMetadata(Asset.of(name, image), AIGC, label("keep"));
        assertThat(painter.shows(asset, c, WORDINGS)).isFalse();
        Asset marked = painter.paint(asset, c, WORDINGS, TextBody.Edge.START);
        assertThat(painter.shows(marked, c, WORDINGS)).isTrue();
        assertThat(painter.paint(marked, c, WORDINGS, TextBody.Edge.END).bytes()).isEqualTo(marked.bytes());
        assertThat(c.metadata(marked, AIGC)).as("the other metadata survives re-encoding").contains(label("keep"));
        assertThat(c.metadata(marked, RasterPainter.VISIBLE_LABEL)).contains(new Font(Font.SANS_SERIF, Font.BOLD, 12)
                .canDisplayUpTo(CHINESE) == -1 || cjkFontInstalled() ? CHINESE : ENGLISH);

        BufferedImage before = decode(image);
        BufferedImage after = decode(marked.bytes());
        int w = before.getWidth();
        int h = before.getHeight();
        int tolerance = c instanceof JpegContainer ? 40 : 0;
        int changedRows = 0;
        for (int y = h * 3 / 4; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                if (differs(before.getRGB(x, y), after.getRGB(x, y), tolerance)) {
                    changedRows++;
                    break;
                }
            }
        }
        assertThat(changedRows).isGreaterThanOrEqualTo(RasterPainter.textHeight(w, h));
        for (int y = 0; y < h / 3; y++) {
            for (int x = 0; x < w / 3; x++) {
                assertThat(differs(before.getRGB(x, y), after.getRGB(x, y), tolerance)).as(x + "," + y).isFalse();
            }
        }
        // Setting the label again keeps the record of the visible one.
        Asset sealed = c.withMetadata(marked, AIGC, label("final"));
        assertThat(c.metadata(sealed, AIGC)).contains(label("final"));
        assertThat(painter.shows(sealed, c, WORDINGS)).isTrue();
    }

    @Test
    void theInkOfTheTextIsAtLeastFivePercentOfTheShortSide() throws Exception {
        BufferedImage grey = new BufferedImage(400, 300, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                grey.setRGB(x, y, 0x808080);
            }
        }
        PngContainer png = new PngContainer();
        BufferedImage after = decode(painter.paint(Asset.of("g.png", encode(grey, "png")), png, WORDINGS,
                TextBody.Edge.END).bytes());
        // The box darkens the mid-grey; only the white glyphs are brighter than it was.
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int y = 0; y < 300; y++) {
            for (int x = 0; x < 400; x++) {
                if ((after.getRGB(x, y) & 0xff) > 0xc0) {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        assertThat(bottom - top + 1).isGreaterThanOrEqualTo(RasterPainter.textHeight(400, 300));
        assertThat(top).as("bottom edge").isGreaterThan(300 / 2);
    }

    @Test
    void aGreyPngStaysGreyAndUnchangedOutsideTheBox() throws Exception {
        BufferedImage grey = ImageFixtures.grey(320, 100);
        Asset marked = painter.paint(Asset.of("g.png", encode(grey, "png")), new PngContainer(), WORDINGS, TextBody.Edge.END);
        assertThat(marked.bytes()[8 + 8 + 9]).as("IHDR colour type: greyscale").isEqualTo((byte) 0);
        BufferedImage after = decode(marked.bytes());
        int left = Integer.MAX_VALUE;
        int top = Integer.MAX_VALUE;
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 320; x++) {
                if (after.getRaster().getSample(x, y, 0) != grey.getRaster().getSample(x, y, 0)) {
                    left = Math.min(left, x);
                    top = Math.min(top, y);
                }
            }
        }
        assertThat(top).as("changed pixels start in the bottom part").isGreaterThan(100 / 2);
        assertThat(left).as("changed pixels start right of the left edge").isPositive();
        // Every pixel outside that box holds its original grey value: nothing was brightened as a whole.
        for (int y = 0; y < 100; y++) {
            for (int x = 0; x < 320; x++) {
                if (y < top || x < left) {
                    assertThat(after.getRaster().getSample(x, y, 0)).isEqualTo(grey.getRaster().getSample(x, y, 0));
                }
            }
        }
    }

    @Test
    void aCandidateNoFontShowsFallsBackToTheNext() throws Exception {
        assumeTrue(new Font(Font.SANS_SERIF, Font.BOLD, 12).canDisplayUpTo(UNSHOWABLE) != -1);
        RasterPainter noFonts = new RasterPainter(() -> new Font[0]);
        PngContainer png = new PngContainer();
        Asset marked = noFonts.paint(Asset.of("a.png", ImageFixtures.png(80, 60)), png, List.of(UNSHOWABLE, ENGLISH),
                TextBody.Edge.END);
        assertThat(png.metadata(marked, RasterPainter.VISIBLE_LABEL)).contains(ENGLISH);
        assertThatThrownBy(() -> noFonts.paint(Asset.of("a.png", ImageFixtures.png(80, 60)), png, List.of(UNSHOWABLE),
                TextBody.Edge.END)).isInstanceOf(IllegalStateException.class).hasMessageContaining("install");
    }

    @Test
    void paintsOnlyContainersWithPixelsAndSamplesNoText() throws Exception {
        Container text = new Container() {
            @Override
            public FormatSignature signature() {
                return FormatSignature.text("text", "text/plain", List.of(".txt"), true);
            }

            @Override
            public void check(Asset asset) {
            }

            @Override
            public Optional<String> metadata(Asset asset, MetadataKey key) {
                return Optional.empty();
            }

            @Override
            public Asset withMetadata(Asset asset, MetadataKey key, String value) {
                return asset;
            }
        };
        assertThat(painter.paints(new PngContainer())).isTrue();
        assertThat(painter.paints(new JpegContainer())).isTrue();
        assertThat(painter.paints(text)).isFalse();
        assertThat(painter.textSample(Asset.of("a.png", ImageFixtures.png(8, 8)), new PngContainer())).isEmpty();
        assertThatThrownBy(() -> painter.paint(Asset.of("a.txt", new byte[0]), text, WORDINGS, TextBody.Edge.END))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("text");
    }

    @Test
    void textHeightIsFivePercentOfTheShortSideAndAtLeastTwelvePixels() {
        assertThat(RasterPainter.textHeight(1024, 768)).isEqualTo(39);
        assertThat(RasterPainter.textHeight(100, 100)).isEqualTo(12);
        assertThat(RasterPainter.textHeight(2000, 4000)).isEqualTo(100);
    }

    private static boolean cjkFontInstalled() {
        for (Font f : java.awt.GraphicsEnvironment.getLocalGraphicsEnvironment().getAllFonts()) {
            if (f.canDisplayUpTo(CHINESE) == -1) {
                return true;
            }
        }
        return false;
    }

    private static boolean differs(int a, int b, int tolerance) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > tolerance) {
                return true;
            }
        }
        return false;
    }
}
