package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.count;
import static dev.yuanjian.label.Fixtures.label;
import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MarkdownCodecTest {
    private final MarkdownCodec codec = new MarkdownCodec();
    private static final String WRAPPED = label("SIG0").toWrappedJson();
    private static final String BARE = label("SIG0").toBareJson();

    static Stream<Arguments> files() {
        return Stream.of(
                Arguments.of("no front matter", "# Title\n\nBody text.\n"),
                Arguments.of("empty file", ""),
                Arguments.of("front matter without AIGC", "---\ntitle: Hello\n# a comment\ntags: [a, b]\n---\n# Title\n"),
                Arguments.of("front matter with AIGC", "---\ntitle: Hello\nAIGC: '" + label("OLD").toWrappedJson() + "'\nz: 1\n---\nBody\n"),
                Arguments.of("CRLF", "---\r\ntitle: Hello\r\n---\r\nBody\r\nmore\r\n"),
                Arguments.of("BOM", "\ufeff---\ntitle: Hello\n---\nBody\n"),
                Arguments.of("BOM without front matter", "\ufeffBody only, no final newline"),
                Arguments.of("empty front matter", "---\n---\nBody\n"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void writeThenReadRoundTripsAndKeepsEveryOtherByte(String name, String text) throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        Asset out = codec.write(in, label("SIG1"));
        String result = utf8(out.bytes());

        assertThat(codec.read(out)).contains(label("SIG1"));
        assertThat(count(result, "AIGC:")).isEqualTo(1);
        String line = "AIGC: '" + label("SIG1").toWrappedJson() + "'";
        String withoutLine = result.replace(line + (result.contains("\r\n") ? "\r\n" : "\n"), "");
        if (text.contains("AIGC:")) {
            assertThat(result.replace(line, "AIGC: '" + label("OLD").toWrappedJson() + "'")).isEqualTo(text);
        } else if (text.replace("\ufeff", "").startsWith("---")) {
            assertThat(withoutLine).isEqualTo(text);
        } else {
            // a new front matter block goes first (after the BOM); the rest follows unchanged
            String bom = text.startsWith("\ufeff") ? "\ufeff" : "";
            assertThat(result).isEqualTo(bom + "---\n" + line + "\n---\n" + text.substring(bom.length()));
        }
        if (text.contains("\r\n")) {
            assertThat(result).contains(line + "\r\n");
        }
    }

    @Test
    void writingTwiceReplacesAndIsDeterministic() throws Exception {
        Asset once = codec.write(Asset.of("a.md", utf8("---\ntitle: x\n---\nBody\n")), label("A"));
        Asset twice = codec.write(once, label("B"));
        assertThat(count(utf8(twice.bytes()), "AIGC")).isEqualTo(1 + count(label("B").toWrappedJson(), "AIGC"));
        assertThat(codec.read(twice)).contains(label("B"));
        assertThat(codec.write(twice, label("B")).bytes()).isEqualTo(twice.bytes());
    }

    static Stream<Arguments> storedForms() {
        return Stream.of(
                Arguments.of("single-quoted wrapped", "AIGC: '" + WRAPPED + "'"),
                Arguments.of("single-quoted bare", "AIGC: '" + BARE + "'"),
                Arguments.of("double-quoted", "AIGC: \"" + WRAPPED.replace("\"", "\\\"") + "\""),
                Arguments.of("flow mapping wrapped", "AIGC: " + WRAPPED),
                Arguments.of("flow mapping bare", "AIGC: " + BARE),
                Arguments.of("flow mapping over lines", "AIGC:\n  {\"Label\": \"1\",\n   \"ContentProducer\": \"P\",\n   \"ReservedCode1\": \"SIG0\"}"),
                Arguments.of("block scalar", "AIGC: |\n  " + BARE),
                Arguments.of("quoted key", "\"AIGC\": '" + BARE + "'"),
                Arguments.of("trailing comment", "AIGC: '" + BARE + "'  # the label"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("storedForms")
    void readsEveryStoredForm(String name, String entry) throws Exception {
        Asset in = Asset.of("a.md", utf8("---\ntitle: t\n" + entry + "\n---\nBody\n"));
        AigcLabel read = codec.read(in).orElseThrow();
        assertThat(read.label()).isEqualTo("1");
        assertThat(read.reservedCode1()).isEqualTo("SIG0");
        // the digest locates the value in every form: changing it (same length) keeps the digest
        Asset other = in.withBytes(utf8(utf8(in.bytes()).replace("SIG0", "SIG9")));
        assertThat(codec.protectedDigest(other)).isEqualTo(codec.protectedDigest(in));
        // and writing over any form leaves one canonical entry
        Asset rewritten = codec.write(in, label("NEW"));
        assertThat(utf8(rewritten.bytes())).isEqualTo("---\ntitle: t\nAIGC: '" + label("NEW").toWrappedJson() + "'\n---\nBody\n");
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("two AIGC keys", "---\nAIGC: '" + BARE + "'\ntitle: t\nAIGC: '" + BARE + "'\n---\n", "lines 2 and 4"),
                Arguments.of("invalid JSON", "---\ntitle: t\nAIGC: '{\"Label\": 1,,}'\n---\n", "line 3"),
                Arguments.of("not JSON at all", "---\nAIGC: yes\n---\n", "line 2"),
                Arguments.of("no value", "---\nAIGC:\n---\n", "no value"),
                Arguments.of("unclosed quote", "---\nAIGC: '{\"Label\":\"1\"}\n---\n", "never closes"),
                Arguments.of("unterminated front matter", "---\ntitle: t\nAIGC: '" + BARE + "'\nBody\n", "unterminated front matter"),
                Arguments.of("only an opening fence", "---", "unterminated front matter"),
                Arguments.of("bad Label value", "---\nAIGC: '{\"Label\":\"7\"}'\n---\n", "Label must be"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void brokenLabelsAreLabelFormatExceptions(String name, String text, String message) {
        Asset in = Asset.of("bad.md", utf8(text));
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("bad.md").hasMessageContaining(message);
        assertThatThrownBy(() -> codec.protectedDigest(in)).isInstanceOf(LabelFormatException.class);
        if (!name.equals("invalid JSON") && !name.equals("not JSON at all") && !name.equals("no value")
                && !name.equals("unclosed quote") && !name.equals("bad Label value")) {
            assertThatThrownBy(() -> codec.write(in, label("X"))).isInstanceOf(LabelFormatException.class);
        }
    }

    @Test
    void digestIgnoresOnlyTheReservedCode1Value() throws Exception {
        Asset doc = Asset.of("a.md", utf8("---\ntitle: t\n---\n# 标题\n\n正文。\n"));
        byte[] placeholder = codec.protectedDigest(codec.write(doc, label("0".repeat(64))));
        Asset signed = codec.write(codec.write(doc, label("0".repeat(64))), label("f".repeat(64)));
        assertThat(codec.protectedDigest(signed)).isEqualTo(placeholder);
        assertThat(codec.protectedDigest(codec.write(doc, label("f".repeat(64))))).isEqualTo(placeholder);

        Asset otherBody = codec.write(doc.withBytes(utf8("---\ntitle: t\n---\n# 标题\n\n正文!\n")), label("f".repeat(64)));
        assertThat(codec.protectedDigest(otherBody)).isNotEqualTo(placeholder);
        AigcLabel otherField = new AigcLabel("2", label("x").contentProducer(), label("x").produceId(), "f".repeat(64),
                label("x").contentPropagator(), label("x").propagateId(), "");
        assertThat(codec.protectedDigest(codec.write(doc, otherField))).isNotEqualTo(placeholder);
        assertThat(codec.protectedDigest(doc)).isEqualTo(Bytes.sha256(doc.bytes()));
    }

    static Stream<Arguments> explicit() {
        return Stream.of(
                Arguments.of("zh", ExplicitLabel.Position.START, "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n",
                        "---\ntitle: t\n---\n本内容由人工智能生成\n\n# 标题\n\n这是一段中文正文。\n"),
                Arguments.of("zh", ExplicitLabel.Position.END, "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n",
                        "---\ntitle: t\n---\n# 标题\n\n这是一段中文正文。\n\n本内容由人工智能生成\n"),
                Arguments.of("en", ExplicitLabel.Position.START, "# Title\n\nSome English prose.\n",
                        "AI-generated content\n\n# Title\n\nSome English prose.\n"),
                Arguments.of("en", ExplicitLabel.Position.END, "# Title\r\n\r\nSome English prose.",
                        "# Title\r\n\r\nSome English prose.\r\n\r\nAI-generated content"),
                Arguments.of("en", ExplicitLabel.Position.END, "Text\n\n", "Text\n\nAI-generated content\n"));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("explicit")
    void explicitLabelGoesAtTheStartOrEndOfTheBody(String lang, ExplicitLabel.Position position, String text,
                                                   String expected) throws Exception {
        ExplicitLabel explicit = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
        Asset in = Asset.of("a.md", utf8(text));
        assertThat(codec.hasExplicit(in, explicit)).isFalse();
        Asset out = codec.addExplicit(in, explicit);
        assertThat(utf8(out.bytes())).isEqualTo(expected);
        assertThat(codec.hasExplicit(out, explicit)).isTrue();
        assertThat(codec.addExplicit(out, explicit).bytes()).isEqualTo(out.bytes());
    }

    @Test
    void explicitThenImplicitKeepsBoth() throws Exception {
        Asset in = Asset.of("a.md", utf8("正文内容\n"));
        Asset out = codec.write(codec.addExplicit(in, ExplicitLabel.DEFAULT), label("S"));
        assertThat(codec.read(out)).contains(label("S"));
        assertThat(codec.hasExplicit(out, ExplicitLabel.DEFAULT)).isTrue();
        assertThat(utf8(out.bytes())).endsWith("---\n本内容由人工智能生成\n\n正文内容\n");
    }

    @Test
    void invalidUtf8IsRefusedForTheExplicitLabel() {
        Asset in = Asset.of("gbk.md", new byte[] {'a', '\n', (byte) 0xc4, (byte) 0xe3, '\n'});
        assertThatThrownBy(() -> codec.addExplicit(in, ExplicitLabel.DEFAULT)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("not UTF-8").hasMessageContaining("line 2");
    }

    @Test
    void acceptsMarkdownNames() {
        assertThat(codec.accepts("README.md", utf8("x"))).isTrue();
        assertThat(codec.accepts("notes.MARKDOWN", utf8("x"))).isTrue();
        assertThat(codec.accepts("a.txt", utf8("x"))).isFalse();
        assertThat(codec.accepts("a.md", utf8("%PDF-1.7"))).isFalse();
        assertThat(codec.mediaType()).isEqualTo("text/markdown");
    }
}
