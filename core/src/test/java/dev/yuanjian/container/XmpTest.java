package dev.yuanjian.container;

import static dev.yuanjian.container.ImageFixtures.AIGC;
import static dev.yuanjian.container.ImageFixtures.SOURCE_TYPE;
import static dev.yuanjian.container.ImageFixtures.TRAINED_ALGORITHMIC_MEDIA;
import static dev.yuanjian.container.ImageFixtures.count;
import static dev.yuanjian.container.ImageFixtures.foreignPacket;
import static dev.yuanjian.container.ImageFixtures.label;
import static dev.yuanjian.container.ImageFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The XMP property editor the image containers share. */
class XmpTest {
    private static final String TC260_NS = AIGC.namespace();

    private static String text(byte[] packet) {
        return new String(packet, StandardCharsets.UTF_8);
    }

    @Test
    void aNewPacketHoldsTheValueAsEscapedElementText() throws Exception {
        String value = label("签名<&>\"'") + "\n第二行";
        byte[] packet = Xmp.set(null, AIGC, value, "t");
        assertThat(Xmp.get(packet, AIGC, "t")).contains(value);
        String s = text(packet);
        assertThat(s).startsWith("<?xpacket begin=\"\uFEFF\"").endsWith("<?xpacket end=\"w\"?>")
                .contains("<TC260:AIGC>{\"AIGC\":{\"Label\":\"1\"").contains("签名&lt;&amp;&gt;\"'")
                .contains(Xmp.OUR_BLOCK_START).contains("xmlns:TC260=\"" + TC260_NS + "\"");
        assertThat(Xmp.get(packet, SOURCE_TYPE, "t")).isEmpty();
    }

    @Test
    void aCarriageReturnSurvivesAndControlCharactersAreRefused() throws Exception {
        assertThat(Xmp.get(Xmp.set(null, AIGC, "a\r\nb\rc", "t"), AIGC, "t")).contains("a\r\nb\rc");
        assertThatThrownBy(() -> Xmp.set(null, AIGC, "bell\u0007", "pic.png")).isInstanceOf(FormatException.class)
                .hasMessageContaining("pic.png").hasMessageContaining("U+0007");
    }

