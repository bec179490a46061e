package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The digest invariant across codecs, for values that every format has to escape. */
class ProtectedDigestTest {

    static Stream<Arguments> cases() {
        List<LabelCodec> codecs = List.of(new MarkdownCodec(), new DocxCodec(), new PdfCodec(), new TextCodec());
        List<Asset> assets = List.of(
                Asset.of("a.md", utf8("---\ntitle: t\n---\n正文\n")),
                Asset.of("a.docx", Fixtures.docx(List.of("正文"), null)),
                Asset.of("a.pdf", Fixtures.pdf(List.of("text"), false)),
                Asset.of("a.txt", utf8("正文\n")));
        // pairs of ReservedCode1 values whose escaped forms have equal length in every format
        List<String[]> values = List.of(
                new String[] {"abc\"def\\ghi", "xyz\"uvw\\rst"},
                new String[] {"(sig)'&<x>", "(SIG)'&<y>"},
                new String[] {"{\"Type\":\"SM2\",\"Version\":\"1\"}", "{\"Type\":\"SM3\",\"Version\":\"2\"}"});
        Stream.Builder<Arguments> b = Stream.builder();
        for (int i = 0; i < codecs.size(); i++) {
            for (String[] v : values) {
                b.add(Arguments.of(codecs.get(i).format() + " " + v[0], codecs.get(i), assets.get(i), v[0], v[1]));
            }
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void equalLengthValuesNeedingEscapesKeepTheDigest(String name, LabelCodec codec, Asset asset, String first,
                                                      String second) throws Exception {
        Asset a = codec.write(asset, Fixtures.label(first));
        Asset b = codec.write(a, Fixtures.label(second));
        assertThat(codec.read(a)).contains(Fixtures.label(first));
        assertThat(codec.read(b)).contains(Fixtures.label(second));
        assertThat(codec.protectedDigest(b)).isEqualTo(codec.protectedDigest(a));
    }

    @Test
    void utf8CheckAgreesWithTheJdkDecoder() {
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            byte[] b = new byte[random.nextInt(8)];
            for (int k = 0; k < b.length; k++) {
                // bias towards the interesting range: lead and continuation bytes
                b[k] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(256));
            }
            boolean jdk;
            try {
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(b));
                jdk = true;
            } catch (CharacterCodingException e) {
                jdk = false;
            }
            assertThat(Bytes.firstInvalidUtf8(b) < 0).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(jdk);
        }
    }
}
