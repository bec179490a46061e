package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.VALUES;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextContainerTest {
    private final TextContainer text = new TextContainer();

    static Stream<String> values() {
        return Stream.concat(VALUES.stream(), Stream.of("ends in a line break\n"));
    }

    @ParameterizedTest
    @MethodSource("values")
    void valueLivesInTheSidecarAndTheTextIsUntouched(String value) throws Exception {
        byte[] bytes = utf8("第一行\n第二行\n");
        Asset in = Asset.of("story.txt", bytes);
        assertThat(text.metadata(in, KEY)).isEmpty();
        Asset out = text.withMetadata(in, KEY, value);
        assertThat(out.bytes()).isEqualTo(bytes);
        assertThat(utf8(out.sidecar().orElseThrow())).isEqualTo(value + "\n");
        assertThat(out.sidecarName()).isEqualTo("story.txt.aigc.json");
        assertThat(text.metadata(out, KEY)).contains(value);
        Asset again = text.withMetadata(out, KEY, "S2");
        assertThat(text.metadata(again, KEY)).contains("S2");
    }

    @Test
    void resultDoesNotDependOnTheValueReplaced() throws Exception {
        Asset in = Asset.of("a.txt", utf8("hello\n"));
        Asset viaShort = text.withMetadata(text.withMetadata(in, KEY, "x"), KEY, label("F"));
        Asset viaLong = text.withMetadata(text.withMetadata(in, KEY, label("0".repeat(300))), KEY, label("F"));
        assertThat(viaLong.bytes()).isEqualTo(viaShort.bytes());
        assertThat(viaLong.sidecar().orElseThrow()).isEqualTo(viaShort.sidecar().orElseThrow());
    }

    static Stream<Arguments> sidecars() {
        String bare = "{\"Label\":\"1\",\"ReservedCode1\":\"S\"}";
        return Stream.of(
                Arguments.of("bare", bare, bare, null),
                Arguments.of("with BOM", "\ufeff" + label("S") + "\n", label("S"), null),
                Arguments.of("not JSON", "free text", "free text", null),
                // Whether a value holds a key twice is the mark's question (AigcLabel), not the container's.
                Arguments.of("two labels", "{\"AIGC\":" + bare + ",\"AIGC\":" + bare + "}",
                        "{\"AIGC\":" + bare + ",\"AIGC\":" + bare + "}", null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sidecars")
    void readsSidecarForms(String name, String sidecar, String expected, String error) throws Exception {
        Asset in = new Asset("a.txt", utf8("x\n"), Optional.of(utf8(sidecar)));
        if (error == null) {
            assertThat(text.metadata(in, KEY)).contains(expected);
        } else {
            assertThatThrownBy(() -> text.metadata(in, KEY)).isInstanceOf(FormatException.class)
                    .hasMessageContaining("a.txt.aigc.json").hasMessageContaining(error);
        }
    }

    @Test
    void aSidecarThatIsNotUtf8IsRefused() {
        Asset in = new Asset("a.txt", utf8("x\n"), Optional.of(new byte[] {'{', (byte) 0xd6, (byte) 0xd0, '}'}));
        assertThatThrownBy(() -> text.metadata(in, KEY)).isInstanceOf(FormatException.class)
                .hasMessageContaining("a.txt.aigc.json is not UTF-8").hasMessageContaining("offset 1");
    }

    static Stream<Arguments> paragraphs() {
        return Stream.of(
                Arguments.of(TextBody.Edge.START, "中文正文。\n第二行\n", "本内容由人工智能生成", "本内容由人工智能生成\n中文正文。\n第二行\n"),
                Arguments.of(TextBody.Edge.END, "中文正文。\n第二行\n", "本内容由人工智能生成", "中文正文。\n第二行\n本内容由人工智能生成\n"),
                Arguments.of(TextBody.Edge.START, "English text\r\nline two", "AI-generated content",
                        "AI-generated content\r\nEnglish text\r\nline two"),
                Arguments.of(TextBody.Edge.END, "English text\r\nline two", "AI-generated content",
                        "English text\r\nline two\r\nAI-generated content"),
                Arguments.of(TextBody.Edge.START, "\ufeffEnglish", "AI-generated content", "\ufeffAI-generated content\nEnglish"),
                Arguments.of(TextBody.Edge.END, "", "AI-generated content", "AI-generated content\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paragraphs")
    void paragraphIsTheFirstOrLastLine(TextBody.Edge edge, String in, String paragraph, String expected) throws Exception {
        Asset asset = Asset.of("a.txt", utf8(in));
        assertThat(text.containsAny(asset, java.util.List.of(paragraph))).isFalse();
        Asset out = text.insertParagraph(asset, paragraph, edge);
        assertThat(utf8(out.bytes())).isEqualTo(expected);
        assertThat(text.containsAny(out, java.util.List.of(paragraph))).isTrue();
        assertThat(text.visibleText(out, 4096)).contains(paragraph).doesNotContain("\ufeff");
    }

    @Test
    void invalidUtf8IsRefused() {
        Asset gbk = Asset.of("gbk.txt", new byte[] {(byte) 0xd6, (byte) 0xd0, (byte) 0xce, (byte) 0xc4});
        // check() is the one place the whole file's encoding is read; label and verify call it first.
        assertThatThrownBy(() -> text.check(gbk)).isInstanceOf(FormatException.class)
                .hasMessageContaining("gbk.txt is not UTF-8").hasMessageContaining("offset 0");
    }

    @Test
    void signature() {
        assertThat(text.format()).isEqualTo("text");
        assertThat(text.mediaType()).isEqualTo("text/plain");
        assertThat(text.signature().claimsName("a.TXT")).isTrue();
        assertThat(text.signature().claimsName("a.text")).isTrue();
        assertThat(text.signature().sniffWithoutExtension()).isTrue();
    }
}
