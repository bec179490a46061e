package dev.yuanjian.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.Raster;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.store.Home;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Inputs found by {@link ImageFuzzTest}, each reduced to the one damage that did it, with the
 * refusal now expected. A regression of the first may kill the test JVM (native code), which fails
 * the build as surely as an assertion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ImageFuzzFindingsTest {
    Yuanjian app;

    @BeforeAll
    void open(@TempDir Path dir) throws Exception {
        app = Yuanjian.open(new Home(dir.resolve("home")), Settings.defaults(), Map.of());
    }

    @AfterAll
    void close() {
        app.close();
    }

    /** Offset of the first byte of the first marker segment {@code marker}'s data (after its length). */
    private static int segmentData(byte[] jpeg, int marker) {
        for (int at = 2; at + 4 <= jpeg.length; ) {
            if ((jpeg[at + 1] & 0xff) == marker) {
                return at + 4;
            }
            at += 2 + (((jpeg[at + 2] & 0xff) << 8) | (jpeg[at + 3] & 0xff));
        }
        throw new IllegalArgumentException("no segment FF " + Integer.toHexString(marker));
    }

    /**
     * A zero in a quantisation table (T.81 does not allow it; decoders read it): re-encoding with the
     * original's tables made the JDK's native encoder divide by zero, and SIGFPE killed the process (a
     * server with it). Drawing is refused by name; the metadata label still works.
     */
    @Test
    void aZeroQuantisationValueIsRefusedBeforeTheEncoderSeesIt() throws Exception {
        byte[] good = ImageFixtures.jpeg(48, 32);
        Raster raster = new JpegContainer().raster().orElseThrow();
        for (int entry : new int[] {0, 1, 63}) {
            byte[] bad = Arrays.copyOf(good, good.length);
            bad[segmentData(bad, 0xDB) + 1 + entry] = 0; // after Pq/Tq: the table's values in zig-zag order
            Asset asset = Asset.of("zero-q.jpg", bad);
            var pixels = raster.decode(asset);
            assertThatThrownBy(() -> raster.encode(asset, pixels)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("zero-q.jpg").hasMessageContaining("quantisation table 0 holds a zero")
                    .hasMessageContaining("without the visible label");
            long before = app.log().size();
            assertThatThrownBy(() -> label(asset, Set.of())).isInstanceOf(FormatException.class);
            assertThat(app.log().size()).isEqualTo(before);
            assertThat(label(asset, Set.of(ExplicitLabelMark.NAME)).marks()).doesNotContain(ExplicitLabelMark.NAME);
        }
    }

    /**
     * An XMP packet with an element that is never closed: writing the second property replaced the
     * unreadable packet with one holding only that property, the label was gone, and seal failed after
     * the log entry was appended (an entry for a file never returned). Now refused before logging.
     */
    @Test
    void aLabelThatDoesNotReadBackIsRefusedBeforeAnythingIsLogged() throws Exception {
        String packet = ImageFixtures.foreignPacket("   <Iptc4xmpExt:DigitalSourceType xmlns:Iptc4xmpExt=\""
                + ImageFixtures.SOURCE_TYPE.namespace() + "\">http://example.com/</Iptc4xmpExt:DigitalSourc:Type>\n");
        byte[] app1 = ImageFixtures.segment(0xE1, concat("http://ns.adobe.com/xap/1.0/\0".getBytes(StandardCharsets.ISO_8859_1),
                packet.getBytes(StandardCharsets.UTF_8)));
        Asset asset = Asset.of("broken-xmp.jpg", ImageFixtures.afterSoi(ImageFixtures.jpeg(48, 32), app1));
        long before = app.log().size();
        assertThatThrownBy(() -> label(asset, Set.of(ExplicitLabelMark.NAME))).isInstanceOf(FormatException.class)
                .hasMessageContaining("broken-xmp.jpg").hasMessageContaining("does not read back")
                .hasMessageContaining("XMP");
        assertThat(app.log().size()).as("nothing logged").isEqualTo(before);
    }

    private Pipeline.Result label(Asset asset, Set<String> omit) throws FormatException {
        return app.pipeline().label(new Pipeline.Request(asset, omit, "m", Optional.empty()));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
