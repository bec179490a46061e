package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.VALUES;
import static dev.yuanjian.container.ContainerFixtures.count;
import static dev.yuanjian.container.ContainerFixtures.customProperty;
import static dev.yuanjian.container.ContainerFixtures.customXml;
import static dev.yuanjian.container.ContainerFixtures.docx;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.paragraphs;
import static dev.yuanjian.container.ContainerFixtures.unzip;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DocxContainerTest {
    private final DocxContainer docx = new DocxContainer();
    private static final List<String> EN = paragraphs(5, "An English paragraph of the report");
    private static final List<String> ZH = paragraphs(5, "这是报告中的一个中文段落");

    static Stream<Arguments> packages() {
        return Stream.of(
                Arguments.of("no custom.xml", docx(EN, null)),
                Arguments.of("custom.xml with other properties",
                        docx(EN, customXml(customProperty(2, "Client", "ACME &amp; Co") + customProperty(5, "项目", "源鉴")))),
                Arguments.of("custom.xml with the property",
                        docx(EN, customXml(customProperty(2, "Client", "ACME") + customProperty(3, "AIGC",
                                XmlScan.escapeText(label("OLD")))))),
                Arguments.of("empty custom.xml", docx(EN, customXml(""))));
    }

    static Stream<Arguments> packagesAndValues() {
        List<Arguments> all = new ArrayList<>();
        packages().forEach(p -> VALUES.forEach(v -> all.add(Arguments.of(p.get()[0], p.get()[1], v))));
        return all.stream();
    }

    @ParameterizedTest(name = "{0}: {2}")
    @MethodSource("packagesAndValues")
    void writeThenReadRoundTripsAndKeepsOtherEntries(String name, byte[] input, String value) throws Exception {
        Asset out = docx.withMetadata(Asset.of("a.docx", input), KEY, value);
        assertThat(docx.metadata(out, KEY)).contains(value);

        Map<String, byte[]> before = unzip(input);
        Map<String, byte[]> after = unzip(out.bytes());
        List<String> touched = List.of("[Content_Types].xml", "_rels/.rels", "docProps/custom.xml");
        List<String> beforeOrder = before.keySet().stream().toList();
        assertThat(after.keySet().stream().filter(before::containsKey).toList()).isEqualTo(beforeOrder);
        ZipArchive in = ZipArchive.read(input, "in", Long.MAX_VALUE);
        ZipArchive written = ZipArchive.read(out.bytes(), "out", Long.MAX_VALUE);
        for (String entry : beforeOrder) {
            if (!touched.contains(entry)) {
                assertThat(written.rawRecord(written.find(entry))).as("raw bytes of " + entry)
                        .isEqualTo(in.rawRecord(in.find(entry)));
            }
        }
        assertReadableByZipFile(out.bytes(), after);
        String custom = utf8(after.get("docProps/custom.xml"));
        assertThat(count(custom, "name=\"AIGC\"")).isEqualTo(1);
        assertThat(custom).contains("<vt:lpwstr>" + XmlScan.escapeText(value) + "</vt:lpwstr>");
        assertThat(custom).contains("fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\"");
        if (name.equals("custom.xml with other properties")) {
            assertThat(custom).contains(customProperty(2, "Client", "ACME &amp; Co") + customProperty(5, "项目", "源鉴"))
                    .contains("pid=\"6\" name=\"AIGC\"");
        }
        if (name.equals("custom.xml with the property")) {
            assertThat(custom).contains("pid=\"3\" name=\"AIGC\"").contains(customProperty(2, "Client", "ACME"));
        }
        assertThat(count(utf8(after.get("[Content_Types].xml")), "PartName=\"/docProps/custom.xml\""
                + " ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"")).isEqualTo(1);
        assertThat(count(utf8(after.get("_rels/.rels")), "relationships/custom-properties\" Target=\"docProps/custom.xml\""))
                .isEqualTo(1);
        if (name.equals("no custom.xml")) {
            assertThat(utf8(after.get("_rels/.rels"))).contains("Id=\"rId4\"");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void resultDoesNotDependOnTheValueReplaced(String name, byte[] input) throws Exception {
        Asset in = Asset.of("a.docx", input);
        byte[] viaShort = docx.withMetadata(docx.withMetadata(in, KEY, "x"), KEY, label("F")).bytes();
        byte[] viaLong = docx.withMetadata(docx.withMetadata(in, KEY, label("0".repeat(300))), KEY, label("F")).bytes();
        assertThat(viaLong).isEqualTo(viaShort);
        assertThat(docx.withMetadata(Asset.of("a.docx", viaShort), KEY, label("F")).bytes()).isEqualTo(viaShort);
    }

    @Test
    void aCarriageReturnSurvives() throws Exception {
        Asset out = docx.withMetadata(Asset.of("a.docx", docx(EN, null)), KEY, "a\r\nb");
        assertThat(docx.metadata(out, KEY)).contains("a\r\nb");
    }

    @Test
    void followsThePartsOwnPrefixesAndPartName() throws Exception {
        String custom = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<op:Properties xmlns:op=\""
                + "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" xmlns:v=\""
                + "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">\n"
                + "  <op:property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"7\" name=\"Owner\">"
                + "<v:lpwstr>me</v:lpwstr></op:property>\n</op:Properties>";
        Map<String, byte[]> parts = new LinkedHashMap<>(unzip(docx(EN, null)));
        parts.put("_rels/.rels", utf8(utf8(parts.get("_rels/.rels")).replace("</Relationships>",
                "<Relationship Id=\"rId9\" Type=\"" + DocxContainer.CUSTOM_PROPERTIES_REL
                        + "\" Target=\"/props/mine.xml\"/></Relationships>")));
        parts.put("props/mine.xml", utf8(custom));
        Asset out = docx.withMetadata(Asset.of("a.docx", ContainerFixtures.zip(parts)), KEY, "S");
        Map<String, byte[]> after = unzip(out.bytes());
        assertThat(after).doesNotContainKey("docProps/custom.xml");
        assertThat(utf8(after.get("props/mine.xml"))).isEqualTo(custom.replace("\n</op:Properties>",
                "\n<op:property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"8\" name=\"AIGC\"><v:lpwstr>"
                        + "S</v:lpwstr></op:property></op:Properties>"));
        assertThat(utf8(after.get("[Content_Types].xml"))).contains("PartName=\"/props/mine.xml\"");
        assertThat(utf8(after.get("_rels/.rels"))).isEqualTo(utf8(parts.get("_rels/.rels")));
        assertThat(docx.metadata(out, KEY)).contains("S");
        assertThat(docx.metadata(out, new MetadataKey("Owner", "urn:x", "x"))).contains("me");
    }

    @Test
    void readsEscapedForms() throws Exception {
        Asset quoted = Asset.of("a.docx", docx(EN, customXml(customProperty(2, "AIGC",
                label("S").replace("\"", "&quot;") + "&#x6E90;<![CDATA[<b>]]>"))));
        assertThat(docx.metadata(quoted, KEY)).contains(label("S") + "源<b>");
        assertThat(docx.metadata(Asset.of("a.docx", docx(EN, null)), KEY)).isEmpty();
    }

    static Stream<Arguments> broken() {
        byte[] good = docx(EN, null);
        Map<String, byte[]> noDocument = new LinkedHashMap<>(unzip(good));
        noDocument.remove("word/document.xml");
        Map<String, byte[]> slip = new LinkedHashMap<>(unzip(good));
        slip.put("../../etc/evil.xml", utf8("<x/>"));
        Map<String, byte[]> absolute = new LinkedHashMap<>(unzip(good));
        absolute.put("/tmp/evil.xml", utf8("<x/>"));
        Map<String, byte[]> dtd = new LinkedHashMap<>(unzip(good));
        dtd.put("docProps/custom.xml", utf8("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY a \"b\">]><Properties/>"));
        return Stream.of(
                Arguments.of("truncated zip", Arrays.copyOf(good, good.length / 2), "truncated"),
                Arguments.of("truncated end", Arrays.copyOf(good, good.length - 10), "truncated"),
                Arguments.of("garbage", utf8("this is not a zip file at all"), "not a ZIP"),
                Arguments.of("zip without word/document.xml", ContainerFixtures.zip(noDocument), "not a Word document"),
                Arguments.of("zip slip", ContainerFixtures.zip(slip), "unsafe entry name"),
                Arguments.of("absolute name", ContainerFixtures.zip(absolute), "unsafe entry name"),
                Arguments.of("DTD in custom.xml", ContainerFixtures.zip(dtd), "DTD"),
                Arguments.of("two properties", docx(EN, customXml(customProperty(2, "AIGC", "{}")
                        + customProperty(3, "AIGC", "{}"))), "2 custom properties named AIGC"),
                Arguments.of("bad entity", docx(EN, customXml(customProperty(2, "AIGC", "a &nope; b"))), "unknown entity"),
                Arguments.of("malformed custom.xml", docx(EN, customXml("<property pid=\"2\" name=\"AIGC\"><vt:lpwstr>")),
                        "well-formed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void corruptInputsAreFormatExceptionsNamingWhere(String name, byte[] bytes, String message) {
        Asset in = Asset.of("bad.docx", bytes);
        assertThatThrownBy(() -> docx.metadata(in, KEY)).isInstanceOf(FormatException.class)
                .hasMessageContaining("bad.docx").hasMessageContaining(message);
        if (!name.equals("bad entity")) {
            assertThatThrownBy(() -> docx.withMetadata(in, KEY, "X")).isInstanceOf(FormatException.class)
                    .hasMessageContaining("bad.docx");
            if (!name.equals("two properties")) {
                assertThatThrownBy(() -> docx.check(in)).isInstanceOf(FormatException.class);
            }
        }
    }

    @Test
    void zipBombsAreCappedByTotalUncompressedSize() {
        Map<String, byte[]> parts = new LinkedHashMap<>(unzip(docx(EN, null)));
        parts.put("word/media/zeros.bin", new byte[2_000_000]);
        byte[] bomb = ContainerFixtures.zip(parts);
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> new DocxContainer(1_000_000).metadata(Asset.of("bomb.docx", bomb), KEY))
                .isInstanceOf(FormatException.class).hasMessageContaining("zip bomb")
                // What a user can do, never a developer's action: the limit, and how to bring the document under it.
                .hasMessageContaining("1000000 bytes").hasMessageContaining("make it smaller")
                .hasMessageNotContaining("construct").hasMessageNotContaining("DocxContainer");
        assertThatThrownBy(() -> new DocxContainer(1024L * 1024)
                .metadata(Asset.of("bomb.docx", bomb), KEY)).hasMessageContaining("1 MiB");
    }

    static Stream<Arguments> paragraphsAtEdges() {
        return Stream.of(
                Arguments.of(ZH, TextBody.Edge.START, "本内容由人工智能生成"),
                Arguments.of(ZH, TextBody.Edge.END, "本内容由人工智能生成"),
                Arguments.of(EN, TextBody.Edge.START, "AI-generated content"),
                Arguments.of(EN, TextBody.Edge.END, "AI-generated <content> & more"));
    }

    @ParameterizedTest(name = "{2} {1}")
    @MethodSource("paragraphsAtEdges")
    void paragraphGoesFirstOrBeforeTheSectionProperties(List<String> text, TextBody.Edge edge, String line)
            throws Exception {
        Asset in = Asset.of("a.docx", docx(text, null));
        assertThat(docx.containsAny(in, java.util.List.of(line))).isFalse();
        assertThat(docx.visibleText(in, 4096)).startsWith(text.get(0) + "\n");
        Asset out = docx.insertParagraph(in, line, edge);
        String paragraph = "<w:p><w:r><w:t xml:space=\"preserve\">" + XmlScan.escapeText(line) + "</w:t></w:r></w:p>";
        String xml = utf8(unzip(out.bytes()).get("word/document.xml"));
        if (edge == TextBody.Edge.START) {
            assertThat(xml).contains("<w:body>" + paragraph + "<w:p>");
            assertThat(docx.visibleText(out, line.length())).isEqualTo(line);
        } else {
            assertThat(xml).contains("</w:p>" + paragraph + "<w:sectPr>");
            assertThat(docx.visibleText(out, 100_000)).endsWith(line + "\n");
        }
        assertThat(xml.replace(paragraph, "")).isEqualTo(utf8(unzip(in.bytes()).get("word/document.xml")));
        assertThat(docx.containsAny(out, java.util.List.of(line))).isTrue();

        Asset labelled = docx.withMetadata(out, KEY, "S");
        assertThat(docx.metadata(labelled, KEY)).contains("S");
        assertThat(docx.containsAny(labelled, java.util.List.of(line))).isTrue();
    }

    /** ZipFile reads the central directory (ZipInputStream only local headers): both must agree. */
    private static void assertReadableByZipFile(byte[] zip, Map<String, byte[]> expected) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("container", ".docx");
        try {
            java.nio.file.Files.write(file, zip);
            try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(file.toFile())) {
                assertThat(z.stream().map(java.util.zip.ZipEntry::getName).toList()).isEqualTo(List.copyOf(expected.keySet()));
                for (var e : expected.entrySet()) {
                    try (var in = z.getInputStream(z.getEntry(e.getKey()))) {
                        assertThat(in.readAllBytes()).as(e.getKey()).isEqualTo(e.getValue());
                    }
                }
            }
        } finally {
            java.nio.file.Files.delete(file);
        }
    }

    @Test
    void signature() {
        assertThat(docx.format()).isEqualTo("docx");
        assertThat(docx.signature().matchesMagic(docx(EN, null))).isTrue();
        assertThat(docx.signature().containsRequired(docx(EN, null))).isTrue();
        assertThat(docx.signature().matchesMagic(utf8("PK"))).isFalse();
    }
}
