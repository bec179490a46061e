package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.label;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** PNG and JPEG: the same table of properties for both image codecs. */
class ImageCodecTest {
    static BufferedImage picture(int w, int h, boolean alpha) {
        BufferedImage img = new BufferedImage(w, h, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = ((x * 255 / w) << 16) | ((y * 255 / h) << 8) | 0x80;
                img.setRGB(x, y, alpha ? (0xC0 << 24) | rgb : rgb);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setColor(Color.WHITE);
        g.fillOval(w / 4, h / 4, w / 2, h / 2);
        g.dispose();
        return img;
    }

    static byte[] encode(BufferedImage img, String format) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            assertThat(ImageIO.write(img, format, out)).isTrue();
            return out.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] png(int w, int h) {
        return encode(picture(w, h, false), "png");
    }

    static byte[] jpeg(int w, int h) {
        return encode(picture(w, h, false), "jpeg");
    }

    static BufferedImage decode(byte[] b) throws Exception {
        return ImageIO.read(new ByteArrayInputStream(b));
    }

    static Stream<Arguments> codecs() {
        return Stream.of(
                Arguments.of(new PngCodec(), "a.png", png(200, 120)),
                Arguments.of(new PngCodec(), "alpha.png", encode(picture(90, 160, true), "png")),
                Arguments.of(new JpegCodec(), "a.jpg", jpeg(200, 120)));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("codecs")
    void roundTripAndReplaceNotAdd(LabelCodec codec, String name, byte[] image) throws Exception {
        assertThat(codec.read(Asset.of(name, image))).isEmpty();
        Asset once = codec.write(Asset.of(name, image), label("first"));
        assertThat(codec.read(once)).contains(label("first"));
        Asset twice = codec.write(once, label("second-longer-value"));
        assertThat(codec.read(twice)).contains(label("second-longer-value"));
        String text = new String(twice.bytes(), StandardCharsets.ISO_8859_1);
        assertThat(Fixtures.count(text, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(Fixtures.count(text, "<x:xmpmeta")).isEqualTo(1);
        assertThat(text).contains(ImageXmp.TRAINED_ALGORITHMIC_MEDIA).contains("Iptc4xmpExt:DigitalSourceType");
        assertThat(twice.bytes().length).isEqualTo(once.bytes().length + "second-longer-value".length() - "first".length());
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("codecs")
    void implicitLabelKeepsEveryPixel(LabelCodec codec, String name, byte[] image) throws Exception {
        BufferedImage before = decode(image);
        BufferedImage after = decode(codec.write(Asset.of(name, image), label("SIG")).bytes());
        assertThat(after.getWidth()).isEqualTo(before.getWidth());
        assertThat(after.getHeight()).isEqualTo(before.getHeight());
        assertThat(after.getRGB(0, 0, after.getWidth(), after.getHeight(), null, 0, after.getWidth()))
                .isEqualTo(before.getRGB(0, 0, before.getWidth(), before.getHeight(), null, 0, before.getWidth()));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("codecs")
    void digestIgnoresOnlyReservedCode1(LabelCodec codec, String name, byte[] image) throws Exception {
        byte[] a = codec.write(Asset.of(name, image), label("AAAAAAAAAAAA")).bytes();
        byte[] b = codec.write(Asset.of(name, image), label("BBBBBBBBBBBB")).bytes();
        assertThat(a).isNotEqualTo(b);
        assertThat(codec.protectedDigest(Asset.of(name, a))).isEqualTo(codec.protectedDigest(Asset.of(name, b)));
        // Over a labelled file: rewriting the seal keeps the digest too.
        byte[] c = codec.write(Asset.of(name, a), label("CCCCCCCCCCCC")).bytes();
        assertThat(codec.protectedDigest(Asset.of(name, c))).isEqualTo(codec.protectedDigest(Asset.of(name, a)));
        // Another label field, or a seal of another length, changes it.
        AigcLabel other = new AigcLabel("2", "x", "y", "AAAAAAAAAAAA", "x", "y", "");
        assertThat(codec.protectedDigest(codec.write(Asset.of(name, image), other)))
                .isNotEqualTo(codec.protectedDigest(Asset.of(name, a)));
        assertThat(codec.protectedDigest(codec.write(Asset.of(name, image), label("AAAA"))))
                .isNotEqualTo(codec.protectedDigest(Asset.of(name, a)));
        // Different pixels: a different image, labelled the same way.
        BufferedImage img = decode(image);
        img.setRGB(1, 1, img.getRGB(1, 1) ^ 0x010101);
        byte[] changed = codec.write(Asset.of(name, encode(img, codec.format())), label("AAAAAAAAAAAA")).bytes();
        assertThat(codec.protectedDigest(Asset.of(name, changed))).isNotEqualTo(codec.protectedDigest(Asset.of(name, a)));
        // Unlabelled: the plain SHA-256.
        assertThat(codec.protectedDigest(Asset.of(name, image))).isEqualTo(Bytes.sha256(image));
    }

    @Test
    void pngDigestCoversEveryByteButTheSealAndItsCrc() throws Exception {
        PngCodec codec = new PngCodec();
        byte[] a = codec.write(Asset.of("a.png", png(40, 30)), label("SEAL")).bytes();
        byte[] digest = codec.protectedDigest(Asset.of("a.png", a));
        // Flip a byte of the image data and fix that chunk's CRC so the file stays valid.
        var chunks = PngCodec.chunks(a, "a.png");
        var idat = chunks.stream().filter(c -> c.type().equals("IDAT")).findFirst().orElseThrow();
        byte[] data = Arrays.copyOfRange(a, idat.data(), idat.data() + idat.length());
        data[data.length - 5] ^= 1;
        byte[] changed = Bytes.concat(Arrays.copyOfRange(a, 0, idat.start()), PngCodec.chunk("IDAT", data),
                Arrays.copyOfRange(a, idat.end(), a.length));
        assertThat(codec.protectedDigest(Asset.of("a.png", changed))).isNotEqualTo(digest);
    }

    @Test
    void pngLabelSitsRightAfterIhdrWithAValidCrc() throws Exception {
        byte[] out = new PngCodec().write(Asset.of("a.png", png(20, 20)), label("X")).bytes();
        var chunks = PngCodec.chunks(out, "a.png"); // checks every CRC
        assertThat(chunks.get(1).type()).isEqualTo("iTXt");
        assertThat(PngCodec.itxt(out, chunks.get(1), "a.png").keyword()).isEqualTo(PngCodec.XMP_KEYWORD);
    }

    @Test
    void foreignXmpKeepsItsPropertiesAndGetsOneLabel() throws Exception {
        String foreign = "<?xpacket begin=\"\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
                + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:format>image/png</dc:format></rdf:Description>"
                + "</rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
        byte[] image = png(30, 30);
        int afterIhdr = 8 + 25;
        byte[] withXmp = Bytes.concat(Arrays.copyOfRange(image, 0, afterIhdr),
                PngCodec.chunk("iTXt", Bytes.concat(Bytes.ascii(PngCodec.XMP_KEYWORD), new byte[5], Fixtures.utf8(foreign))),
                Arrays.copyOfRange(image, afterIhdr, image.length));
        PngCodec codec = new PngCodec();
        byte[] once = codec.write(Asset.of("a.png", withXmp), label("one")).bytes();
        byte[] twice = codec.write(Asset.of("a.png", once), label("two")).bytes();
        String text = new String(twice, StandardCharsets.ISO_8859_1);
        assertThat(text).contains("<dc:format>image/png</dc:format>");
        assertThat(Fixtures.count(text, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(Fixtures.count(text, "XML:com.adobe.xmp")).isEqualTo(1);
        assertThat(codec.read(Asset.of("a.png", twice))).contains(label("two"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("codecs")
    void explicitLabelDrawsInTheCornerAtFivePercent(LabelCodec codec, String name, byte[] image) throws Exception {
        Asset asset = Asset.of(name, codec.write(Asset.of(name, image), label("keep")).bytes());
        assertThat(codec.hasExplicit(asset, ExplicitLabel.DEFAULT)).isFalse();
        Asset marked = codec.addExplicit(asset, ExplicitLabel.DEFAULT);
        assertThat(codec.hasExplicit(marked, ExplicitLabel.DEFAULT)).isTrue();
        assertThat(codec.addExplicit(marked, ExplicitLabel.DEFAULT).bytes()).isEqualTo(marked.bytes());
        assertThat(codec.read(marked)).as("the implicit label survives the re-encoding").contains(label("keep"));
        BufferedImage before = decode(image);
        BufferedImage after = decode(marked.bytes());
        int w = before.getWidth();
        int h = before.getHeight();
        int tolerance = codec instanceof JpegCodec ? 40 : 0;
        // Rows in the bottom quarter that hold changed pixels: the box and text.
        int changedRows = 0;
        for (int y = h * 3 / 4; y < h; y++) {
            for (int x = w / 2; x < w; x++) {
                if (differs(before.getRGB(x, y), after.getRGB(x, y), tolerance)) {
                    changedRows++;
                    break;
                }
            }
        }
        assertThat(changedRows).isGreaterThanOrEqualTo(ImageRaster.textHeight(w, h));
        // Top-left stays as it was.
        for (int y = 0; y < h / 3; y++) {
            for (int x = 0; x < w / 3; x++) {
                assertThat(differs(before.getRGB(x, y), after.getRGB(x, y), tolerance)).as(x + "," + y).isFalse();
            }
        }
        // And the labelled, marked image digests and reads like any other.
        Asset sealed = codec.write(marked, label("final"));
        assertThat(codec.read(sealed)).contains(label("final"));
        assertThat(codec.hasExplicit(sealed, ExplicitLabel.DEFAULT)).isTrue();
    }

    @Test
    void textHeightIsFivePercentOfTheShortSideAndAtLeastTwelvePixels() {
        assertThat(ImageRaster.textHeight(1024, 768)).isEqualTo(39);
        assertThat(ImageRaster.textHeight(100, 100)).isEqualTo(12);
        assertThat(ImageRaster.textHeight(2000, 4000)).isEqualTo(100);
    }

    private static boolean differs(int a, int b, int tolerance) {
        for (int shift = 0; shift < 24; shift += 8) {
            if (Math.abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > tolerance) {
                return true;
            }
        }
        return false;
    }

    static Stream<Arguments> corrupt() {
        byte[] p = png(20, 20);
        byte[] badLength = p.clone();
        badLength[8 + 25 + 3] = (byte) 0x7f; // the chunk after IHDR claims more bytes than there are
        byte[] badCrc = p.clone();
        badCrc[20] ^= 1; // inside IHDR data
        byte[] garbage = Bytes.concat(PngCodec.MAGIC, Fixtures.utf8("this is not a chunk stream at all"));
        byte[] trailing = Bytes.concat(p, new byte[] {1, 2, 3});
        byte[] j = jpeg(20, 20);
        byte[] jBadLength = j.clone();
        jBadLength[4] = (byte) 0xff;
        jBadLength[5] = (byte) 0xff;
        return Stream.of(
                Arguments.of(new PngCodec(), "truncated", Arrays.copyOf(p, p.length - 7)),
                Arguments.of(new PngCodec(), "cut inside IHDR", Arrays.copyOf(p, 20)),
                Arguments.of(new PngCodec(), "bad chunk length", badLength),
                Arguments.of(new PngCodec(), "bad CRC", badCrc),
                Arguments.of(new PngCodec(), "garbage after magic", garbage),
                Arguments.of(new PngCodec(), "bytes after IEND", trailing),
                Arguments.of(new PngCodec(), "magic only", PngCodec.MAGIC),
                Arguments.of(new JpegCodec(), "jpeg truncated in headers", Arrays.copyOf(j, 30)),
                Arguments.of(new JpegCodec(), "jpeg bad segment length", jBadLength),
                Arguments.of(new JpegCodec(), "jpeg magic only", JpegCodec.MAGIC),
                Arguments.of(new JpegCodec(), "jpeg garbage", Bytes.concat(JpegCodec.MAGIC, Fixtures.utf8("garbage"))));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("corrupt")
    void corruptInputRaisesLabelFormatException(LabelCodec codec, String what, byte[] bytes) {
        Asset asset = Asset.of("bad." + codec.format(), bytes);
        assertThatThrownBy(() -> codec.read(asset)).isInstanceOf(LabelFormatException.class).hasMessageContaining("bad.");
        assertThatThrownBy(() -> codec.write(asset, label("x"))).isInstanceOf(LabelFormatException.class);
        assertThatThrownBy(() -> codec.protectedDigest(asset)).isInstanceOf(LabelFormatException.class);
        assertThatThrownBy(() -> codec.addExplicit(asset, ExplicitLabel.DEFAULT)).isInstanceOf(LabelFormatException.class);
    }

    @Test
    void aLabelThatIsNotJsonIsRefused() throws Exception {
        PngCodec codec = new PngCodec();
        byte[] good = codec.write(Asset.of("a.png", png(10, 10)), label("X")).bytes();
        String s = new String(good, StandardCharsets.ISO_8859_1).replace("{&quot;AIGC", "{{&quot;AIGC")
                .replace("{\"AIGC\"", "[\"AIGC\"");
        byte[] broken = s.getBytes(StandardCharsets.ISO_8859_1);
        // Re-seal the chunk's CRC so only the JSON is wrong.
        var chunks = PngCodec.chunks(good, "a.png");
        var x = chunks.get(1);
        byte[] data = Arrays.copyOfRange(broken, x.data(), x.data() + x.length());
        byte[] fixed = Bytes.concat(Arrays.copyOfRange(broken, 0, x.start()), PngCodec.chunk("iTXt", data),
                Arrays.copyOfRange(broken, x.end(), broken.length));
        assertThatThrownBy(() -> codec.read(Asset.of("a.png", fixed))).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("not valid JSON");
    }
}
