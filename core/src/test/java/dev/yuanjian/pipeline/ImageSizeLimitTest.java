package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.store.Home;
import dev.yuanjian.verify.Verdict;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pixel limit (100 megapixels) guards decoding, so it applies exactly where pixels are decoded:
 * drawing the visible label. Metadata work (label without the visible label, propagate, verify)
 * never decodes and takes any size the upload limit admits, so propagate accepting an image that
 * label with the visible label refuses is consistent, not a gap; what must hold is that the refusal
 * says why and logs nothing, and that nothing on the metadata path decodes (every decode checks the
 * size first, so one would show here as the same refusal).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageSizeLimitTest {
    /** 144 megapixels declared; a few hundred bytes of file. Decoded it would be 432 MB of RGB. */
    private static final int SIDE = 12_000;

    Yuanjian app;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    /** A PNG whose header declares {@code SIDE} x {@code SIDE} grey pixels, with a short (incomplete) image stream. */
    private static byte[] png() throws Exception {
        byte[] ihdr = {(byte) (SIDE >>> 24), (byte) (SIDE >>> 16), (byte) (SIDE >>> 8), (byte) SIDE,
                (byte) (SIDE >>> 24), (byte) (SIDE >>> 16), (byte) (SIDE >>> 8), (byte) SIDE, 8, 0, 0, 0, 0};
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (DeflaterOutputStream d = new DeflaterOutputStream(z)) {
            d.write(new byte[1000]);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        out.write(ImageFixtures.chunk("IHDR", ihdr));
        out.write(ImageFixtures.chunk("IDAT", z.toByteArray()));
        out.write(ImageFixtures.chunk("IEND", new byte[0]));
        return out.toByteArray();
    }

    /** A small real JPEG whose frame header (SOF0) is made to declare {@code SIDE} x {@code SIDE}. */
    private static byte[] jpeg() {
        byte[] b = ImageFixtures.jpeg(48, 32);
        for (int at = 2; at + 4 <= b.length; at += 2 + (((b[at + 2] & 0xff) << 8) | (b[at + 3] & 0xff))) {
            if ((b[at + 1] & 0xff) == 0xC0) {
                b[at + 5] = (byte) (SIDE >>> 8);
                b[at + 6] = (byte) SIDE;
                b[at + 7] = (byte) (SIDE >>> 8);
                b[at + 8] = (byte) SIDE;
                return b;
            }
        }
        throw new IllegalStateException("no SOF0");
    }

    private Pipeline.Result label(Asset asset, Set<String> omit) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(asset, omit, "m", Optional.empty()));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"huge.png", "huge.jpg"})
    void onlyDrawingIsRefusedForSizeAndEveryMetadataPathTakesTheFile(String name) throws Exception {
        Asset huge = Asset.of(name, name.endsWith(".png") ? png() : jpeg());
        long before = app.log().size();
        assertThatThrownBy(() -> label(huge, Set.of())).isInstanceOf(FormatException.class)
                .hasMessageContaining(name).hasMessageContaining(SIDE + " x " + SIDE)
                .hasMessageContaining("outside the supported size");
        assertThat(app.log().size()).as("a refusal logs nothing").isEqualTo(before);

        Pipeline.Result labelled = label(huge, Set.of(ExplicitLabelMark.NAME));
        assertThat(labelled.marks()).contains(ImplicitLabelMark.NAME).doesNotContain(ExplicitLabelMark.NAME);
        assertThat(app.verifier().verify(labelled.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);

        Pipeline.Result propagated = app.pipeline().propagate(huge, Optional.of("2"));
        assertThat(propagated.label().contentPropagator()).isNotEmpty();
        assertThat(app.verifier().verify(propagated.labelled()).verdict()).isInstanceOf(Verdict.Intact.class);
        Pipeline.Result passedOn = app.pipeline().propagate(labelled.labelled(), Optional.empty());
        assertThat(passedOn.label().produceId()).isEqualTo(labelled.contentId());
    }
}
