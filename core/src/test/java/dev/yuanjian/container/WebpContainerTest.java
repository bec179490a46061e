package dev.yuanjian.container;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.SOURCE_TYPE;
import static dev.yuanjian.container.ImageFixtures.TRAINED_ALGORITHMIC_MEDIA;
import static dev.yuanjian.container.ImageFixtures.ascii;
import static dev.yuanjian.container.ImageFixtures.count;
import static dev.yuanjian.container.ImageFixtures.foreignPacket;
import static dev.yuanjian.container.ImageFixtures.label;
import static dev.yuanjian.container.ImageFixtures.utf8;
import static dev.yuanjian.container.WebpFixtures.chunk;
import static dev.yuanjian.container.WebpFixtures.lossless;
import static dev.yuanjian.container.WebpFixtures.riff;
import static dev.yuanjian.container.WebpFixtures.vp8Header;
import static dev.yuanjian.container.WebpFixtures.vp8l;
import static dev.yuanjian.container.WebpFixtures.vp8x;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class WebpContainerTest {
    private final WebpContainer webp = new WebpContainer();
    private static final byte[] ICC = ascii("not a real profile, kept as bytes");
    private static final byte[] EXIF = ascii("MM\0*\0\0\0\10\0\0");

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Every chunk but VP8X and XMP, as bytes with their pad: what labelling must leave alone. */
    private static List<String> otherChunks(byte[] b) throws FormatException {
        return WebpContainer.chunks(b, "t").stream()
                .filter(c -> !c.fourcc().equals("VP8X") && !c.fourcc().equals("XMP "))
                .map(c -> latin1(Arrays.copyOfRange(b, c.start(), c.end()))).toList();
    }

    private static List<String> fourccs(byte[] b) throws FormatException {
        return WebpContainer.chunks(b, "t").stream().map(WebpContainer.Chunk::fourcc).toList();
    }

    @Test
    void signatureNamesWebpAndNeedsWebpAtOffset8() {
        assertThat(webp.format()).isEqualTo("webp");
        assertThat(webp.mediaType()).isEqualTo("image/webp");
        assertThat(webp.signature().extensions()).containsExactly(".webp");
        assertThat(webp.signature().matchesMagic(lossless(4, 4))).isTrue();
        byte[] wav = ascii("RIFF\4\0\0\0WAVE");
        assertThat(webp.signature().matchesMagic(wav)).isFalse();
        assertThat(webp.signature().matchesMagic(ascii("RIFF"))).isFalse();
    }

    static Stream<Arguments> images() {
        byte[] extended = riff(chunk("VP8X", vp8x(WebpContainer.ICC_FLAG | WebpContainer.EXIF_FLAG, 9, 7)),
                chunk("ICCP", ICC), chunk("VP8L", vp8l(9, 7, 0xFF00FF00, false)), chunk("EXIF", EXIF),
                chunk("ZZZZ", ascii("odd")));
        byte[] foreign = riff(chunk("VP8X", vp8x(WebpContainer.XMP_FLAG, 9, 7)), chunk("VP8L", vp8l(9, 7, -1, false)),
                chunk("XMP ", utf8(foreignPacket(""))));
        return Stream.of(
                Arguments.of("lossless", lossless(40, 30)),
                Arguments.of("lossless with alpha", lossless(40, 30, 0x80102030, true)),
                Arguments.of("lossy", riff(chunk("VP8 ", vp8Header(640, 480, 0, 31)))),
                Arguments.of("extended with ICC, Exif, an unknown chunk", extended),
                Arguments.of("foreign XMP", foreign));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void roundTripReplacesAndKeepsEveryOtherChunk(String what, byte[] image) throws Exception {
        Asset a = Asset.of("a.webp", image);
        assertThat(webp.metadata(a, AIGC)).isEmpty();
        Asset once = webp.withMetadata(webp.withMetadata(a, AIGC, label("first")), SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA);
        Asset twice = webp.withMetadata(once, AIGC, label("second-longer-value"));
        webp.check(twice);
        assertThat(webp.metadata(twice, AIGC)).contains(label("second-longer-value"));
        assertThat(webp.metadata(twice, SOURCE_TYPE)).contains(TRAINED_ALGORITHMIC_MEDIA);
        String text = latin1(twice.bytes());
        assertThat(count(text, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(count(text, "<x:xmpmeta")).isEqualTo(1);
        assertThat(fourccs(twice.bytes()).stream().filter("XMP "::equals)).hasSize(1);
        assertThat(fourccs(twice.bytes()).getFirst()).isEqualTo("VP8X");
        assertThat(WebpContainer.u32(twice.bytes(), 4)).isEqualTo(twice.bytes().length - 8);
        int grown = "second-longer-value".length() - "first".length();
        assertThat(twice.bytes().length).isBetween(once.bytes().length + grown - 1, once.bytes().length + grown + 1);
        assertThat(otherChunks(twice.bytes())).isEqualTo(otherChunks(image));
        assertThat(twice.bytes()[WebpContainer.HEADER + 8] & WebpContainer.XMP_FLAG).isNotZero();
        if (what.equals("foreign XMP")) {
            assertThat(text).contains("<dc:format>image/png</dc:format>");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("images")
    void whereTheValueGoesDoesNotDependOnTheOldValue(String what, byte[] image) throws Exception {
        Asset a = Asset.of("a.webp", image);
        Asset viaShort = webp.withMetadata(webp.withMetadata(a, AIGC, "x"), AIGC, label("v"));
        Asset viaLong = webp.withMetadata(webp.withMetadata(a, AIGC, label("a-much-longer-seal-长")), AIGC, label("v"));
        assertThat(viaShort.bytes()).isEqualTo(viaLong.bytes());
    }

    static Stream<Arguments> canvases() {
        return Stream.of(
                Arguments.of("VP8L 1 x 1", chunk("VP8L", vp8l(1, 1, 0, false)), 1, 1, 0),
                Arguments.of("VP8L 16384 x 3 (14-bit width)", chunk("VP8L", vp8l(16384, 3, 0, false)), 16384, 3, 0),
                Arguments.of("VP8L 5 x 16384 (14-bit height)", chunk("VP8L", vp8l(5, 16384, 0, false)), 5, 16384, 0),
                Arguments.of("VP8L alpha hint", chunk("VP8L", vp8l(300, 200, 0x7F000000, true)), 300, 200,
                        WebpContainer.ALPHA_FLAG),
                Arguments.of("VP8 with scale bits", chunk("VP8 ", vp8Header(1000, 600, 2, 5)), 1000, 600, 0),
                Arguments.of("VP8 16383 x 16383", chunk("VP8 ", vp8Header(16383, 16383, 3, 4)), 16383, 16383, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("canvases")
    void aSimpleFileBecomesExtendedWithTheCanvasOfItsBitstream(String what, byte[] image, int width, int height,
                                                              int alpha) throws Exception {
        byte[] out = webp.withMetadata(Asset.of("s.webp", riff(image)), AIGC, label("v")).bytes();
        List<WebpContainer.Chunk> chunks = WebpContainer.chunks(out, "s.webp");
        assertThat(chunks).extracting(WebpContainer.Chunk::fourcc).containsExactly("VP8X", image[0] == 'V'
                && image[3] == 'L' ? "VP8L" : "VP8 ", "XMP ");
        int d = chunks.getFirst().data();
        assertThat(chunks.getFirst().size()).isEqualTo(10);
        assertThat(out[d] & 0xFF).isEqualTo(WebpContainer.XMP_FLAG | alpha);
        assertThat(out[d + 1] | out[d + 2] | out[d + 3]).as("reserved bits").isZero();
        assertThat(u24(out, d + 4) + 1).isEqualTo(width);
        assertThat(u24(out, d + 7) + 1).isEqualTo(height);
    }

    private static int u24(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16;
    }

    @Test
    void flagsOfAnExtendedFileAreKeptAndTheXmpGoesAfterImageAndExifBeforeUnknownChunks() throws Exception {
        byte[] image = riff(chunk("VP8X", vp8x(WebpContainer.ICC_FLAG | WebpContainer.EXIF_FLAG | WebpContainer.ALPHA_FLAG,
                        3, 2)), chunk("ICCP", ICC), chunk("ALPH", new byte[] {0, 1, 2}), chunk("VP8 ", vp8Header(3, 2, 0, 6)),
                chunk("EXIF", EXIF), chunk("ZZZZ", ascii("private")), chunk("C2PA", ascii("store")));
        byte[] out = webp.withMetadata(Asset.of("e.webp", image), AIGC, label("v")).bytes();
        assertThat(fourccs(out)).containsExactly("VP8X", "ICCP", "ALPH", "VP8 ", "EXIF", "XMP ", "ZZZZ", "C2PA");
        assertThat(out[WebpContainer.HEADER + 8] & 0xFF).isEqualTo(WebpContainer.ICC_FLAG | WebpContainer.EXIF_FLAG
                | WebpContainer.ALPHA_FLAG | WebpContainer.XMP_FLAG);
        assertThat(Arrays.copyOfRange(out, 0, 30)).as("only the RIFF size and the XMP flag change before the image")
                .isEqualTo(patched(image, out));

        // A simple file that carries ICC and Exif chunks anyway gets the flags that say so.
        byte[] simple = riff(chunk("VP8L", vp8l(2, 2, 0, false)), chunk("ICCP", ICC), chunk("EXIF", EXIF));
        byte[] extended = webp.withMetadata(Asset.of("s.webp", simple), AIGC, label("v")).bytes();
        assertThat(extended[WebpContainer.HEADER + 8] & 0xFF)
                .isEqualTo(WebpContainer.ICC_FLAG | WebpContainer.EXIF_FLAG | WebpContainer.XMP_FLAG);
        assertThat(fourccs(extended)).containsExactly("VP8X", "VP8L", "ICCP", "EXIF", "XMP ");
    }

    private static byte[] patched(byte[] image, byte[] out) {
        byte[] expected = Arrays.copyOfRange(image, 0, 30);
        System.arraycopy(out, 4, expected, 4, 4);
        expected[WebpContainer.HEADER + 8] |= WebpContainer.XMP_FLAG;
        return expected;
    }

    @Test
    void anOddSizedPacketIsPaddedAndReadBack() throws Exception {
        Asset a = Asset.of("o.webp", lossless(4, 4));
        for (String value : List.of("a", "ab", "abc")) {
            Asset out = webp.withMetadata(a, AIGC, value);
            WebpContainer.Chunk xmp = WebpContainer.chunks(out.bytes(), "o").getLast();
            assertThat(xmp.end()).isEqualTo(out.bytes().length);
            assertThat(out.bytes().length % 2).isZero();
            if (xmp.size() % 2 == 1) {
                assertThat(out.bytes()[out.bytes().length - 1]).isZero();
            }
            assertThat(webp.metadata(out, AIGC)).contains(value);
        }
    }

    @Test
    void twoXmpChunksOrTwoValuesAreRefusedOnRead() throws Exception {
        byte[] x = chunk("XMP ", utf8(foreignPacket("")));
        Asset two = Asset.of("two.webp", riff(chunk("VP8X", vp8x(4, 4, 4)), chunk("VP8L", vp8l(4, 4, 0, false)), x, x));
        assertThatThrownBy(() -> webp.metadata(two, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("two.webp").hasMessageContaining("two XMP chunks");
        assertThatThrownBy(() -> webp.check(two)).isInstanceOf(FormatException.class);
        assertThatThrownBy(() -> webp.withMetadata(two, AIGC, "v")).isInstanceOf(FormatException.class);
        Asset twice = Asset.of("v.webp", riff(chunk("VP8X", vp8x(4, 4, 4)), chunk("VP8L", vp8l(4, 4, 0, false)),
                chunk("XMP ", utf8(foreignPacket("<TC260:AIGC>a</TC260:AIGC><TC260:AIGC>b</TC260:AIGC>")))));
        assertThatThrownBy(() -> webp.metadata(twice, AIGC)).isInstanceOf(FormatException.class)
                .hasMessageContaining("v.webp (XMP chunk at offset 52)").hasMessageContaining("2 times");
        Asset fixed = webp.withMetadata(twice, AIGC, label("one"));
        assertThat(webp.metadata(fixed, AIGC)).contains(label("one"));
    }

    static Stream<Arguments> corrupt() {
        byte[] good = lossless(20, 20);
        byte[] longer = good.clone();
        longer[4] += 2; // the RIFF size claims two bytes more than there are
        byte[] badSize = good.clone();
        badSize[16] = (byte) 0x7F; // the VP8L chunk claims more bytes than there are
        byte[] odd = riff(chunk("VP8L", vp8l(3, 3, 0, false)), ascii("XMP \3\0\0\0abc"));
        byte[] badFourcc = good.clone();
        badFourcc[13] = 0x01;
        byte[] badSignature = good.clone();
        badSignature[20] = 0x2E;
        byte[] version = good.clone();
        version[24] |= (byte) 0x20; // VP8L version bits (29..31 of the header word)
        byte[] interFrame = vp8Header(8, 8, 0, 8);
        interFrame[0] |= 1;
        byte[] noStartCode = vp8Header(8, 8, 0, 8);
        noStartCode[4] = 0x02;
        return Stream.of(
                Arguments.of("not a WebP", ascii("RIFF\4\0\0\0WAVE"), "is not a WebP"),
                Arguments.of("too short", ascii("RIFF"), "is not a WebP"),
                Arguments.of("header only", riff(), "without any chunk"),
                Arguments.of("truncated", Arrays.copyOf(good, good.length - 3), "the file has " + (good.length - 3)),
                Arguments.of("RIFF size past the end", longer, "declares " + (good.length + 2) + " bytes"),
                Arguments.of("bytes after the RIFF data", Bytes.concat(good, new byte[] {1, 2}), "2 bytes after the RIFF data"),
                Arguments.of("chunk size past the end", WebpContainer.withRiffSize(badSize), "chunk 'VP8L' at offset 12 declares"),
                Arguments.of("odd size without a pad byte", WebpContainer.withRiffSize(odd), "no pad byte"),
                Arguments.of("bad FourCC", badFourcc, "bad chunk FourCC at offset 12"),
                Arguments.of("truncated chunk header", WebpContainer.withRiffSize(Bytes.concat(good, ascii("XMP "))),
                        "truncated chunk header at offset " + good.length),
                Arguments.of("VP8X not first", riff(chunk("VP8L", vp8l(2, 2, 0, false)), chunk("VP8X", vp8x(4, 2, 2))),
                        "VP8X chunk at offset 34 is not the first chunk"),
                Arguments.of("VP8X too short", riff(chunk("VP8X", new byte[4]), chunk("VP8L", vp8l(2, 2, 0, false))),
                        "VP8X chunk at offset 12 is 4 bytes"),
                Arguments.of("simple file without image first", riff(chunk("ALPH", new byte[2]), chunk("VP8L", vp8l(2, 2, 0, false))),
                        "must be VP8 or VP8L, not 'ALPH' at offset 12"),
                Arguments.of("VP8L signature", badSignature, "VP8L chunk at offset 12 does not start with the VP8L signature"),
                Arguments.of("VP8L version", version, "VP8L version 1"),
                Arguments.of("VP8 inter frame", riff(chunk("VP8 ", interFrame)), "not hold a VP8 key frame"),
                Arguments.of("VP8 start code", riff(chunk("VP8 ", noStartCode)), "start code 9D 01 2A"),
                Arguments.of("VP8 zero width", riff(chunk("VP8 ", vp8Header(0, 8, 0, 8))), "declares a 0 x 8 image"),
                Arguments.of("VP8 too short", riff(chunk("VP8 ", Arrays.copyOf(vp8Header(8, 8, 0, 0), 9))), "too short"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("corrupt")
    void corruptInputRaisesFormatExceptionSayingWhere(String what, byte[] bytes, String where) {
        Asset asset = Asset.of("bad.webp", bytes);
        assertThatThrownBy(() -> webp.check(asset)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.webp").hasMessageContaining(where);
        assertThatThrownBy(() -> webp.withMetadata(asset, AIGC, "x")).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.webp");
    }

    @Test
    void theManifestSlotIsALastC2paChunkExcludedWithItsHeader() throws Exception {
        ManifestSlot slot = webp.manifestSlot().orElseThrow();
        Asset labelled = webp.withMetadata(Asset.of("c.webp", lossless(16, 16)), AIGC, label("v"));
        assertThat(slot.read(labelled)).isEmpty();
        for (byte[] store : List.of(ascii("jumbf-even"), ascii("jumbf-odd"))) {
            ManifestSlot.Embedded e = slot.embed(labelled, store);
            byte[] b = e.asset().bytes();
            assertThat(e.start()).isEqualTo(labelled.bytes().length);
            assertThat(e.length()).isEqualTo(8 + store.length);
            assertThat(latin1(Arrays.copyOfRange(b, (int) e.start(), (int) e.start() + 4))).isEqualTo("C2PA");
            assertThat(WebpContainer.u32(b, 4)).isEqualTo(b.length - 8);
            assertThat(b.length).isEqualTo(e.start() + e.length() + (store.length & 1));
            assertThat(slot.read(e.asset())).hasValue(store);
            assertThat(webp.metadata(e.asset(), AIGC)).contains(label("v"));
            assertThat(slot.remove(e.asset()).bytes()).isEqualTo(labelled.bytes());
            assertThatThrownBy(() -> slot.embed(e.asset(), store)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("already holds");
            // Rewriting the label keeps the store last: the XMP chunk stays before it.
            Asset relabelled = webp.withMetadata(e.asset(), AIGC, label("w"));
            assertThat(fourccs(relabelled.bytes()).getLast()).isEqualTo("C2PA");
        }
        byte[] c = chunk("C2PA", ascii("store"));
        Asset two = Asset.of("two.webp", riff(chunk("VP8L", vp8l(2, 2, 0, false)), c, c));
        assertThatThrownBy(() -> slot.read(two)).isInstanceOf(FormatException.class).hasMessageContaining("two C2PA chunks");
        assertThat(slot.remove(two).bytes()).isEqualTo(lossless(2, 2, 0, false));
        // A store added to an unlabelled simple file keeps it simple: C2PA has no VP8X flag.
        Asset simple = slot.embed(Asset.of("s.webp", lossless(2, 2)), ascii("store!")).asset();
        assertThat(fourccs(simple.bytes())).containsExactly("VP8L", "C2PA");
        webp.check(simple);
    }

    @Test
    void damagedFilesRaiseOnlyFormatException() throws Exception {
        byte[] labelled = webp.withMetadata(Asset.of("a.webp", lossless(48, 32)), AIGC, label("SIG")).bytes();
        byte[] good = webp.manifestSlot().orElseThrow().embed(Asset.of("a.webp", labelled), ascii("store")).asset().bytes();
        byte[] lossy = riff(chunk("VP8 ", vp8Header(64, 48, 1, 40)));
        ManifestSlot slot = webp.manifestSlot().orElseThrow();
        Random random = new Random(23);
        for (int round = 0; round < 10_000; round++) {
            Asset asset = Asset.of("m.webp", Mutations.mutate(round % 2 == 0 ? good : lossy, random));
            Mutations.onlyFormatException(() -> {
                webp.check(asset);
                return null;
            }, round);
            Mutations.onlyFormatException(() -> webp.metadata(asset, AIGC), round);
            Mutations.onlyFormatException(() -> webp.withMetadata(asset, AIGC, "X"), round);
            Mutations.onlyFormatException(() -> slot.read(asset), round);
            Mutations.onlyFormatException(() -> slot.remove(asset), round);
        }
    }

    /**
     * Reported: extended WebPs that no decoder opens were labelled, logged and signed. The whole
     * kind: what VP8X promises must be there.
     */
    @org.junit.jupiter.api.Test
    void anExtendedWebpMustHoldWhatItsVp8xPromises() throws Exception {
        byte[] image = WebpFixtures.vp8l(16, 8, 0xff336699, false);
        WebpContainer c = new WebpContainer();
        java.util.Map<String, byte[]> lies = new java.util.LinkedHashMap<>();
        lies.put("no image data", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(0, 16, 8))));
        lies.put("a 100000 x 100000 canvas", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(0, 100_000, 100_000)),
                WebpFixtures.chunk("VP8L", image)));
        lies.put("a canvas of another size", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(0, 32, 8)), WebpFixtures.chunk("VP8L", image)));
        lies.put("animation flag without frames", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(WebpContainer.ANIMATION_FLAG, 16, 8)),
                WebpFixtures.chunk("VP8L", image)));
        lies.put("ICC flag without ICCP", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(WebpContainer.ICC_FLAG, 16, 8)),
                WebpFixtures.chunk("VP8L", image)));
        for (var lie : lies.entrySet()) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.check(Asset.of("lie.webp", lie.getValue())))
                    .as(lie.getKey()).isInstanceOf(FormatException.class).hasMessageContaining("lie.webp");
        }
        c.check(Asset.of("true.webp", WebpFixtures.riff(WebpFixtures.chunk("VP8X", WebpFixtures.vp8x(0, 16, 8)), WebpFixtures.chunk("VP8L", image))));
    }
}
