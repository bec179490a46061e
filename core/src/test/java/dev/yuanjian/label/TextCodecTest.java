package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.label;
import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextCodecTest {
    private final TextCodec codec = new TextCodec();

    @Test
    void labelLivesInTheSidecarAndTheTextIsUntouched() throws Exception {
        byte[] text = utf8("第一行\n第二行\n");
        Asset in = Asset.of("story.txt", text);
        assertThat(codec.read(in)).isEmpty();
        Asset out = codec.write(in, label("S1"));
        assertThat(out.bytes()).isEqualTo(text);
        assertThat(utf8(out.sidecar().orElseThrow())).isEqualTo(label("S1").toWrappedJson() + "\n");
        assertThat(out.sidecarName()).isEqualTo("story.txt.aigc.json");
        assertThat(codec.read(out)).contains(label("S1"));
        Asset again = codec.write(out, label("S2"));
        assertThat(codec.read(again)).contains(label("S2"));
    }

    @Test
    void digestIsThePlainSha256OfTheText() throws Exception {
        Asset in = Asset.of("a.txt", utf8("hello\n"));
        byte[] digest = codec.protectedDigest(in);
        assertThat(digest).isEqualTo(Bytes.sha256(in.bytes()));
        assertThat(codec.protectedDigest(codec.write(in, label("0".repeat(64))))).isEqualTo(digest);
        assertThat(codec.protectedDigest(codec.write(in, label("f".repeat(64))))).isEqualTo(digest);
        assertThat(codec.protectedDigest(in.withBytes(utf8("hello!\n")))).isNotEqualTo(digest);
    }

    static Stream<Arguments> sidecars() {
        return Stream.of(
                Arguments.of("bare", label("S").toBareJson(), null),
                Arguments.of("with BOM", "\ufeff" + label("S").toWrappedJson(), null),
                Arguments.of("two labels", "{\"AIGC\":" + label("S").toBareJson() + ",\"AIGC\":" + label("S").toBareJson() + "}",
                        "two labels"),
                Arguments.of("invalid JSON", "{\"AIGC\":{\"Label\":\"1\",}", "not valid JSON"),
                Arguments.of("no Label", "{\"AIGC\":{}}", "no Label field"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sidecars")
    void readsSidecarForms(String name, String sidecar, String error) throws Exception {
        Asset in = new Asset("a.txt", utf8("x\n"), Optional.of(utf8(sidecar)));
        if (error == null) {
            assertThat(codec.read(in)).contains(label("S"));
        } else {
            assertThatThrownBy(() -> codec.read(in)).isInstanceOf(LabelFormatException.class)
                    .hasMessageContaining("a.txt.aigc.json").hasMessageContaining(error);
        }
    }

    static Stream<Arguments> explicit() {
        return Stream.of(
                Arguments.of(ExplicitLabel.Position.START, "中文正文。\n第二行\n", "本内容由人工智能生成\n中文正文。\n第二行\n"),
                Arguments.of(ExplicitLabel.Position.END, "中文正文。\n第二行\n", "中文正文。\n第二行\n本内容由人工智能生成\n"),
                Arguments.of(ExplicitLabel.Position.START, "English text\r\nline two", "AI-generated content\r\nEnglish text\r\nline two"),
                Arguments.of(ExplicitLabel.Position.END, "English text\r\nline two", "English text\r\nline two\r\nAI-generated content"),
                Arguments.of(ExplicitLabel.Position.START, "\ufeffEnglish", "\ufeffAI-generated content\nEnglish"),
                Arguments.of(ExplicitLabel.Position.END, "", "AI-generated content\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("explicit")
    void explicitLabelIsTheFirstOrLastLine(ExplicitLabel.Position position, String text, String expected) throws Exception {
        ExplicitLabel explicit = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
        Asset out = codec.addExplicit(Asset.of("a.txt", utf8(text)), explicit);
        assertThat(utf8(out.bytes())).isEqualTo(expected);
        assertThat(codec.hasExplicit(out, explicit)).isTrue();
        assertThat(codec.addExplicit(out, explicit).bytes()).isEqualTo(out.bytes());
    }

    @Test
    void invalidUtf8IsRefused() {
        Asset gbk = Asset.of("gbk.txt", new byte[] {(byte) 0xd6, (byte) 0xd0, (byte) 0xce, (byte) 0xc4});
        assertThatThrownBy(() -> codec.write(gbk, label("S"))).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("gbk.txt is not UTF-8").hasMessageContaining("offset 0");
        assertThatThrownBy(() -> codec.addExplicit(gbk, ExplicitLabel.DEFAULT)).isInstanceOf(LabelFormatException.class);
    }

    @Test
    void acceptsTxtAndUnknownUtf8Text() {
        assertThat(codec.accepts("a.txt", utf8("x"))).isTrue();
        assertThat(codec.accepts("notes", utf8("纯文本"))).isTrue();
        assertThat(codec.accepts("blob.bin", new byte[] {0, 1, 2})).isFalse();
        assertThat(codec.accepts("a.txt", utf8("%PDF-1.4"))).isFalse();
    }
}
