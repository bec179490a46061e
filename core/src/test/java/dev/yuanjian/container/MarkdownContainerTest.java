package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.VALUES;
import static dev.yuanjian.container.ContainerFixtures.count;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MarkdownContainerTest {
    private final MarkdownContainer md = new MarkdownContainer();
    private static final String OLD = label("OLD");

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("no front matter", "# Title\n\nBody text.\n"),
                Arguments.of("empty file", ""),
                Arguments.of("front matter without the key", "---\ntitle: Hello\n# a comment\ntags: [a, b]\n---\n# Title\n"),
                Arguments.of("front matter with the key", "---\ntitle: Hello\nAIGC: '" + OLD + "'\nz: 1\n---\nBody\n"),
                Arguments.of("CRLF", "---\r\ntitle: Hello\r\n---\r\nBody\r\nmore\r\n"),
                Arguments.of("BOM", "\ufeff---\ntitle: Hello\n---\nBody\n"),
                Arguments.of("BOM without front matter", "\ufeffBody only, no final newline"),
                Arguments.of("empty front matter", "---\n---\nBody\n"));
    }

    static Stream<Arguments> filesAndValues() {
        List<Arguments> all = new ArrayList<>();
        files().forEach(f -> VALUES.forEach(v -> all.add(Arguments.of(f.get()[0], f.get()[1], v))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("filesAndValues")
    void writeThenReadRoundTripsAndKeepsEveryOtherByte(String name, String text, String value) throws Exception {
        Asset out = md.withMetadata(Asset.of("a.md", utf8(text)), KEY, value);
        String result = utf8(out.bytes());

        assertThat(md.metadata(out, KEY)).contains(value);
        assertThat(count(result, "\nAIGC:")).isEqualTo(1);
        String line = "AIGC: '" + value.replace("'", "''") + "'";
        String eol = result.contains("\r\n") ? "\r\n" : "\n";
        if (text.contains("AIGC:")) {
            assertThat(result.replace(line, "AIGC: '" + OLD + "'")).isEqualTo(text);
        } else if (text.replace("\ufeff", "").startsWith("---")) {
            assertThat(result.replace(line + eol, "")).isEqualTo(text);
            assertThat(result).contains(line + eol);
        } else {
            // a new front matter block goes first (after the BOM); the rest follows unchanged
            String bom = text.startsWith("\ufeff") ? "\ufeff" : "";
            assertThat(result).isEqualTo(bom + "---\n" + line + "\n---\n" + text.substring(bom.length()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void resultDoesNotDependOnTheValueReplaced(String name, String text) throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        byte[] viaShort = md.withMetadata(md.withMetadata(in, KEY, "x"), KEY, label("FINAL")).bytes();
        byte[] viaLong = md.withMetadata(md.withMetadata(in, KEY, label("0".repeat(300))), KEY, label("FINAL")).bytes();
        assertThat(viaLong).isEqualTo(viaShort);
        assertThat(md.withMetadata(Asset.of("a.md", viaShort), KEY, label("FINAL")).bytes()).isEqualTo(viaShort);
    }

    @Test
    void writingTwiceReplacesAndOtherKeysAreSeparate() throws Exception {
        MetadataKey other = new MetadataKey("Other_key-2", "urn:x", "x");
        Asset once = md.withMetadata(Asset.of("a.md", utf8("---\ntitle: x\n---\nBody\n")), KEY, "A");
        Asset twice = md.withMetadata(md.withMetadata(once, other, "O"), KEY, "B");
        assertThat(utf8(twice.bytes())).isEqualTo("---\ntitle: x\nAIGC: 'B'\nOther_key-2: 'O'\n---\nBody\n");
        assertThat(md.metadata(twice, KEY)).contains("B");
        assertThat(md.metadata(twice, other)).contains("O");
        assertThat(md.metadata(twice, new MetadataKey("title", "urn:x", "x"))).contains("x");
        assertThat(md.metadata(twice, new MetadataKey("Missing", "urn:x", "x"))).isEmpty();
    }

    static Stream<Arguments> storedForms() {
        String bare = "{\"Label\":\"1\",\"ReservedCode1\":\"SIG0\"}";
        return Stream.of(
                Arguments.of("single-quoted", "AIGC: '" + bare.replace("1", "1''s") + "'", bare.replace("1", "1's")),
                Arguments.of("double-quoted", "AIGC: \"" + bare.replace("\"", "\\\"") + " \\u6e90\\t\"", bare + " 源\t"),
                Arguments.of("flow mapping", "AIGC: " + bare, bare),
                Arguments.of("flow mapping over lines", "AIGC:\n  {\"Label\": \"1\",\n   \"ReservedCode1\": \"SIG0\"}",
                        "{\"Label\": \"1\",\n   \"ReservedCode1\": \"SIG0\"}"),
                Arguments.of("literal block scalar", "AIGC: |\n  " + bare + "\n  second line", bare + "\nsecond line\n"),
                Arguments.of("folded block scalar", "AIGC: >-\n  one\n  two", "one two"),
                Arguments.of("quoted key", "\"AIGC\": '" + bare + "'", bare),
                Arguments.of("trailing comment", "AIGC: '" + bare + "'  # the label", bare),
                Arguments.of("CJK plain", "AIGC: 本内容由人工智能生成", "本内容由人工智能生成"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedForms")
    void readsEveryStoredFormAndRewritesItAsOneLine(String name, String entry, String expected) throws Exception {
        Asset in = Asset.of("a.md", utf8("---\ntitle: t\n" + entry + "\nnext: 1\n---\nBody\n"));
        assertThat(md.metadata(in, KEY)).contains(expected);
        Asset rewritten = md.withMetadata(in, KEY, "NEW");
        assertThat(utf8(rewritten.bytes())).isEqualTo("---\ntitle: t\nAIGC: 'NEW'\nnext: 1\n---\nBody\n");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("two keys", "---\nAIGC: 'a'\ntitle: t\nAIGC: 'b'\n---\n", "lines 2 and 4"),
                Arguments.of("no value", "---\nAIGC:\n---\n", "no value"),
                Arguments.of("unclosed quote", "---\nAIGC: '{\"Label\":\"1\"}\n---\n", "never closes"),
                Arguments.of("text after the quote", "---\nAIGC: 'a' b\n---\n", "unexpected text"),
                Arguments.of("bad escape", "---\nAIGC: \"a\\q\"\n---\n", "unknown escape"),
                Arguments.of("not YAML, yet holding the key", "---\nAIGC: 'a'\ntitle: [unclosed\n---\n", "not valid YAML"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenFrontMatterIsAFormatExceptionNamingWhere(String name, String text, String message) {
        Asset in = Asset.of("bad.md", utf8(text));
        assertThatThrownBy(() -> md.metadata(in, KEY)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.md").hasMessageContaining(message);
        if (name.equals("two keys") || name.startsWith("not YAML")) {
            assertThatThrownBy(() -> md.withMetadata(in, KEY, "x")).isInstanceOf(FormatException.class)
                    .hasMessageContaining("bad.md");
        }
    }

    @Test
    void aValueWithALineBreakIsRefused() {
        assertThatThrownBy(() -> md.withMetadata(Asset.of("a.md", utf8("x")), KEY, "two\nlines"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("U+000A");
    }

    static Stream<Arguments> paragraphs() {
        return Stream.of(
                Arguments.of(TextBody.Edge.START, "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n", "本内容由人工智能生成",
                        "---\ntitle: t\n---\n本内容由人工智能生成\n\n# 标题\n\n这是一段中文正文。\n"),
                Arguments.of(TextBody.Edge.END, "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n", "本内容由人工智能生成",
                        "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n\n本内容由人工智能生成\n"),
                Arguments.of(TextBody.Edge.START, "# Title\n\nSome English prose.\n", "AI-generated content",
                        "AI-generated content\n\n# Title\n\nSome English prose.\n"),
                Arguments.of(TextBody.Edge.END, "# Title\r\n\r\nSome English prose.", "AI-generated content",
                        "# Title\r\n\r\nSome English prose.\r\n\r\nAI-generated content"),
                Arguments.of(TextBody.Edge.END, "Text\n\n", "AI-generated content", "Text\n\nAI-generated content\n"),
                Arguments.of(TextBody.Edge.START, "\ufeffBody", "P", "\ufeffP\n\nBody"),
                Arguments.of(TextBody.Edge.END, "---\na: 1\n---\n", "P", "---\na: 1\n---\nP\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("paragraphs")
    void paragraphGoesAtTheStartOrEndOfTheBody(TextBody.Edge edge, String text, String paragraph, String expected)
            throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        assertThat(md.containsAny(in, java.util.List.of(paragraph))).isFalse();
        Asset out = md.insertParagraph(in, paragraph, edge);
        assertThat(utf8(out.bytes())).isEqualTo(expected);
        assertThat(md.containsAny(out, java.util.List.of(paragraph))).isTrue();
        assertThat(md.visibleText(out, 4096)).contains(paragraph).doesNotContain("title:").doesNotContain("\ufeff");
    }

    @Test
    void frontMatterIsNotVisibleText() throws Exception {
        Asset in = md.withMetadata(Asset.of("a.md", utf8("正文内容\n")), KEY, "AI-generated content");
        assertThat(md.containsAny(in, java.util.List.of("AI-generated content"))).isFalse();
        assertThat(md.visibleText(in, 2)).isEqualTo("正文");
        Asset both = md.withMetadata(md.insertParagraph(Asset.of("a.md", utf8("正文内容\n")), "本内容由人工智能生成",
                TextBody.Edge.START), KEY, "S");
        assertThat(utf8(both.bytes())).isEqualTo("---\nAIGC: 'S'\n---\n本内容由人工智能生成\n\n正文内容\n");
    }

    @Test
    void invalidUtf8IsRefusedForTheBody() {
        Asset in = Asset.of("gbk.md", new byte[] {'a', '\n', (byte) 0xc4, (byte) 0xe3, '\n'});
        // check() is the one place the whole file's encoding is read; label and verify call it first.
        assertThatThrownBy(() -> md.check(in)).isInstanceOf(FormatException.class).hasMessageContaining("gbk.md")
                .hasMessageContaining("not UTF-8").hasMessageContaining("line 2");
    }

    @Test
    void signature() {
        assertThat(md.format()).isEqualTo("markdown");
        assertThat(md.mediaType()).isEqualTo("text/markdown");
        assertThat(md.signature().claimsName("README.md")).isTrue();
        assertThat(md.signature().claimsName("notes.MARKDOWN")).isTrue();
        assertThat(md.signature().claimsName("a.txt")).isFalse();
        assertThat(md.textBody()).isPresent();
    }
}
