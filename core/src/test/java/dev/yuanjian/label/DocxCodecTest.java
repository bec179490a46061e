package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.count;
import static dev.yuanjian.label.Fixtures.customProperty;
import static dev.yuanjian.label.Fixtures.customXml;
import static dev.yuanjian.label.Fixtures.docx;
import static dev.yuanjian.label.Fixtures.label;
import static dev.yuanjian.label.Fixtures.paragraphs;
import static dev.yuanjian.label.Fixtures.unzip;
import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class DocxCodecTest {
    private final DocxCodec codec = new DocxCodec();
    private static final List<String> EN = paragraphs(5, "An English paragraph of the report");
    private static final List<String> ZH = paragraphs(5, "这是报告中的一个中文段落");

    static Stream<Arguments> packages() {
        return Stream.of(
                Arguments.of("no custom.xml", docx(EN, null)),
                Arguments.of("custom.xml with other properties",
                        docx(EN, customXml(customProperty(2, "Client", "ACME &amp; Co") + customProperty(5, "项目", "源鉴")))),
                Arguments.of("custom.xml with an AIGC label",
                        docx(EN, customXml(customProperty(2, "Client", "ACME") + customProperty(3, "AIGC",
                                XmlScan.escapeText(label("OLD").toBareJson()))))),
                Arguments.of("empty custom.xml", docx(EN, customXml(""))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("packages")
    void writeThenReadRoundTripsAndKeepsOtherEntries(String name, byte[] input) throws Exception {
        Asset out = codec.write(Asset.of("a.docx", input), label("SIG1"));
        assertThat(codec.read(out)).contains(label("SIG1"));

        Map<String, byte[]> before = unzip(input);
        Map<String, byte[]> after = unzip(out.bytes());
        List<String> touched = List.of("[Content_Types].xml", "_rels/.rels", "docProps/custom.xml");
        List<String> beforeOrder = before.keySet().stream().toList();
        assertThat(after.keySet().stream().filter(before::containsKey).toList()).isEqualTo(beforeOrder);
        ZipArchive in = ZipArchive.read(input, "in", Long.MAX_VALUE);
        ZipArchive written = ZipArchive.read(out.bytes(), "out", Long.MAX_VALUE);
        for (String entry : beforeOrder) {
            if (!touched.contains(entry)) {
                assertThat(after.get(entry)).as(entry).isEqualTo(before.get(entry));
                assertThat(written.rawRecord(written.find(entry))).as("raw bytes of " + entry)
                        .isEqualTo(in.rawRecord(in.find(entry)));
            }
        }
        assertReadableByZipFile(out.bytes(), after);
        String custom = utf8(after.get("docProps/custom.xml"));
        assertThat(count(custom, "name=\"AIGC\"")).isEqualTo(1);
        assertThat(custom).contains("<vt:lpwstr>" + label("SIG1").toWrappedJson() + "</vt:lpwstr>");
        assertThat(custom).contains("fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\"");
        if (name.equals("custom.xml with other properties")) {
            assertThat(custom).contains(customProperty(2, "Client", "ACME &amp; Co") + customProperty(5, "项目", "源鉴"))
                    .contains("pid=\"6\" name=\"AIGC\"");
        }
        if (name.equals("custom.xml with an AIGC label")) {
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

    @Test
    void writingTwiceReplacesAndIsDeterministic() throws Exception {
        Asset in = Asset.of("a.docx", docx(EN, null));
        Asset once = codec.write(in, label("A"));
        Asset twice = codec.write(once, label("B"));
        assertThat(codec.read(twice)).contains(label("B"));
        assertThat(count(utf8(unzip(twice.bytes()).get("docProps/custom.xml")), "name=\"AIGC\"")).isEqualTo(1);
        assertThat(codec.write(twice, label("B")).bytes()).isEqualTo(twice.bytes());
        assertThat(codec.write(in, label("B")).bytes()).isEqualTo(twice.bytes());
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
                "<Relationship Id=\"rId9\" Type=\"" + DocxCodec.CUSTOM_PROPERTIES_REL
                        + "\" Target=\"/props/mine.xml\"/></Relationships>")));
        parts.put("props/mine.xml", utf8(custom));
        Asset out = codec.write(Asset.of("a.docx", Fixtures.zip(parts)), label("S"));
        Map<String, byte[]> after = unzip(out.bytes());
        assertThat(after).doesNotContainKey("docProps/custom.xml");
        assertThat(utf8(after.get("props/mine.xml"))).isEqualTo(custom.replace("\n</op:Properties>",
                "\n<op:property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"8\" name=\"AIGC\"><v:lpwstr>"
                        + label("S").toWrappedJson() + "</v:lpwstr></op:property></op:Properties>"));
        assertThat(utf8(after.get("[Content_Types].xml"))).contains("PartName=\"/props/mine.xml\"");
        assertThat(utf8(after.get("_rels/.rels"))).isEqualTo(utf8(parts.get("_rels/.rels")));
        assertThat(codec.read(out)).contains(label("S"));
    }

    @Test
    void readsTheBareForm() throws Exception {
        Asset in = Asset.of("a.docx", docx(EN, customXml(customProperty(2, "AIGC", XmlScan.escapeText(label("S").toBareJson())))));
        assertThat(codec.read(in)).contains(label("S"));
        Asset quoted = Asset.of("a.docx", docx(EN, customXml(customProperty(2, "AIGC",
                label("S").toWrappedJson().replace("\"", "&quot;")))));
        assertThat(codec.read(quoted)).contains(label("S"));
        assertThat(codec.read(Asset.of("a.docx", docx(EN, null)))).isEmpty();
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
                Arguments.of("zip without word/document.xml", Fixtures.zip(noDocument), "not a Word document"),
                Arguments.of("zip slip", Fixtures.zip(slip), "unsafe entry name"),
                Arguments.of("absolute name", Fixtures.zip(absolute), "unsafe entry name"),
                Arguments.of("DTD in custom.xml", Fixtures.zip(dtd), "DTD"),
                Arguments.of("two AIGC properties", docx(EN, customXml(customProperty(2, "AIGC", "{}")
                        + customProperty(3, "AIGC", "{}"))), "2 custom properties named AIGC"),
                Arguments.of("invalid JSON", docx(EN, customXml(customProperty(2, "AIGC", "{&quot;Label&quot;:"))),
                        "not valid JSON"),
                Arguments.of("malformed custom.xml", docx(EN, customXml("<property pid=\"2\" name=\"AIGC\"><vt:lpwstr>")),
                        "well-formed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void corruptInputsAreLabelFormatExceptions(String name, byte[] bytes, String message) {
        Asset in = Asset.of("bad.docx", bytes);
        assertThatThrownBy(() -> codec.read(in)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining("bad.docx").hasMessageContaining(message);
        assertThatThrownBy(() -> codec.protectedDigest(in)).isInstanceOf(LabelFormatException.class);
        if (!name.equals("invalid JSON")) {
            assertThatThrownBy(() -> codec.write(in, label("X"))).isInstanceOf(LabelFormatException.class);
        }
    }

    @Test
    void zipBombsAreCappedByTotalUncompressedSize() {
        Map<String, byte[]> parts = new LinkedHashMap<>(unzip(docx(EN, null)));
        parts.put("word/media/zeros.bin", new byte[2_000_000]);
        byte[] bomb = Fixtures.zip(parts);
        assertThat(bomb.length).isLessThan(100_000);
        assertThatThrownBy(() -> new DocxCodec(1_000_000).read(Asset.of("bomb.docx", bomb)))
                .isInstanceOf(LabelFormatException.class).hasMessageContaining("zip bomb");
    }

    @Test
    void digestIgnoresOnlyTheReservedCode1Value() throws Exception {
        Asset doc = Asset.of("a.docx", docx(ZH, customXml(customProperty(2, "Client", "ACME"))));
        Asset placeholder = codec.write(doc, label("0".repeat(64)));
        byte[] digest = codec.protectedDigest(placeholder);
        assertThat(codec.protectedDigest(codec.write(placeholder, label("f".repeat(64))))).isEqualTo(digest);
        assertThat(codec.protectedDigest(codec.write(doc, label("e".repeat(64))))).isEqualTo(digest);

        Asset otherText = codec.write(Asset.of("a.docx", docx(paragraphs(5, "这是报告中的一个中文段落!"),
                customXml(customProperty(2, "Client", "ACME")))), label("f".repeat(64)));
        assertThat(codec.protectedDigest(otherText)).isNotEqualTo(digest);
        Asset otherProperty = codec.write(Asset.of("a.docx", docx(ZH, customXml(customProperty(2, "Client", "ACMF")))),
                label("f".repeat(64)));
        assertThat(codec.protectedDigest(otherProperty)).isNotEqualTo(digest);
        AigcLabel otherField = new AigcLabel("3", label("x").contentProducer(), label("x").produceId(), "f".repeat(64),
                label("x").contentPropagator(), label("x").propagateId(), "");
        assertThat(codec.protectedDigest(codec.write(doc, otherField))).isNotEqualTo(digest);
    }

    static Stream<Arguments> explicit() {
        return Stream.of(
                Arguments.of(ZH, ExplicitLabel.Position.START, "本内容由人工智能生成"),
                Arguments.of(ZH, ExplicitLabel.Position.END, "本内容由人工智能生成"),
                Arguments.of(EN, ExplicitLabel.Position.START, "AI-generated content"),
                Arguments.of(EN, ExplicitLabel.Position.END, "AI-generated content"));
    }

    @ParameterizedTest(name = "{2} {1}")
    @MethodSource("explicit")
    void explicitParagraphGoesFirstOrBeforeTheSectionProperties(List<String> text, ExplicitLabel.Position position,
                                                               String wording) throws Exception {
        ExplicitLabel explicit = new ExplicitLabel(ExplicitLabel.DEFAULT.chinese(), ExplicitLabel.DEFAULT.english(), position);
        Asset in = Asset.of("a.docx", docx(text, null));
        assertThat(codec.hasExplicit(in, explicit)).isFalse();
        Asset out = codec.addExplicit(in, explicit);
        String paragraph = "<w:p><w:r><w:t xml:space=\"preserve\">" + wording + "</w:t></w:r></w:p>";
        String xml = utf8(unzip(out.bytes()).get("word/document.xml"));
        if (position == ExplicitLabel.Position.START) {
            assertThat(xml).contains("<w:body>" + paragraph + "<w:p>");
        } else {
            assertThat(xml).contains("</w:p>" + paragraph + "<w:sectPr>");
        }
        assertThat(xml.replace(paragraph, "")).isEqualTo(utf8(unzip(in.bytes()).get("word/document.xml")));
        assertThat(codec.hasExplicit(out, explicit)).isTrue();
        assertThat(codec.addExplicit(out, explicit).bytes()).isEqualTo(out.bytes());

        Asset labelled = codec.write(out, label("S"));
        assertThat(codec.read(labelled)).contains(label("S"));
        assertThat(codec.hasExplicit(labelled, explicit)).isTrue();
    }

    /** ZipFile reads the central directory (ZipInputStream only local headers): both must agree. */
    private static void assertReadableByZipFile(byte[] zip, Map<String, byte[]> expected) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("label", ".docx");
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
    void acceptsWordDocumentsOnly() {
        assertThat(codec.accepts("a.docx", docx(EN, null))).isTrue();
        assertThat(codec.accepts("a.docx", utf8("PK"))).isFalse();
    }
}
