package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.DOCM_MAIN;
import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.count;
import static dev.yuanjian.container.ContainerFixtures.customProperty;
import static dev.yuanjian.container.ContainerFixtures.customXml;
import static dev.yuanjian.container.ContainerFixtures.docm;
import static dev.yuanjian.container.ContainerFixtures.docx;
import static dev.yuanjian.container.ContainerFixtures.label;
import static dev.yuanjian.container.ContainerFixtures.paragraphs;
import static dev.yuanjian.container.ContainerFixtures.strictDocx;
import static dev.yuanjian.container.ContainerFixtures.toStrict;
import static dev.yuanjian.container.ContainerFixtures.unzip;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Word documents from the real world (issue 9): ISO/IEC 29500 Strict, documents that already carry
 * custom properties, and macro-enabled {@code .docm}. Each is labelled in its own vocabulary, the
 * document's own properties and macros kept byte for byte.
 */
class DocxCasesTest {
    private static final List<String> TEXT = paragraphs(3, "这是报告中的一个中文段落");
    /** Properties of every common variant type, pids out of order and with a gap. */
    private static final String THEIRS = customProperty(5, "Client", "ACME &amp; Co")
            + "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"2\" name=\"Pages\"><vt:i4>12</vt:i4></property>"
            + "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"9\" name=\"Final\"><vt:bool>true</vt:bool></property>"
            + "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"3\" name=\"Due\">"
            + "<vt:filetime>2025-09-01T00:00:00Z</vt:filetime></property>";
    private final DocxContainer docx = new DocxContainer();

    static Stream<Arguments> documents() {
        return Stream.of(
                Arguments.of("report.docx", docx(TEXT, null), false),
                Arguments.of("report.docx", docx(TEXT, customXml(THEIRS)), false),
                Arguments.of("strict.docx", strictDocx(TEXT, null), true),
                Arguments.of("strict.docx", strictDocx(TEXT, toStrict(customXml(THEIRS))), true),
                Arguments.of("macros.docm", docm(TEXT, null), false),
                Arguments.of("macros.docm", docm(TEXT, customXml(THEIRS)), false));
    }

    @ParameterizedTest(name = "{0}, strict={2}, #{index}")
    @MethodSource("documents")
    void labelledInItsOwnVocabularyEverythingElseKept(String name, byte[] input, boolean strict) throws Exception {
        Asset in = Asset.of(name, input);
        assertThat(new Containers(List.of(new MarkdownContainer(), docx)).detect(name, input)).isSameAs(docx);
        Asset out = docx.withMetadata(docx.insertParagraph(in, "本内容由人工智能生成", TextBody.Edge.START), KEY, label("S"));
        docx.check(out);
        assertThat(docx.metadata(out, KEY)).contains(label("S"));
        assertThat(docx.visibleText(out, 10)).isEqualTo("本内容由人工智能生成");
        assertThat(docx.withMetadata(docx.withMetadata(out, KEY, "x"), KEY, label("S")).bytes()).isEqualTo(out.bytes());

        Map<String, byte[]> before = unzip(input);
        Map<String, byte[]> after = unzip(out.bytes());
        ZipArchive a = ZipArchive.read(input, "in", Long.MAX_VALUE);
        ZipArchive b = ZipArchive.read(out.bytes(), "out", Long.MAX_VALUE);
        List<String> edited = List.of("[Content_Types].xml", "_rels/.rels", "docProps/custom.xml", "word/document.xml");
        for (String entry : before.keySet()) {
            if (!edited.contains(entry)) {
                assertThat(b.rawRecord(b.find(entry))).as(entry).isEqualTo(a.rawRecord(a.find(entry)));
            }
        }
        String custom = utf8(after.get("docProps/custom.xml"));
        String types = utf8(after.get("[Content_Types].xml"));
        String rels = utf8(after.get("_rels/.rels"));

        // The document's own properties: byte for byte, ours beside them with a fresh pid >= 2.
        if (before.containsKey("docProps/custom.xml")) {
            String theirs = utf8(before.get("docProps/custom.xml"));
            String ours = custom.substring(custom.lastIndexOf("<property "), custom.lastIndexOf("</Properties>"));
            assertThat(custom.replace(ours, "")).isEqualTo(theirs);
            assertThat(ours).contains("pid=\"10\" name=\"AIGC\"");
        } else {
            assertThat(custom).contains("pid=\"2\" name=\"AIGC\"");
        }
        List<Integer> pids = new ArrayList<>();
        Matcher m = Pattern.compile(" pid=\"(\\d+)\"").matcher(custom);
        while (m.find()) {
            pids.add(Integer.parseInt(m.group(1)));
        }
        assertThat(pids).doesNotHaveDuplicates().allMatch(p -> p >= 2);

        // One vocabulary per package: Strict parts never gain Transitional names, nor the reverse.
        String t = "http://schemas.openxmlformats.org/officeDocument/2006/";
        String s = "http://purl.oclc.org/ooxml/officeDocument/";
        String ownNames = custom + rels;
        if (strict) {
            assertThat(ownNames).doesNotContain(t).contains(s + "customProperties\"").contains(s + "docPropsVTypes\"");
            assertThat(count(rels, s + "relationships/customProperties\" Target=\"docProps/custom.xml\"")).isEqualTo(1);
        } else {
            assertThat(ownNames).doesNotContain(s).contains(t + "custom-properties\"");
            assertThat(count(rels, t + "relationships/custom-properties\" Target=\"docProps/custom.xml\"")).isEqualTo(1);
        }
        assertThat(count(types, "PartName=\"/docProps/custom.xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"")).isEqualTo(1);

        // A .docm stays macro-enabled: its main content type and VBA project as they were.
        if (name.endsWith(".docm")) {
            assertThat(types).contains("ContentType=\"" + DOCM_MAIN + "\"");
            assertThat(after.get("word/vbaProject.bin")).isEqualTo(before.get("word/vbaProject.bin"));
        }
    }

    @Test
    void aStrictCustomPartInATransitionalPackageKeepsItsOwnVocabulary() throws Exception {
        // A converter that rewrote only the relationships leaves this mix; the part decides.
        byte[] mixed = docx(TEXT, toStrict(customXml("")));
        Asset out = docx.withMetadata(Asset.of("a.docx", mixed), KEY, "S");
        String custom = utf8(unzip(out.bytes()).get("docProps/custom.xml"));
        assertThat(custom).doesNotContain("schemas.openxmlformats.org");
        assertThat(docx.metadata(out, KEY)).contains("S");
    }

    @ParameterizedTest(name = "{0}, strict={2}, #{index}")
    @MethodSource("documents")
    void exiftoolReadsTheLabel(String name, byte[] input, boolean strict, @TempDir Path dir) throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl libarchive-zip-perl",
                "/usr/bin/exiftool");
        Asset out = docx.withMetadata(Asset.of(name, input), KEY, label("S"));
        Path file = Files.write(dir.resolve(name), out.bytes());
        Process p = new ProcessBuilder(exiftool.toString(), "-j", "-AIGC", "-Client", "-Pages", file.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        var read = new ObjectMapper().readTree(json).get(0);
        assertThat(read.path("AIGC").asText()).as(json).isEqualTo(label("S"));
        if (unzip(input).containsKey("docProps/custom.xml")) {
            assertThat(read.path("Client").asText()).as(json).isEqualTo("ACME & Co");
            assertThat(read.path("Pages").asInt()).as(json).isEqualTo(12);
        }
    }
}
