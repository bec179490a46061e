package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.VALUES;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.toml.TomlMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Which leading block is front matter (issue 9: {@code ---\nFoo\n---\nBar} became invalid front
 * matter), judged by parsers that are not ours: Jackson's YAML, TOML and JSON readers for the
 * block, commonmark-java for what a reader sees. A labelled file must render as before, with the
 * label paragraph first and nothing of the front matter visible.
 */
class MarkdownFrontMatterTest {
    private static final String LABEL = "本内容由人工智能生成";
    private final MarkdownContainer md = new MarkdownContainer();

    enum Kind { NONE, YAML, TOML, JSON }

    static Stream<Arguments> files() {
        return Stream.of(
                // Not front matter: CommonMark content that happens to start with a block.
                Arguments.of("the reported file: thematic break, setext heading", "---\nFoo\n---\nBar", Kind.NONE),
                Arguments.of("setext heading under a rule, CRLF", "---\r\nTitle\r\n---\r\nText\r\n", Kind.NONE),
                Arguments.of("thematic breaks around a paragraph", "---\n\nA paragraph.\n\n---\n\nMore.\n", Kind.NONE),
                Arguments.of("prose with a colon (a YAML scalar)", "---\nMeet at 10:30 by the door\n---\nBody\n", Kind.NONE),
                Arguments.of("prose with ': ' (not YAML)", "---\nNote: read this: carefully\nand then this\n---\nBody\n",
                        Kind.NONE),
                Arguments.of("a YAML list", "---\n- one\n- two\n---\nBody\n", Kind.NONE),
                Arguments.of("a YAML number", "---\n42\n---\nBody\n", Kind.NONE),
                Arguments.of("tabs for indentation (not YAML)", "---\ntitle: x\ntags:\n\t- a\n---\nBody\n", Kind.NONE),
                Arguments.of("a code fence in the block", "---\n```\ncode\n```\n---\nBody\n", Kind.NONE),
                Arguments.of("--- inside a code fence", "```\n---\ntitle: x\n---\n```\nBody\n", Kind.NONE),
                Arguments.of("a rule that never closes", "---\nIntro under a rule\n\nMore\n", Kind.NONE),
                Arguments.of("a lone rule", "---", Kind.NONE),
                Arguments.of("four dashes", "----\ntitle: x\n----\nBody\n", Kind.NONE),
                Arguments.of("+++ that is not TOML", "+++\nNot TOML at all\n+++\nBody\n", Kind.NONE),
                Arguments.of("{ that is not JSON", "{not json}\nBody\n", Kind.NONE),
                Arguments.of("a JSON object with text after it", "{\"a\": 1} and prose\nBody\n", Kind.NONE),
                Arguments.of("a JSON array", "[1, 2]\nBody\n", Kind.NONE),
                Arguments.of("BOM then a setext heading", "\ufeff---\nFoo\n---\nBar\n", Kind.NONE),
                // Front matter, as Jekyll, Hugo and GitHub read it.
                Arguments.of("YAML", "---\ntitle: Hello\ntags: [a, b]\n---\n# Title\n\nText\n", Kind.YAML),
                Arguments.of("YAML closed by ...", "---\ntitle: Hello\n...\nBody\n", Kind.YAML),
                Arguments.of("YAML, BOM and CRLF", "\ufeff---\r\ntitle: Hello\r\n---\r\nBody\r\n", Kind.YAML),
                Arguments.of("empty YAML", "---\n---\nBody\n", Kind.YAML),
                Arguments.of("YAML comments only", "---\n# draft\n---\nBody\n", Kind.YAML),
                Arguments.of("YAML with another key twice", "---\ntitle: a\ntitle: b\n---\nBody\n", Kind.YAML),
                Arguments.of("YAML with --- in a block scalar", "---\ncode: |\n  ---\n  x\n---\nBody\n", Kind.YAML),
                Arguments.of("YAML prose that is a mapping", "---\nNote: read this first\n---\nBody\n", Kind.YAML),
                Arguments.of("TOML", "+++\ntitle = \"Hello\"\ndate = 2024-01-02\n\n[params]\nx = 1\n+++\nBody\n", Kind.TOML),
                Arguments.of("TOML, CRLF, no tables", "+++\r\ntitle = 'x'\r\n+++\r\nBody\r\n", Kind.TOML),
                Arguments.of("empty TOML", "+++\n+++\nBody\n", Kind.TOML),
                Arguments.of("TOML, an array of arrays before a table",
                        "+++\nmatrix = [\n  [1, 2],\n  ['a'],\n]\n[params]\nx = 1\n+++\nBody\n", Kind.TOML),
                Arguments.of("TOML, the key only in a table", "+++\n[params]\nAIGC = \"theirs\"\n+++\nBody\n", Kind.TOML),
                Arguments.of("JSON", "{\n  \"title\": \"Hello\",\n  \"tags\": [\"a\", \"}\"]\n}\nBody\n", Kind.JSON),
                Arguments.of("empty JSON", "{}\nBody\n", Kind.JSON),
                Arguments.of("JSON after a BOM, CRLF", "\ufeff{\"title\": \"x\"}\r\nBody\r\n", Kind.JSON));
    }

