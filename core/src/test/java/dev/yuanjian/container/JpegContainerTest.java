package dev.yuanjian.container;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.SOURCE_TYPE;
import static dev.yuanjian.container.ImageFixtures.TRAINED_ALGORITHMIC_MEDIA;
import static dev.yuanjian.container.ImageFixtures.afterSoi;
import static dev.yuanjian.container.ImageFixtures.ascii;
import static dev.yuanjian.container.ImageFixtures.count;
import static dev.yuanjian.container.ImageFixtures.decode;
import static dev.yuanjian.container.ImageFixtures.foreignPacket;
import static dev.yuanjian.container.ImageFixtures.jpeg;
import static dev.yuanjian.container.ImageFixtures.label;
import static dev.yuanjian.container.ImageFixtures.segment;
import static dev.yuanjian.container.ImageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.testing.ExternalTools;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JpegContainerTest {
    private static final byte[] EXIF = segment(0xE1, ascii("Exif\0\0MM\0*\0\0\0\10\0\0"));
    private static final byte[] ICC = segment(0xE2, ascii("ICC_PROFILE\0\1\1not really a profile"));
    private static final byte[] IPTC = segment(0xED, ascii("Photoshop 3.0\08BIM\4\4\0\0\0\0\0\0"));
    private static final byte[] ADOBE = segment(0xEE, ascii("Adobe\0\144\0\0\0\0\1"));
    private static final byte[] COMMENT = segment(0xFE, utf8("由相机写入"));

    private final JpegContainer jpg = new JpegContainer();

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** {@code b} without its XMP segment. */
    private static String withoutXmp(byte[] b) throws FormatException {
        for (JpegContainer.Segment s : JpegContainer.segments(b, "t")) {
            if (Bytes.startsWith(b, s.data(), JpegContainer.XMP_HEADER)) {
                return latin1(Bytes.splice(b, s.start(), s.end(), new byte[0]));
            }
        }
        return latin1(b);
    }

    @Test
    void signatureNamesJpeg() {
        assertThat(jpg.format()).isEqualTo("jpeg");
        assertThat(jpg.mediaType()).isEqualTo("image/jpeg");
        assertThat(jpg.signature().extensions()).containsExactly(".jpg", ".jpeg");
        assertThat(jpg.signature().matchesMagic(jpeg(4, 4))).isTrue();
    }

    static Stream<Arguments> images() {
        byte[] plain = jpeg(200, 120);
        byte[] app0 = Arrays.copyOfRange(plain, 2, 20); // ImageIO writes an 18-byte JFIF APP0 first
        byte[] rest = Arrays.copyOfRange(plain, 20, plain.length);
        return Stream.of(
                Arguments.of("JFIF", plain),
                Arguments.of("JFIF and Exif", Bytes.concat(Arrays.copyOf(plain, 2), app0, EXIF, COMMENT, rest)),
                Arguments.of("foreign XMP", afterSoi(plain,
                        segment(0xE1, Bytes.concat(JpegContainer.XMP_HEADER, utf8(foreignPacket("")))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void roundTripReplacesAndKeepsEveryOtherSegment(String what, byte[] image) throws Exception {
        Asset a = Asset.of("a.jpg", image);
        assertThat(jpg.metadata(a, AIGC)).isEmpty();
        Asset once = jpg.withMetadata(jpg.withMetadata(a, AIGC, label("first")), SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        Asset twice = jpg.withMetadata(once, AIGC, label("second-longer-value"));
        jpg.check(twice);
        assertThat(jpg.metadata(twice, AIGC)).contains(label("second-longer-value"));
        assertThat(jpg.metadata(twice, SOURCE_TYPE)).contains(TRAINED_ALGORITHMIC_MEDIA);
        String text = latin1(twice.bytes());
        assertThat(count(text, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(count(text, "<x:xmpmeta")).isEqualTo(1);
        assertThat(twice.bytes().length).isEqualTo(once.bytes().length + "second-longer-value".length() - "first".length());
        assertThat(withoutXmp(twice.bytes())).isEqualTo(withoutXmp(image));
        BufferedImage before = decode(image);
        BufferedImage after = decode(twice.bytes());
        assertThat(after.getRGB(0, 0, after.getWidth(), after.getHeight(), null, 0, after.getWidth()))
                .isEqualTo(before.getRGB(0, 0, before.getWidth(), before.getHeight(), null, 0, before.getWidth()));
        if (what.equals("foreign XMP")) {
            assertThat(text).contains("<dc:format>image/png</dc:format>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void whereTheValueGoesDoesNotDependOnTheOldValue(String what, byte[] image) throws Exception {
        Asset a = Asset.of("a.jpg", image);
        Asset viaShort = jpg.withMetadata(jpg.withMetadata(a, AIGC, "x"), AIGC, label("v"));
        Asset viaLong = jpg.withMetadata(jpg.withMetadata(a, AIGC, label("a-much-longer-seal-长")), AIGC, label("v"));
        assertThat(viaShort.bytes()).isEqualTo(viaLong.bytes());
    }

    @Test
    void aNewXmpSegmentFollowsJfifAndExif() throws Exception {
        byte[] image = (byte[]) images().toList().get(1).get()[1];
        byte[] out = jpg.withMetadata(Asset.of("a.jpg", image), AIGC, label("X")).bytes();
        List<JpegContainer.Segment> segments = JpegContainer.segments(out, "a.jpg");
        assertThat(segments.get(0).marker()).isEqualTo(0xE0);
        assertThat(latin1(out).substring(segments.get(1).data())).startsWith("Exif\0");
        assertThat(latin1(out).substring(segments.get(2).data())).startsWith("http://ns.adobe.com/xap/1.0/\0");
        assertThat(segments.get(3).marker()).isEqualTo(0xFE);
    }

    @Test
    void aUtf16PacketIsReadAndKeepsItsProperties() throws Exception {
        byte[] packet = foreignPacket("").getBytes(StandardCharsets.UTF_16LE);
        Asset a = Asset.of("a.jpg", afterSoi(jpeg(20, 20), segment(0xE1, Bytes.concat(JpegContainer.XMP_HEADER, packet))));
        Asset out = jpg.withMetadata(a, AIGC, label("v"));
        assertThat(jpg.metadata(out, AIGC)).contains(label("v"));
        JpegContainer.Segment x = JpegContainer.segments(out.bytes(), "t").get(0); // edited where it was
        int from = x.data() + JpegContainer.XMP_HEADER.length;
        String stored = new String(out.bytes(), from, x.end() - from, StandardCharsets.UTF_16LE);
        assertThat(stored).contains("<xmp:CreatorTool>画图 3.0</xmp:CreatorTool>").contains("<TC260:AIGC>");
    }

    @Test
    void aPacketTooLargeForOneSegmentIsRefusedClearly() {
        String huge = "长".repeat(22_000); // 66,000 bytes in UTF-8
        assertThatThrownBy(() -> jpg.withMetadata(Asset.of("big.jpg", jpeg(20, 20)), AIGC, huge))
                .isInstanceOf(FormatException.class).hasMessageContaining("big.jpg").hasMessageContaining("65533");
    }

    @Test
    void twoXmpSegmentsAreRefusedOnRead() {
        byte[] x = segment(0xE1, Bytes.concat(JpegContainer.XMP_HEADER, utf8(foreignPacket(""))));
        Asset two = Asset.of("two.jpg", afterSoi(jpeg(20, 20), x, x));
        assertThatThrownBy(() -> jpg.metadata(two, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("two.jpg").hasMessageContaining("two XMP APP1 segments");
        assertThatThrownBy(() -> jpg.check(two)).isInstanceOf(FormatException.class);
    }

    static Stream<Arguments> corrupt() {
        byte[] j = jpeg(20, 20);
        byte[] badLength = j.clone();
        badLength[4] = (byte) 0xff;
        badLength[5] = (byte) 0xff;
        return Stream.of(
                Arguments.of("truncated in headers", Arrays.copyOf(j, 30), "offset"),
                Arguments.of("bad segment length", badLength, "segment FF E0 at offset 2 declares 65535 bytes"),
                Arguments.of("magic only", JpegContainer.MAGIC, "truncated"),
                Arguments.of("garbage", Bytes.concat(JpegContainer.MAGIC, utf8("garbage")), "offset"),
                Arguments.of("EOI before the image", Bytes.concat(Arrays.copyOf(j, 2), new byte[] {(byte) 0xFF, (byte) 0xD9}),
                        "unexpected marker FF D9 at offset 2"),
                Arguments.of("not a JPEG", utf8("GIF89a"), "not a JPEG"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void corruptInputRaisesFormatExceptionSayingWhere(String what, byte[] bytes, String where) {
        Asset asset = Asset.of("bad.jpg", bytes);
        assertThatThrownBy(() -> jpg.metadata(asset, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.jpg").hasMessageContaining(where);
        assertThatThrownBy(() -> jpg.withMetadata(asset, AIGC, "x")).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> jpg.check(asset)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> jpg.raster().orElseThrow().decode(asset)).isInstanceOf(FormatException.class);
    }

    @Test
    void reEncodingKeepsTheOriginalsAppSegmentsInOrderAndItsAdobeTransform() throws Exception {
        byte[] image = afterSoi(jpeg(64, 48), EXIF, ICC, IPTC, ADOBE, COMMENT);
        Asset labelled = jpg.withMetadata(Asset.of("c.jpg", image), AIGC, label("k"));
        Raster raster = jpg.raster().orElseThrow();
        BufferedImage pixels = raster.decode(labelled);
        Asset out = raster.encode(labelled, pixels);
        String s = latin1(out.bytes());
        int exif = s.indexOf(latin1(EXIF));
        int xmp = s.indexOf("http://ns.adobe.com/xap/1.0/\0");
        int icc = s.indexOf(latin1(ICC));
        int iptc = s.indexOf(latin1(IPTC));
        int comment = s.indexOf(latin1(COMMENT));
        assertThat(List.of(exif, xmp, icc, iptc, comment)).allMatch(i -> i > 0).isSorted();
        // APP14 is written by the encoder from the original's frame: the same transform (1, YCbCr), after the carried segments.
        int adobe = s.indexOf("\u00FF\u00EE\0\u000EAdobe");
        assertThat(adobe).isGreaterThan(comment);
        assertThat(s.charAt(adobe + 4 + 11)).isEqualTo((char) 1);
        assertThat(JpegContainer.segments(out.bytes(), "t").get(0).marker()).as("JFIF first").isEqualTo(0xE0);
        assertThat(jpg.metadata(out, AIGC)).contains(label("k"));
        assertThat(decode(out.bytes()).getWidth()).isEqualTo(64);
    }

    @Test
    void pixelsOfAnotherColourModelThanTheOriginalAreStillEncoded() throws Exception {
        BufferedImage grey = new BufferedImage(64, 48, BufferedImage.TYPE_BYTE_GRAY);
        Asset original = Asset.of("g.jpg", ImageFixtures.encode(grey, "jpeg"));
        BufferedImage rgb = ImageFixtures.picture(64, 48, false);
        Asset out = jpg.raster().orElseThrow().encode(original, rgb);
        BufferedImage back = decode(out.bytes());
        assertThat(back.getColorModel().getNumColorComponents()).as("the new pixels' colours, not the frame's").isEqualTo(3);
        int red = (back.getRGB(60, 4) >> 16) & 0xff;
        assertThat(red).as("a red gradient, not grey").isCloseTo((rgb.getRGB(60, 4) >> 16) & 0xff, org.assertj.core.data.Offset.offset(24));
        assertThat(red - (back.getRGB(60, 4) & 0xff)).isGreaterThan(60);
    }

    @Test
    void damagedFilesRaiseOnlyFormatException() throws Exception {
        byte[] good = jpg.withMetadata(Asset.of("a.jpg", jpeg(48, 32)), AIGC, label("SIG")).bytes();
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            Asset asset = Asset.of("m.jpg", Mutations.mutate(good, random));
            Mutations.onlyFormatException(() -> jpg.metadata(asset, AIGC), round);
            Mutations.onlyFormatException(() -> jpg.withMetadata(asset, AIGC, "X"), round);
            if (round % 10 == 0) {
                Mutations.onlyFormatException(() -> jpg.raster().orElseThrow().decode(asset), round);
            }
        }
    }

    @Test
    void exiftoolReadsTheXmpProperties(@TempDir Path dir) throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        Asset a = jpg.withMetadata(jpg.withMetadata(jpg.withMetadata(Asset.of("a.jpg", jpeg(64, 48)), AIGC, "x"),
                SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA), AIGC, label("0123456789abcdef"));
        Path file = dir.resolve("labelled.jpg");
        Files.write(file, a.bytes());
        JsonNode result = PngContainerTest.exiftool(exiftool, file);
        assertThat(result.path("XMP-TC260:Aigc").asText()).as(result.toString()).isEqualTo(label("0123456789abcdef"));
        assertThat(result.path("XMP-iptcExt:DigitalSourceType").asText()).isEqualTo(TRAINED_ALGORITHMIC_MEDIA);
    }

    @org.junit.jupiter.api.Test
    void aTruncatedJpegIsNotDrawnOnAsIfWhole() throws Exception {
        // Reported: the first half of a JPEG was labelled, its missing half kept as grey, and logged intact.
        byte[] whole = ImageFixtures.jpeg(320, 240);
        byte[] half = java.util.Arrays.copyOf(whole, whole.length / 2);
        JpegContainer c = new JpegContainer();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.raster().orElseThrow().decode(Asset.of("half.jpg", half)))
                .isInstanceOf(FormatException.class).hasMessageContaining("truncated").hasMessageContaining("--no-explicit");
        org.assertj.core.api.Assertions.assertThat(c.raster().orElseThrow().decode(Asset.of("whole.jpg", whole)).getWidth())
                .isEqualTo(320);
    }

    @org.junit.jupiter.api.Test
    void codingsTheDecoderCannotReadAreNamedNotCalledIncomplete() throws Exception {
        // Reported: arithmetic-coded, lossless and 12-bit JPEGs got "could not be decoded ... check that the file is complete".
        byte[] baseline = ImageFixtures.jpeg(64, 48);
        int sof = 2;
        while (!((baseline[sof] & 0xff) == 0xFF && (baseline[sof + 1] & 0xff) == 0xC0)) {
            sof++;
        }
        JpegContainer c = new JpegContainer();
        for (Object[] kind : new Object[][] {{0xC3, 8, "lossless"}, {0xC9, 8, "arithmetic-coded"}, {0xC1, 12, "12-bit"}}) {
            byte[] b = baseline.clone();
            b[sof + 1] = (byte) (int) (Integer) kind[0];
            b[sof + 4] = (byte) (int) (Integer) kind[1];
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.raster().orElseThrow().decode(Asset.of("odd.jpg", b)))
                    .isInstanceOf(FormatException.class).hasMessageContaining((String) kind[2])
                    .hasMessageContaining("--no-explicit").hasMessageNotContaining("complete");
        }
    }
}
