package dev.yuanjian.render;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.label;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.ImageFixtures;
import dev.yuanjian.container.JpegContainer;
import dev.yuanjian.container.PngContainer;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.testing.ExternalTools;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Drawing the visible label (and then setting the GB 45438 label, as labelling does) keeps every
 * metadata block: ExifTool's reading ({@code -j -a -G1 -struct}) of the labelled file equals its
 * reading of the original, except what must change (file system facts, our own XMP properties,
 * offsets that point past re-encoded image data). One case per kind of block; every image is
 * made here with javax.imageio, ExifTool and hand-built segments.
 */
class LabelKeepsMetadataTest {
    private static final List<String> WORDINGS = List.of("本内容由人工智能生成", "AI-generated content");
    private static Path exiftool;
    @TempDir
    static Path dir;

    private final RasterPainter painter = new RasterPainter();

    @BeforeAll
    static void tools() {
        exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
    }

    /** How a case makes its image: from a plain file in {@code dir}, returns the bytes to label. */
    @FunctionalInterface
    interface Maker {
        byte[] make(Path plain) throws Exception;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                jpeg("Exif IFD0, ExifIFD, GPS and an IFD1 thumbnail", "IFD1:ThumbnailImage", f -> exiftool(f, "-IFD0:Make=Acme",
                        "-IFD0:Model=X1", "-IFD0:Artist=源鉴", "-ExifIFD:DateTimeOriginal=2025:09:01 10:00:00",
                        "-ExifIFD:UserComment=made by a test", "-GPS:GPSLatitude=22.54", "-GPS:GPSLatitudeRef=N",
                        "-GPS:GPSLongitude=114.05", "-GPS:GPSLongitudeRef=E",
                        "-IFD1:ThumbnailImage<=" + write("thumb.jpg", ImageFixtures.jpeg(32, 24)))),
                jpeg("Exif orientation 6", "IFD0:Orientation", f -> exiftool(f, "-IFD0:Orientation#=6", "-IFD0:Make=Acme")),
                jpeg("Canon maker notes", "Canon:CanonModelID", f -> exiftool(f, "-Make=Canon", "-Model=Canon EOS 5D",
                        // One Canon maker-note entry: CanonModelID (0x0010), LONG, 0x80000213 (EOS 5D).
                        "-MakerNotes<=" + write("canon.bin", new byte[] {0, 1, 0, 0x10, 0, 4, 0, 0, 0, 1,
                                (byte) 0x80, 0, 2, 0x13, 0, 0, 0, 0}))),
                jpeg("ICC profile over several APP2 segments", "ICC_Profile:AToB0", f -> exiftool(f, "-ICC_Profile<="
                        + write("pycc.icc", ICC_Profile.getInstance(ColorSpace.CS_PYCC).getData()))),
                jpeg("IPTC and Photoshop APP13", "IPTC:Keywords", f -> exiftool(f, "-IPTC:CodedCharacterSet=UTF8",
                        "-IPTC:Keywords=源鉴", "-IPTC:Keywords=test", "-IPTC:By-line=Someone",
                        "-Photoshop:CopyrightFlag=True", "-Photoshop:URL=https://example.com/")),
                jpeg("XMP in UTF-8", "XMP-dc:Title", f -> exiftool(f, "-XMP-dc:Title=标题", "-XMP-dc:Creator=Someone",
                        "-XMP-xmp:Rating=4")),
                jpeg("XMP in UTF-16", "XMP-dc:Title", f -> ImageFixtures.afterSoi(Files.readAllBytes(f), ImageFixtures.segment(0xE1,
                        concat(ImageFixtures.ascii("http://ns.adobe.com/xap/1.0/\0"), utf16(ImageFixtures.foreignPacket(
                                "   <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">标题</rdf:li></rdf:Alt></dc:title>\n")))))),
                jpeg("Extended XMP", "XMP-dc:Description", f -> exiftool(f, "-XMP-dc:Title=big",
                        "-XMP-dc:Description<=" + write("big.txt", "源鉴 ".repeat(20_000).getBytes(StandardCharsets.UTF_8)))),
                jpeg("JFIF density", "JFIF:XResolution", f -> exiftool(f, "-JFIF:XResolution=300", "-JFIF:YResolution=300",
                        "-JFIF:ResolutionUnit=inches")),
                jpeg("COM comment", "File:Comment", f -> exiftool(f, "-Comment=written by a camera")),
                jpeg("FlashPix APP2", "FlashPix:AudioStream", f -> ImageFixtures.afterSoi(Files.readAllBytes(f), flashPix())),
                jpeg("MPF with a second image", "MPImage2:PreviewImage", f -> mpf(Files.readAllBytes(f))),
                jpeg("C2PA JUMBF in APP11", "JUMBF:JUMDLabel", f -> new JpegContainer().manifestSlot().orElseThrow()
                        .embed(Asset.of("c.jpg", Files.readAllBytes(f)), jumbf()).asset().bytes()),
                png("PNG tEXt, zTXt and iTXt", "PNG:Description-zh", f -> ImageFixtures.afterIhdr(Files.readAllBytes(f),
                        ImageFixtures.chunk("tEXt", ImageFixtures.ascii("Author\0Someone")),
                        ImageFixtures.chunk("zTXt", concat(ImageFixtures.ascii("Comment\0\0"), deflate("a comment"))),
                        ImageFixtures.chunk("iTXt", concat(ImageFixtures.ascii("Description\0\0\0zh\0"),
                                "描述\0源鉴的测试".getBytes(StandardCharsets.UTF_8))))),
                png("PNG eXIf", "IFD0:Make", f -> exiftool(f, "-EXIF:Make=Acme", "-EXIF:Model=X1",
                        "-EXIF:DateTimeOriginal=2025:09:01 10:00:00", "-GPS:GPSLatitude=22.54", "-GPS:GPSLatitudeRef=N")),
                png("PNG iCCP", "ICC_Profile:RedTRC", f -> exiftool(f, "-ICC_Profile<="
                        + write("srgb.icc", ICC_Profile.getInstance(ColorSpace.CS_sRGB).getData()))),
                png("PNG sRGB, gAMA, cHRM and pHYs", "PNG:SRGBRendering", f -> ImageFixtures.afterIhdr(Files.readAllBytes(f),
                        ImageFixtures.chunk("sRGB", new byte[] {0}),
                        ImageFixtures.chunk("gAMA", u32s(45455)),
                        ImageFixtures.chunk("cHRM", u32s(31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000)),
                        ImageFixtures.chunk("pHYs", concat(u32s(11811, 11811), new byte[] {1})))),
                png("PNG bKGD and sBIT", "PNG:BackgroundColor", f -> ImageFixtures.afterIhdr(Files.readAllBytes(f),
                        ImageFixtures.chunk("bKGD", new byte[] {0, 10, 0, 20, 0, 30}),
                        ImageFixtures.chunk("sBIT", new byte[] {5, 6, 5}))),
                png("C2PA caBX", "JUMBF:JUMDLabel", f -> new PngContainer().manifestSlot().orElseThrow()
                        .embed(Asset.of("c.png", Files.readAllBytes(f)), jumbf()).asset().bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void exiftoolReadsTheSameBlocksAfterLabelling(String what, String expected, Container c, Maker maker) throws Exception {
        String ext = c instanceof JpegContainer ? ".jpg" : ".png";
        Path plain = dir.resolve(what.replaceAll("\\W+", "-") + ext);
        Files.write(plain, c instanceof JpegContainer ? ImageFixtures.jpeg(320, 240) : ImageFixtures.png(320, 240));
        byte[] original = maker.make(plain);
        Asset drawn = painter.paint(Asset.of(plain.getFileName().toString(), original), c, WORDINGS, TextBody.Edge.END);
        Asset labelled = c.withMetadata(drawn, AIGC, label("keep"));
        assertThat(c.metadata(labelled, RasterPainter.VISIBLE_LABEL)).isPresent();

        Map<String, String> before = reading(original, ext);
        assertThat(before).as("the case made what it names").containsKey(expected);
        // Drawing redraws the Exif thumbnail (ExifThumbnailTest checks its pixels): its bytes and their length change.
        Map<String, String> after = reading(labelled.bytes(), ext);
        for (Map<String, String> m : List.of(before, after)) {
            m.keySet().removeIf(k -> k.equals("IFD1:ThumbnailImage") || k.equals("IFD1:ThumbnailLength"));
        }
        assertThat(after).isEqualTo(before);
        before = reading(original, ext);
        // A plain metadata rewrite (no drawing) keeps them all, thumbnail included.
        assertThat(reading(c.withMetadata(Asset.of("p" + ext, original), AIGC, label("keep")).bytes(), ext))
                .isEqualTo(before);
    }

    /** The later image of an MPF file stays after the first image's EOI, where the corrected index says. */
    @org.junit.jupiter.api.Test
    void theSecondImageOfAnMpfFileIsWhereItsIndexSays() throws Exception {
        JpegContainer c = new JpegContainer();
        byte[] original = mpf(ImageFixtures.jpeg(320, 240));
        Asset drawn = painter.paint(Asset.of("mpf.jpg", original), c, WORDINGS, TextBody.Edge.END);
        for (Asset a : List.of(drawn, c.withMetadata(drawn, AIGC, label("a much longer value ".repeat(40))))) {
            byte[] b = a.bytes();
            int tiff = indexOf(b, ImageFixtures.ascii("MPF\0")) + 4;
            int entries = tiff + 8 + 2 + 36 + 4;
            long primary = u32(b, entries + 4);
            long second = u32(b, entries + 16 + 8);
            long secondLength = u32(b, entries + 16 + 4);
            assertThat(b[(int) primary - 2] & 0xff).as("the first image's size ends at its EOI").isEqualTo(0xFF);
            assertThat(b[(int) primary - 1] & 0xff).isEqualTo(0xD9);
            byte[] later = java.util.Arrays.copyOfRange(b, (int) (tiff + second), (int) (tiff + second + secondLength));
            assertThat(ImageFixtures.decode(later).getWidth()).as("the second image decodes").isEqualTo(80);
            assertThat(tiff + second + secondLength).as("it ends the file").isEqualTo(b.length);
        }
    }

    /**
     * A packet that no longer fits one APP1 segment once labelled is split into Extended XMP (XMP
     * part 3, 1.1.3.1), not refused: ExifTool reads every property, with no warning about the GUID.
     */
    @org.junit.jupiter.api.Test
    void anXmpPacketThatOutgrowsOneSegmentIsSplitIntoExtendedXmp() throws Exception {
        JpegContainer c = new JpegContainer();
        String description = "<dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">" + "源鉴 ".repeat(8_600)
                + "</rdf:li></rdf:Alt></dc:description>\n";
        byte[] packet = ImageFixtures.foreignPacket(description).getBytes(StandardCharsets.UTF_8);
        assertThat(packet.length).as("fits one segment alone").isBetween(60_000, 65_000);
        byte[] original = ImageFixtures.afterSoi(ImageFixtures.jpeg(320, 240), ImageFixtures.segment(0xE1,
                concat(ImageFixtures.ascii("http://ns.adobe.com/xap/1.0/\0"), packet)));
        Asset labelled = c.withMetadata(Asset.of("x.jpg", original), AIGC, label("keep"));
        assertThat(c.metadata(labelled, AIGC)).contains(label("keep"));
        byte[] b = labelled.bytes();
        int ext = indexOf(b, ImageFixtures.ascii("http://ns.adobe.com/xmp/extension/\0"));
        assertThat(ext).isPositive();
        // One extension segment here: GUID = MD5 of the whole extension, upper-case hex.
        String guid = new String(b, ext + 35, 32, StandardCharsets.US_ASCII);
        int length = (int) u32(b, ext + 35 + 32);
        assertThat(length).isLessThan(65_400);
        byte[] extension = java.util.Arrays.copyOfRange(b, ext + 35 + 40, ext + 35 + 40 + length);
        assertThat(guid).isEqualTo(java.util.HexFormat.of().withUpperCase()
                .formatHex(java.security.MessageDigest.getInstance("MD5").digest(extension)));
        assertThat(new String(extension, StandardCharsets.UTF_8)).startsWith("<x:xmpmeta").contains("dc:description")
                .doesNotContain("yuanjian.dev");
        Asset drawn = painter.paint(labelled, c, WORDINGS, TextBody.Edge.END);
        assertThat(c.metadata(drawn, AIGC)).contains(label("keep"));

        Map<String, String> before = reading(original, ".jpg");
        Map<String, String> after = reading(drawn.bytes(), ".jpg");
        assertThat(after).doesNotContainKey("ExifTool:Warning").containsKey("XMP-xmpNote:HasExtendedXMP");
        after.remove("XMP-xmpNote:HasExtendedXMP");
        assertThat(after).isEqualTo(before);
        // Where the value goes does not depend on the old value: split or not by the first value, same bytes.
        Asset viaSmall = c.withMetadata(c.withMetadata(Asset.of("x.jpg", original), AIGC, "x"), AIGC, label("k"));
        Asset viaLarge = c.withMetadata(c.withMetadata(Asset.of("x.jpg", original), AIGC, label("y".repeat(5000))),
                AIGC, label("k"));
        assertThat(viaSmall.bytes()).isEqualTo(viaLarge.bytes());
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

    private static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) << 24 | (b[at + 1] & 0xffL) << 16 | (b[at + 2] & 0xffL) << 8 | (b[at + 3] & 0xffL);
    }

    /** ExifTool's tags, except those that must change (see the class comment). */
    private static Map<String, String> reading(byte[] image, String ext) throws Exception {
        Path file = Files.createTempFile(dir, "read", ext);
        Files.write(file, image);
        Process p = new ProcessBuilder(exiftool.toString(), "-j", "-a", "-G1", "-struct", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        JsonNode tags = new ObjectMapper().readTree(out).get(0);
        Map<String, String> kept = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = ((ObjectNode) tags).fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            boolean mustChange = k.equals("SourceFile") || k.startsWith("System:") || k.equals("ExifTool:ExifToolVersion")
                    || k.startsWith("XMP-yjv:") || k.startsWith("XMP-TC260:")
                    // Where later MPF images start, and the first image's length, follow the re-encoded data.
                    || k.endsWith(":MPImageStart") || k.equals("MPImage1:MPImageLength");
            if (!mustChange) {
                kept.put(k, e.getValue().toString());
            }
        }
        return kept;
    }

    private static Arguments jpeg(String what, String expected, Maker maker) {
        return Arguments.of(what, expected, new JpegContainer(), maker);
    }

    private static Arguments png(String what, String expected, Maker maker) {
        return Arguments.of(what, expected, new PngContainer(), maker);
    }

    private static byte[] exiftool(Path file, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(exiftool.toString(), "-q", "-overwrite_original"));
        command.addAll(List.of(args));
        command.add(file.toString());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return Files.readAllBytes(file);
    }

    private static String write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes).toString();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf16(String s) {
        return s.getBytes(StandardCharsets.UTF_16); // big-endian with a BOM
    }

    private static byte[] u32s(long... values) {
        byte[] out = new byte[4 * values.length];
        for (int i = 0; i < values.length; i++) {
            for (int j = 0; j < 4; j++) {
                out[4 * i + j] = (byte) (values[i] >>> (24 - 8 * j));
            }
        }
        return out;
    }

    private static byte[] deflate(String text) {
        Deflater d = new Deflater();
        d.setInput(text.getBytes(StandardCharsets.ISO_8859_1));
        d.finish();
        byte[] buf = new byte[256];
        int n = d.deflate(buf);
        d.end();
        return java.util.Arrays.copyOf(buf, n);
    }

    /** A C2PA-labelled JUMBF superbox: {@code jumb} holding a {@code jumd} description box labelled "c2pa". */
    static byte[] jumbf() {
        byte[] uuid = {0x63, 0x32, 0x70, 0x61, 0x00, 0x11, 0x00, 0x10, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
            (byte) 0x9B, 0x71};
        byte[] jumdData = concat(uuid, new byte[] {3}, ImageFixtures.ascii("c2pa\0"));
        byte[] jumd = concat(u32s(8 + jumdData.length), ImageFixtures.ascii("jumd"), jumdData);
        return concat(u32s(8 + jumd.length), ImageFixtures.ascii("jumb"), jumd);
    }

    /**
     * FlashPix APP2 segments as some cameras write them: a contents list (type 1) naming one
     * stream, "/Audio Stream", and that stream's data (type 2): ExifTool reads FlashPix:AudioStream.
     */
    private static byte[][] flashPix() {
        byte[] stream = new byte[0x1c + 16];
        java.util.Arrays.fill(stream, 0x1c, stream.length, (byte) 'a');
        byte[] name = "/Audio Stream".getBytes(StandardCharsets.UTF_16LE);
        byte[] contents = concat(ImageFixtures.ascii("FPXR\0"), new byte[] {0, 1, 0, 1}, u32s(stream.length),
                new byte[] {0}, name, new byte[] {0, 0});
        byte[] data = concat(ImageFixtures.ascii("FPXR\0"), new byte[] {0, 2, 0, 0}, u32s(0), stream);
        return new byte[][] {ImageFixtures.segment(0xE2, contents), ImageFixtures.segment(0xE2, data)};
    }

    /**
     * Reported: a JPEG with MPF could not be labelled (every mark on): the C2PA store lengthens the
     * first image, whose length the MPF index records, and the store's insertion and removal did not
     * correct it, so a seal changed the digest (an internal error, after the log entry).
     */
    @org.junit.jupiter.api.Test
    void aMultiPictureJpegTakesEveryMarkAndVerifiesIntact(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        byte[] original = mpf(ImageFixtures.jpeg(320, 240));
        try (dev.yuanjian.app.Yuanjian app = dev.yuanjian.app.Yuanjian.open(new dev.yuanjian.store.Home(dir.resolve("home")),
                dev.yuanjian.app.Settings.defaults(), java.util.Map.of())) {
            dev.yuanjian.pipeline.Pipeline.Result result = app.pipeline().label(new dev.yuanjian.pipeline.Pipeline.Request(
                    Asset.of("phone.jpg", original), java.util.Set.of(), "test-model", java.util.Optional.empty()));
            assertThat(result.marks()).contains("c2pa", "gb45438-explicit", "gb45438-implicit");
            dev.yuanjian.verify.Report report = app.verifier().verify(result.labelled());
            assertThat(report.verdict()).isInstanceOf(dev.yuanjian.verify.Verdict.Intact.class);
            assertThat(report.finding("c2pa").orElseThrow().view().toString()).contains("valid=true");
            // The second image is still where the corrected index says.
            byte[] b = result.labelled().bytes();
            int tiff = indexOf(b, ImageFixtures.ascii("MPF\0")) + 4;
            byte[] second = ImageFixtures.jpeg(80, 60);
            assertThat(indexOf(b, second)).isGreaterThan(tiff);
        }
    }

    /**
     * Reported: after labelling with every mark, ExifTool read no Exif from a PNG ("IFD0 pointer
     * references previous JUMBFBox directory"): the C2PA chunk sat before {@code eXIf}.
     */
    @org.junit.jupiter.api.Test
    void aPngsExifStaysReadableBesideItsContentCredentials(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl");
        byte[] tiff = {'M', 'M', 0, 42, 0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, 0, 0, 0, 0};
        byte[] original = ImageFixtures.afterIhdr(ImageFixtures.png(64, 48), ImageFixtures.chunk("eXIf", tiff));
        try (dev.yuanjian.app.Yuanjian app = dev.yuanjian.app.Yuanjian.open(new dev.yuanjian.store.Home(dir.resolve("home")),
                dev.yuanjian.app.Settings.defaults(), java.util.Map.of())) {
            byte[] labelled = app.pipeline().label(new dev.yuanjian.pipeline.Pipeline.Request(Asset.of("exif.png", original),
                    java.util.Set.of(), "test-model", java.util.Optional.empty())).labelled().bytes();
            java.nio.file.Path file = java.nio.file.Files.write(dir.resolve("exif.png"), labelled);
            Process p = new ProcessBuilder(exiftool.toString(), "-a", "-G1", "-s", "-Orientation", "-Warning", file.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(p.waitFor()).isZero();
            assertThat(out).as(out).contains("Rotate 90 CW").doesNotContain("IFD0 pointer");
            assertThat(app.verifier().verify(Asset.of("exif.png", labelled)).finding("c2pa").orElseThrow().view().toString())
                    .contains("valid=true");
        }
    }

    /**
     * {@code primary} as the first image of a Multi-Picture file (CIPA DC-007): an APP2 MPF segment
     * whose index names itself and a second JPEG appended after the first image's EOI.
     */
    private static byte[] mpf(byte[] primary) {
        byte[] second = ImageFixtures.jpeg(80, 60);
        int mpfLength = 4 + 8 + 2 + 3 * 12 + 4 + 32;
        int primaryLength = primary.length + 4 + mpfLength;
        int tiffAt = 2 + 4 + 4; // SOI, APP2 marker and length, "MPF\0"
        byte[] tiff = concat(ImageFixtures.ascii("MM\0*"), u32s(8),
                new byte[] {0, 3},
                new byte[] {(byte) 0xB0, 0x00, 0, 7}, u32s(4), ImageFixtures.ascii("0100"),
                new byte[] {(byte) 0xB0, 0x01, 0, 4}, u32s(1), u32s(2),
                new byte[] {(byte) 0xB0, 0x02, 0, 7}, u32s(32), u32s(8 + 2 + 36 + 4),
                u32s(0),
                u32s(0x20030000L, primaryLength, 0), new byte[] {0, 0, 0, 0},
                u32s(0x00010001L, second.length, primaryLength - tiffAt), new byte[] {0, 0, 0, 0});
        byte[] app2 = ImageFixtures.segment(0xE2, concat(ImageFixtures.ascii("MPF\0"), tiff));
        assertThat(app2.length).isEqualTo(4 + mpfLength);
        return concat(ImageFixtures.afterSoi(primary, app2), second);
    }
}