    @Test
    void settingAgainReplacesAndASecondKeyJoinsOurBlock() throws Exception {
        byte[] once = Xmp.set(null, AIGC, label("first"), "t");
        byte[] both = Xmp.set(once, SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA, "t");
        byte[] again = Xmp.set(both, AIGC, label("second-longer"), "t");
        String s = text(again);
        assertThat(count(s, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(count(s, "<Iptc4xmpExt:DigitalSourceType>")).isEqualTo(1);
        assertThat(count(s, "<rdf:Description")).isEqualTo(1);
        assertThat(count(s, "xmlns:Iptc4xmpExt=")).isEqualTo(1);
        assertThat(count(s, "<x:xmpmeta")).isEqualTo(1);
        assertThat(Xmp.get(again, AIGC, "t")).contains(label("second-longer"));
        assertThat(Xmp.get(again, SOURCE_TYPE, "t")).contains(TRAINED_ALGORITHMIC_MEDIA);
        assertThat(again.length - both.length).isEqualTo("second-longer".length() - "first".length());
    }

    /** Found by the WebP fuzz test: our block in a damaged file binding our prefix to another namespace. */
    @Test
    void ourBlockBindingThePrefixElsewhereIsReplacedNotAnError() throws Exception {
        byte[] damaged = text(Xmp.set(null, SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA, "t"))
                .replace(Xmp.OUR_BLOCK_START, Xmp.OUR_BLOCK_START + " xmlns:TC260=\"http://example.com/other/\"")
                .getBytes(StandardCharsets.UTF_8);
        byte[] out = Xmp.set(damaged, AIGC, label("v"), "t");
        assertThat(Xmp.get(out, AIGC, "t")).contains(label("v"));
        assertThat(count(text(out), "xmlns:TC260=")).isEqualTo(1);
        assertThat(Xmp.set(Xmp.set(damaged, AIGC, "x", "t"), AIGC, label("v"), "t")).isEqualTo(out);
    }

    @Test
    void aForeignPacketKeepsItsPropertiesAndGetsOurBlockBeforeTheRdfEnd() throws Exception {
        byte[] foreign = utf8(foreignPacket(""));
        byte[] out = Xmp.set(Xmp.set(foreign, AIGC, label("one"), "t"), AIGC, label("two"), "t");
        String s = text(out);
        assertThat(s).contains("<dc:format>image/png</dc:format>").contains("<xmp:CreatorTool>画图 3.0</xmp:CreatorTool>");
        assertThat(s.indexOf(Xmp.OUR_BLOCK_START)).isGreaterThan(s.indexOf("</dc:format>"));
        assertThat(s).contains("</rdf:Description></rdf:RDF>");
        assertThat(count(s, "<TC260:AIGC>")).isEqualTo(1);
        assertThat(Xmp.get(out, AIGC, "t")).contains(label("two"));
        // Everything but our block is the foreign packet, character for character.
        int start = s.indexOf(Xmp.OUR_BLOCK_START);
        int end = s.indexOf("</rdf:Description>", start) + "</rdf:Description>".length();
        assertThat(s.substring(0, start) + s.substring(end)).isEqualTo(foreignPacket(""));
    }

    @Test
    void anElementInAnotherBlockOrUnderAnotherPrefixIsReplacedInPlace() throws Exception {
        String inForeignBlock = foreignPacket("   <TC260:AIGC xmlns:TC260=\"" + TC260_NS + "\">old</TC260:AIGC>\n");
        byte[] out = Xmp.set(utf8(inForeignBlock), AIGC, label("new"), "t");
        assertThat(text(out)).isEqualTo(inForeignBlock.replace(">old<", ">" + label("new") + "<"));

        String otherPrefix = foreignPacket("").replace("xmlns:dc=", "xmlns:aigc=\"" + TC260_NS + "\" xmlns:dc=")
                .replace("</dc:format>", "</dc:format><aigc:AIGC>old &amp; quoted</aigc:AIGC>");
        assertThat(Xmp.get(utf8(otherPrefix), AIGC, "t")).contains("old & quoted");
        byte[] replaced = Xmp.set(utf8(otherPrefix), AIGC, "v", "t");
        assertThat(text(replaced)).isEqualTo(otherPrefix.replace("old &amp; quoted", "v"));
    }

    @Test
    void aPacketTheOldImageCodecWroteIsEditedInPlace() throws Exception {
        String legacy = "<?xpacket begin=\"\uFEFF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?><x:xmpmeta xmlns:x=\"adobe:ns:meta/\">"
                + "<rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" "
                + "xmlns:TC260=\"" + TC260_NS + "\" xmlns:Iptc4xmpExt=\"" + SOURCE_TYPE.namespace() + "\">"
                + "<TC260:AIGC>" + label("old") + "</TC260:AIGC><Iptc4xmpExt:DigitalSourceType>" + TRAINED_ALGORITHMIC_MEDIA
                + "</Iptc4xmpExt:DigitalSourceType></rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";
        byte[] out = Xmp.set(utf8(legacy), AIGC, label("new"), "t");
        assertThat(text(out)).isEqualTo(legacy.replace(label("old"), label("new")));
        assertThat(Xmp.get(out, SOURCE_TYPE, "t")).contains(TRAINED_ALGORITHMIC_MEDIA);
    }

    static Stream<Arguments> unreadable() {
        String two = foreignPacket("<TC260:AIGC>a</TC260:AIGC><TC260:AIGC>b</TC260:AIGC>");
        String attribute = foreignPacket("").replace("xmlns:dc=", "TC260:AIGC=\"{}\" xmlns:TC260=\"" + TC260_NS + "\" xmlns:dc=");
        String empty = foreignPacket("<TC260:AIGC/>");
        String markup = foreignPacket("<TC260:AIGC><rdf:Alt><rdf:li>x</rdf:li></rdf:Alt></TC260:AIGC>");
        String unclosed = foreignPacket("<TC260:AIGC>never closed");
        String badEntity = foreignPacket("<TC260:AIGC>&nbsp;</TC260:AIGC>");
        String badReference = foreignPacket("<TC260:AIGC>&#xD800;</TC260:AIGC>");
        return Stream.of(
                Arguments.of("two values", utf8(two), "2 times", true),
                Arguments.of("attribute form", utf8(attribute), "attribute", true),
                Arguments.of("empty element", utf8(empty), "empty", true),
                Arguments.of("child markup", utf8(markup), "markup", false),
                Arguments.of("unclosed", utf8(unclosed), "never closed", true),
                Arguments.of("unknown entity", utf8(badEntity), "&nbsp;", false),
                Arguments.of("surrogate reference", utf8(badReference), "&#xD800;", false),
                Arguments.of("not UTF-8", new byte[] {'<', 'x', (byte) 0xC3, '>', (byte) 0xFF}, "UTF-8", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unreadable")
    void anUnreadablePropertyRaisesOnReadAndIsReplacedOnWrite(String what, byte[] packet, String message,
                                                                boolean wholePacket) throws Exception {
        assertThatThrownBy(() -> Xmp.get(packet, AIGC, "pic.jpg (XMP)")).isInstanceOf(FormatException.class)
                .hasMessageContaining("pic.jpg (XMP)").hasMessageContaining(message);
        byte[] out = Xmp.set(packet, AIGC, label("x"), "t");
        if (wholePacket) {
            // A form we cannot edit as text: the documented fallback, a packet of our own.
            assertThat(out).isEqualTo(Xmp.set(null, AIGC, label("x"), "t"));
        } else {
            // Only the text is bad: the element is rewritten in place, the rest kept.
            assertThat(text(out)).contains("<dc:format>image/png</dc:format>");
        }
        assertThat(Xmp.get(out, AIGC, "t")).contains(label("x"));
    }

    @Test
    void entitiesCdataAndCommentsAreDecodedOnRead() throws Exception {
        String p = foreignPacket("<TC260:AIGC>&#x7B;&#34;a&quot;:<![CDATA[\"<b>\"]]><!-- c -->}</TC260:AIGC>");
        assertThat(Xmp.get(utf8(p), AIGC, "t")).contains("{\"a\":\"<b>\"}");
    }

    static Stream<Arguments> utf16() {
        String packet = foreignPacket("   <TC260:AIGC xmlns:TC260=\"" + TC260_NS + "\">旧</TC260:AIGC>\n");
        byte[] be = packet.getBytes(StandardCharsets.UTF_16BE);
        byte[] le = packet.getBytes(StandardCharsets.UTF_16LE);
        return Stream.of(
                Arguments.of("UTF-16BE with BOM", Bytes.concat(new byte[] {(byte) 0xFE, (byte) 0xFF}, be), StandardCharsets.UTF_16BE, 2),
                Arguments.of("UTF-16LE with BOM", Bytes.concat(new byte[] {(byte) 0xFF, (byte) 0xFE}, le), StandardCharsets.UTF_16LE, 2),
                Arguments.of("UTF-16BE without BOM", be, StandardCharsets.UTF_16BE, 0),
                Arguments.of("UTF-16LE without BOM", le, StandardCharsets.UTF_16LE, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("utf16")
    void aUtf16PacketIsReadAndEditedInItsOwnEncoding(String what, byte[] packet, java.nio.charset.Charset cs, int bom)
            throws Exception {
        assertThat(Xmp.get(packet, AIGC, "t")).contains("旧");
        byte[] out = Xmp.set(Xmp.set(packet, AIGC, label("新"), "t"), SOURCE_TYPE, TRAINED_ALGORITHMIC_MEDIA, "t");
        assertThat(java.util.Arrays.copyOf(out, bom)).isEqualTo(java.util.Arrays.copyOf(packet, bom));
        String s = new String(out, bom, out.length - bom, cs);
        assertThat(s).contains("<xmp:CreatorTool>画图 3.0</xmp:CreatorTool>").contains("<dc:format>image/png</dc:format>");
        assertThat(count(s, "<TC260:AIGC")).isEqualTo(1);
        assertThat(Xmp.get(out, AIGC, "t")).contains(label("新"));
        assertThat(Xmp.get(out, SOURCE_TYPE, "t")).contains(TRAINED_ALGORITHMIC_MEDIA);
    }

    static Stream<Arguments> packets() {
        return Stream.of(
                Arguments.of("none", null),
                Arguments.of("foreign", utf8(foreignPacket(""))),
                Arguments.of("foreign with the key", utf8(foreignPacket("<TC260:AIGC xmlns:TC260=\"" + TC260_NS + "\">o</TC260:AIGC>"))),
                Arguments.of("two values", utf8(foreignPacket("<TC260:AIGC>a</TC260:AIGC><TC260:AIGC>b</TC260:AIGC>"))),
                Arguments.of("UTF-16", foreignPacket("").getBytes(StandardCharsets.UTF_16)),
                Arguments.of("not XMP", utf8("plain words")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packets")
    void whereAValueGoesDoesNotDependOnTheOldValue(String what, byte[] packet) throws Exception {
        byte[] viaShort = Xmp.set(Xmp.set(packet, AIGC, "x", "t"), AIGC, label("final"), "t");
        byte[] viaLong = Xmp.set(Xmp.set(packet, AIGC, label("a much longer value, 长的"), "t"), AIGC, label("final"), "t");
        assertThat(viaShort).isEqualTo(viaLong);
        assertThat(Xmp.get(viaShort, AIGC, "t")).contains(label("final"));
    }
}