    static Stream<Arguments> filesAndValues() {
        List<Arguments> all = new ArrayList<>();
        files().forEach(f -> VALUES.forEach(v -> all.add(Arguments.of(f.get()[0], f.get()[1], f.get()[2], v))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void rendersAsBeforeWithTheLabelFirstAndTheFrontMatterHidden(String name, String text, Kind kind) throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        Asset out = md.withMetadata(md.insertParagraph(in, LABEL, TextBody.Edge.START), KEY, label("S"));

        Split before = split(text, kind);
        Split after = split(utf8(out.bytes()), kind == Kind.NONE ? Kind.YAML : kind);
        assertThat(parse(after)).as("the front matter, read by its own parser").isNotNull();
        assertThat(parse(after).get(KEY.name()).asText()).isEqualTo(label("S"));
        assertThat(html(after.body())).isEqualTo("<p>" + LABEL + "</p>\n" + html(before.body()));
        assertThat(html(after.body())).doesNotContain("AIGC").doesNotContain("ReservedCode1");
        if (kind == Kind.NONE) {
            // The file's own leading block is content, byte for byte, under new front matter.
            String eol = text.contains("\r\n") ? "\r\n" : "\n";
            assertThat(after.body()).isEqualTo(LABEL + eol + eol + before.body());
            assertThat(after.frontMatter()).isEqualTo("---" + eol + KEY.name() + ": '" + label("S") + "'" + eol + "---" + eol);
        } else {
            JsonNode expected = parse(before).deepCopy();
            ((com.fasterxml.jackson.databind.node.ObjectNode) expected).put(KEY.name(), label("S"));
            assertThat(parse(after)).isEqualTo(expected);
        }
    }

    @ParameterizedTest(name = "{0}: {3}")
    @MethodSource("filesAndValues")
    void eachValueReadsBackAndReplacingIsIdempotent(String name, String text, Kind kind, String value) throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        assertThat(md.metadata(in, KEY)).isEmpty();
        Asset out = md.withMetadata(in, KEY, value);
        assertThat(md.metadata(out, KEY)).contains(value);
        Split after = split(utf8(out.bytes()), kind == Kind.NONE ? Kind.YAML : kind);
        assertThat(parse(after).get(KEY.name()).asText()).isEqualTo(value);
        byte[] viaOther = md.withMetadata(md.withMetadata(in, KEY, "x'\"\\"), KEY, value).bytes();
        assertThat(viaOther).isEqualTo(out.bytes());
        assertThat(md.withMetadata(out, KEY, value).bytes()).isEqualTo(out.bytes());
        assertThat(md.visibleText(out, 1 << 20)).isEqualTo(md.visibleText(in, 1 << 20));
        // Every byte but the one entry is kept.
        String entry = switch (kind == Kind.NONE ? Kind.YAML : kind) {
            case YAML -> KEY.name() + ": '" + value.replace("'", "''") + "'";
            case TOML -> KEY.name() + " = \"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
            default -> new ObjectMapper().writeValueAsString(KEY.name()) + ": " + new ObjectMapper().writeValueAsString(value);
        };
        assertThat(utf8(out.bytes())).contains(entry);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("YAML flow mapping", "---\n{title: x}\n---\nBody\n", "flow mapping"),
                Arguments.of("indented YAML mapping", "---\n  title: x\n---\nBody\n", "column 0"),
                Arguments.of("our key inside a YAML flow mapping", "---\n{AIGC: x}\n---\nBody\n", "cannot edit"),
                Arguments.of("our key twice in YAML", "---\nAIGC: a\nAIGC: b\n---\nBody\n", "lines 2 and 3"),
                Arguments.of("our key twice in TOML", "+++\nAIGC = \"a\"\n\"AIGC\" = \"b\"\n+++\nBody\n", "lines [2, 3]"),
                Arguments.of("our key as a TOML table", "+++\nAIGC.x = 1\n+++\nBody\n", "cannot edit"),
                Arguments.of("our key twice in JSON", "{\"AIGC\": \"a\", \"AIGC\": \"b\"}\nBody\n", "2 \"AIGC\" members"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void frontMatterThatCannotTakeTheKeyIsRefusedSayingWhy(String name, String text, String message) {
        Asset in = Asset.of("odd.md", utf8(text));
        assertThatThrownBy(() -> md.withMetadata(in, KEY, "v")).isInstanceOf(FormatException.class)
                .hasMessageContaining("odd.md").hasMessageContaining(message);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("files")
    void aFileWithoutTheKeyReadsAsUnlabelledAndChecks(String name, String text, Kind kind) throws Exception {
        Asset in = Asset.of("a.md", utf8(text));
        md.check(in);
        assertThat(md.metadata(in, KEY)).isEmpty();
    }

    /** The file cut where its front matter of {@code kind} ends, found the simple way each tool does. */
    private record Split(Kind kind, String frontMatter, String body) {
    }

    private static Split split(String text, Kind kind) {
        String t = text.startsWith("\ufeff") ? text.substring(1) : text;
        Pattern p = switch (kind) {
            case NONE -> Pattern.compile("()");
            case YAML -> Pattern.compile("^(---\\r?\\n(?:.*?\\r?\\n)??(?:---|\\.\\.\\.)[ \\t]*(?:\\r?\\n|$))", Pattern.DOTALL);
            case TOML -> Pattern.compile("^(\\+\\+\\+\\r?\\n(?:.*?\\r?\\n)??\\+\\+\\+[ \\t]*(?:\\r?\\n|$))", Pattern.DOTALL);
            case JSON -> Pattern.compile("^(\\{.*?\\}[ \\t]*(?:\\r?\\n|$))", Pattern.DOTALL);
        };
        if (kind == Kind.JSON) {
            // The shortest prefix that is a whole JSON object ending its line.
            Matcher m = Pattern.compile("\\}[ \\t]*(\\r?\\n|$)").matcher(t);
            while (m.find()) {
                try {
                    new ObjectMapper().readTree(t.substring(0, m.start() + 1));
                    return new Split(kind, t.substring(0, m.end()), t.substring(m.end()));
                } catch (Exception notYet) {
                    // keep looking
                }
            }
            throw new AssertionError("no JSON object at the start of " + t);
        }
        Matcher m = p.matcher(t);
        assertThat(m.find()).as("front matter of kind " + kind + " in " + t).isTrue();
        return new Split(kind, m.group(1), t.substring(m.end()));
    }

    private static JsonNode parse(Split s) throws Exception {
        String fm = s.frontMatter();
        return switch (s.kind()) {
            case NONE -> null;
            case YAML -> {
                String block = fm.substring(fm.indexOf('\n') + 1, fm.stripTrailing().lastIndexOf('\n') + 1);
                JsonNode n = new YAMLMapper().readTree(block);
                yield n == null || n.isMissingNode() ? new ObjectMapper().createObjectNode() : n;
            }
            case TOML -> new TomlMapper().readTree(fm.substring(fm.indexOf('\n') + 1, fm.stripTrailing().lastIndexOf('\n') + 1));
            case JSON -> new ObjectMapper().readTree(fm);
        };
    }

    private static String html(String markdown) {
        return HtmlRenderer.builder().build().render(Parser.builder().build().parse(markdown));
    }
}
