package dev.yuanjian.container;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.SOURCE_TYPE;
import static dev.yuanjian.container.ImageFixtures.TRAINED_ALGORITHMIC_MEDIA;
import static dev.yuanjian.container.ImageFixtures.afterIhdr;
import static dev.yuanjian.container.ImageFixtures.ascii;
import static dev.yuanjian.container.ImageFixtures.chunk;
import static dev.yuanjian.container.ImageFixtures.count;
import static dev.yuanjian.container.ImageFixtures.decode;
import static dev.yuanjian.container.ImageFixtures.foreignPacket;
import static dev.yuanjian.container.ImageFixtures.label;
import static dev.yuanjian.container.ImageFixtures.png;
import static dev.yuanjian.container.ImageFixtures.utf8;
import static dev.yuanjian.container.ImageFixtures.xmpChunk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.ExternalTools;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PngContainerTest {
    private final PngContainer png = new PngContainer();

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Every chunk of {@code b} except the XMP iTXt, as bytes. */
    private static List<String> otherChunks(byte[] b) throws FormatException {
        return PngContainer.chunks(b, "t").stream()
                .filter(c -> !latin1(b).startsWith(PngContainer.XMP_KEYWORD + "\0", c.data()))
                .map(c -> latin1(Arrays.copyOfRange(b, c.start(), c.end()))).toList();
    }

    @Test
    void signatureNamesPng() {
        assertThat(png.format()).isEqualTo("png");
        assertThat(png.mediaType()).isEqualTo("image/png");
        assertThat(png.signature().extensions()).containsExactly(".png");
        assertThat(png.signature().matchesMagic(png(4, 4))).isTrue();
    }

    static Stream<Arguments> images() {
        return Stream.of(
                Arguments.of("opaque", png(200, 120)),
                Arguments.of("alpha", ImageFixtures.encode(ImageFixtures.picture(90, 160, true), "png")),
                Arguments.of("foreign XMP", afterIhdr(png(30, 30), xmpChunk(utf8(foreignPacket(""))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void roundTripReplacesAndKeepsEveryOtherChunk(String what, byte[] image) throws Exception {
        Asset a = Asset.of("a.png", image);
        assertThat(png.metadata(a, AIGC)).isEmpty();
        Asset once = png.withMetadata(png.withMetadata(a, AIGC, label("first")), SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        Asset twice = png.withMetadata(once, AIGC, label("second-longer-value"));
        png.check(twice);
        assertThat(png.metadata(twice, AIGC)).contains(label("second-longer-value"));
        assertThat(png.metadata(twice, SOURCE_TYPE)).contains(TRAINED_ALGORITHMIC_MEDIA);
        String text = latin1(twice.bytes());
        assertThat(count(text, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(count(text, "<x:xmpmeta")).isEqualTo(1);
        assertThat(count(text, PngContainer.XMP_KEYWORD)).isEqualTo(1);
        assertThat(twice.bytes().length).isEqualTo(once.bytes().length + "second-longer-value".length() - "first".length());
        assertThat(otherChunks(twice.bytes())).isEqualTo(otherChunks(image));
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
        Asset a = Asset.of("a.png", image);
        Asset viaShort = png.withMetadata(png.withMetadata(a, AIGC, "x"), AIGC, label("v"));
        Asset viaLong = png.withMetadata(png.withMetadata(a, AIGC, label("a-much-longer-seal-长")), AIGC, label("v"));
        assertThat(viaShort.bytes()).isEqualTo(viaLong.bytes());
    }

    @Test
    void aNewXmpChunkSitsRightAfterIhdrWithAValidCrc() throws Exception {
        byte[] out = png.withMetadata(Asset.of("a.png", png(20, 20)), AIGC, label("X")).bytes();
        var chunks = PngContainer.chunks(out, "a.png"); // checks every CRC
        assertThat(chunks.get(1).type()).isEqualTo("iTXt");
        var itxt = PngContainer.itxt(out, chunks.get(1), "a.png");
        assertThat(itxt.keyword()).isEqualTo(PngContainer.XMP_KEYWORD);
        assertThat(itxt.compressed()).isFalse();
    }

    @Test
    void anExistingChunkKeepsItsLanguageTagAndACompressedOneIsStoredPlain() throws Exception {
        byte[] packet = utf8(foreignPacket(""));
        byte[] tagged = chunk("iTXt", Bytes.concat(ascii(PngContainer.XMP_KEYWORD + "\0\0\0zh-CN\0XMP \0"), packet));
        Asset out = png.withMetadata(Asset.of("a.png", afterIhdr(png(20, 20), tagged)), AIGC, label("v"));
        assertThat(latin1(out.bytes())).contains(PngContainer.XMP_KEYWORD + "\0\0\0zh-CN\0XMP \0<?xpacket");

        Deflater deflater = new Deflater();
        deflater.setInput(packet);
        deflater.finish();
        byte[] buf = new byte[packet.length + 64];
        byte[] deflated = Arrays.copyOf(buf, deflater.deflate(buf));
        deflater.end();
        byte[] compressed = chunk("iTXt", Bytes.concat(ascii(PngContainer.XMP_KEYWORD + "\0\1\0\0\0"), deflated));
        Asset a = Asset.of("a.png", afterIhdr(png(20, 20), compressed));
        assertThat(png.metadata(a, AIGC)).isEmpty();
        Asset written = png.withMetadata(a, AIGC, label("v"));
        assertThat(latin1(written.bytes())).contains(PngContainer.XMP_KEYWORD + "\0\0\0\0\0<?xpacket")
                .contains("<dc:format>image/png</dc:format>");
        assertThat(png.metadata(written, AIGC)).contains(label("v"));
    }

    @Test
    void aUtf16PacketStaysUtf16AndKeepsItsProperties() throws Exception {
        byte[] packet = foreignPacket("").getBytes(StandardCharsets.UTF_16); // big-endian with a BOM
        Asset a = Asset.of("a.png", afterIhdr(png(20, 20), xmpChunk(packet)));
        Asset out = png.withMetadata(png.withMetadata(a, AIGC, label("v")), SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        assertThat(png.metadata(out, AIGC)).contains(label("v"));
        assertThat(png.metadata(out, SOURCE_TYPE)).contains(TRAINED_ALGORITHMIC_MEDIA);
        var chunks = PngContainer.chunks(out.bytes(), "a.png");
        var itxt = PngContainer.itxt(out.bytes(), chunks.get(1), "a.png");
        byte[] stored = Arrays.copyOfRange(out.bytes(), itxt.text(), chunks.get(1).crcAt());
        assertThat(Arrays.copyOf(stored, 2)).as("still UTF-16BE with its BOM").isEqualTo(new byte[] {(byte) 0xFE, (byte) 0xFF});
        assertThat(new String(stored, StandardCharsets.UTF_16))
                .contains("<xmp:CreatorTool>画图 3.0</xmp:CreatorTool>").contains("<dc:format>image/png</dc:format>");
    }

    @Test
    void twoXmpChunksOrTwoValuesAreRefusedOnRead() throws Exception {
        byte[] x = xmpChunk(utf8(foreignPacket("")));
        Asset two = Asset.of("two.png", afterIhdr(png(20, 20), x, x));
        assertThatThrownBy(() -> png.metadata(two, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("two.png").hasMessageContaining("two XMP iTXt chunks");
        assertThatThrownBy(() -> png.check(two)).isInstanceOf(FormatException.class);
        Asset twice = Asset.of("v.png", afterIhdr(png(20, 20),
                xmpChunk(utf8(foreignPacket("<TC260:AIGC>a</TC260:AIGC><TC260:AIGC>b</TC260:AIGC>")))));
        assertThatThrownBy(() -> png.metadata(twice, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("v.png (XMP iTXt chunk at offset 33)").hasMessageContaining("2 times");
        Asset fixed = png.withMetadata(twice, AIGC, label("one"));
        assertThat(png.metadata(fixed, AIGC)).contains(label("one"));
        assertThat(count(latin1(fixed.bytes()), "<TC260:AIGC>")).isEqualTo(1);
    }

    static Stream<Arguments> corrupt() {
        byte[] p = png(20, 20);
        byte[] badLength = p.clone();
        badLength[8 + 25 + 3] = (byte) 0x7f; // the chunk after IHDR claims more bytes than there are
        byte[] badCrc = p.clone();
        badCrc[20] ^= 1; // inside IHDR data
        byte[] malformedItxt = afterIhdr(p, chunk("iTXt", ascii("keyword-without-a-NUL")));
        byte[] badInflate = afterIhdr(p, chunk("iTXt", ascii(PngContainer.XMP_KEYWORD + "\0\1\0\0\0not deflate data")));
        return Stream.of(
                Arguments.of("truncated", Arrays.copyOf(p, p.length - 7), "truncated chunk header"),
                Arguments.of("cut inside IHDR", Arrays.copyOf(p, 20), "chunk IHDR at offset 8 declares 13 bytes"),
                Arguments.of("bad chunk length", badLength, "past the end of the file"),
                Arguments.of("bad CRC", badCrc, "chunk IHDR at offset 8 fails its CRC check"),
                Arguments.of("garbage after magic", Bytes.concat(PngContainer.MAGIC, utf8("this is not a chunk stream")), "offset 8"),
                Arguments.of("bytes after IEND", Bytes.concat(p, new byte[] {1, 2, 3}), "3 bytes after IEND"),
                Arguments.of("magic only", PngContainer.MAGIC, "IHDR"),
                Arguments.of("not a PNG", utf8("GIF89a"), "not a PNG"),
                Arguments.of("malformed iTXt", malformedItxt, "malformed iTXt chunk at offset 33"),
                Arguments.of("corrupt compressed XMP", badInflate, "compressed XMP iTXt chunk at offset 33"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void corruptInputRaisesFormatExceptionSayingWhere(String what, byte[] bytes, String where) {
        Asset asset = Asset.of("bad.png", bytes);
        assertThatThrownBy(() -> png.metadata(asset, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.png").hasMessageContaining(where);
        assertThatThrownBy(() -> png.withMetadata(asset, AIGC, "x")).isInstanceOf(FormatException.class);
        if (!what.contains("XMP")) {
            assertThatThrownBy(() -> png.check(asset)).isInstanceOf(FormatException.class);
        }
        if (!what.contains("XMP") && !what.contains("iTXt")) {
            // Pixels can be read past a bad text chunk; not past a broken chunk stream.
            assertThatThrownBy(() -> png.raster().orElseThrow().decode(asset)).isInstanceOf(FormatException.class);
        }
    }

    @Test
    void aForgedHugeSizeIsRefusedBeforeDecoding() throws Exception {
        byte[] p = png(8, 8);
        byte[] ihdr = Arrays.copyOfRange(p, 16, 29);
        ihdr[0] = 0x00;
        ihdr[1] = 0x01; // width 65,536 + 8
        ihdr[4] = 0x00;
        ihdr[5] = 0x01;
        byte[] forged = Bytes.concat(Arrays.copyOf(p, 8), chunk("IHDR", ihdr), Arrays.copyOfRange(p, 33, p.length));
        assertThatThrownBy(() -> png.raster().orElseThrow().decode(Asset.of("huge.png", forged)))
                .isInstanceOf(FormatException.class).hasMessageContaining("huge.png").hasMessageContaining("supported size");
    }

    @Test
    void reEncodingKeepsTextPhysExifAndTheColourChunksOfTheSameColourType() throws Exception {
        byte[] text = chunk("tEXt", ascii("Comment\0made by hand"));
        byte[] phys = chunk("pHYs", new byte[] {0, 0, 0x0b, 0x13, 0, 0, 0x0b, 0x13, 1});
        byte[] exif = chunk("eXIf", ascii("MM\0*\0\0\0\10\0\0"));
        byte[] gama = chunk("gAMA", new byte[] {0, 0, (byte) 0xb1, (byte) 0x8f});
        byte[] srgb = chunk("sRGB", new byte[] {0});
        byte[] time = chunk("tIME", new byte[] {0x07, (byte) 0xe9, 9, 1, 12, 0, 0});
        Raster raster = png.raster().orElseThrow();

        Asset rgb = png.withMetadata(Asset.of("c.png", afterIhdr(png(40, 30), srgb, gama, text, phys, exif, time)), AIGC, label("k"));
        BufferedImage pixels = raster.decode(rgb);
        pixels.setRGB(39, 29, 0xff0000);
        Asset out = raster.encode(rgb, pixels);
        List<String> kept = otherChunks(out.bytes());
        for (byte[] c : List.of(srgb, gama, text, phys, exif)) {
            assertThat(kept).contains(latin1(c));
        }
        assertThat(kept).doesNotContain(latin1(time));
        assertThat(png.metadata(out, AIGC)).contains(label("k"));
        assertThat(decode(out.bytes()).getRGB(39, 29) & 0xffffff).isEqualTo(0xff0000);
        assertThat(decode(out.bytes()).getRGB(0, 0)).isEqualTo(decode(rgb.bytes()).getRGB(0, 0));

        // A grey original re-encoded as RGB: its grey colour chunks no longer describe the pixels.
        Asset grey = Asset.of("g.png", afterIhdr(ImageFixtures.encode(ImageFixtures.grey(40, 30), "png"), gama, exif));
        BufferedImage colour = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        List<String> fromGrey = otherChunks(raster.encode(grey, colour).bytes());
        assertThat(fromGrey).contains(latin1(exif)).doesNotContain(latin1(gama));

        assertThatThrownBy(() -> raster.encode(rgb, new BufferedImage(5, 5, BufferedImage.TYPE_INT_RGB)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40 x 30");
    }

    @Test
    void damagedFilesRaiseOnlyFormatException() throws Exception {
        byte[] good = png.withMetadata(Asset.of("a.png", png(48, 32)), AIGC, label("SIG")).bytes();
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            Asset asset = Asset.of("m.png", Mutations.mutate(good, random));
            Mutations.onlyFormatException(() -> png.metadata(asset, AIGC), round);
            Mutations.onlyFormatException(() -> png.withMetadata(asset, AIGC, "X"), round);
            if (round % 10 == 0) {
                Mutations.onlyFormatException(() -> png.raster().orElseThrow().decode(asset), round);
            }
        }
    }

    /** ExifTool names a property of an unknown namespace by its prefix and a capitalised local name: {@code XMP-TC260:Aigc}. */
    @Test
    void exiftoolReadsTheXmpProperties(@TempDir Path dir) throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        Asset a = png.withMetadata(png.withMetadata(png.withMetadata(Asset.of("a.png", png(64, 48)), AIGC, "x"),
                SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA), AIGC, label("0123456789abcdef"));
        Path file = dir.resolve("labelled.png");
        Files.write(file, a.bytes());
        JsonNode result = exiftool(exiftool, file);
        assertThat(result.path("XMP-TC260:Aigc").asText()).as(result.toString()).isEqualTo(label("0123456789abcdef"));
        assertThat(result.path("XMP-iptcExt:DigitalSourceType").asText()).isEqualTo(TRAINED_ALGORITHMIC_MEDIA);
    }

    static JsonNode exiftool(Path exiftool, Path file) throws Exception {
        Process p = new ProcessBuilder(exiftool.toString(), "-j", "-G1", "-XMP:all", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode results = new ObjectMapper().readTree(out);
        assertThat(results).as(out).hasSize(1);
        return results.get(0);
    }
}
