package dev.yuanjian.container;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.fontbox.ttf.TrueTypeCollection;

/**
 * Test inputs built in code: metadata values, minimal OOXML packages, small PDFs. No downloaded
 * files. Public so that the painters' tests build the same files.
 */
public final class ContainerFixtures {
    public static final Path CJK_FONT = Path.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc");
    static final String W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

    /** The metadata key the GB 45438 mark uses; any valid key behaves the same. */
    public static final MetadataKey KEY = new MetadataKey("AIGC", "http://www.tc260.org.cn/ns/AIGC/1.0/", "TC260");

    private ContainerFixtures() {
    }

    /** A realistic value: the wrapped GB 45438 label JSON with {@code code} as ReservedCode1. */
    public static String label(String code) {
        return "{\"AIGC\":{\"Label\":\"1\",\"ContentProducer\":\"001191440300708461136T1XGW3\","
                + "\"ProduceID\":\"doc-20250901-0001\",\"ReservedCode1\":\"" + code + "\","
                + "\"ContentPropagator\":\"001191440300708461136T1XGW3\",\"PropagateID\":\"doc-20250901-0001\","
                + "\"ReservedCode2\":\"\"}}";
    }

    /** Values every container must round-trip: JSON, quotes of both kinds, CJK, YAML and XML specials. */
    public static final java.util.List<String> VALUES = java.util.List.of(
            label("SIG1"),
            "it's a \"quoted\" value",
            "本内容由人工智能生成 源鉴",
            "key: value # not a comment, - [a, b] {c: d} & * ! | > % @ `",
            "<tag attr=\"x\">a &amp; b</tag>",
            "(parentheses) \\backslash\\ ((nested))",
            "",
            " leading and trailing spaces ");

    public static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    public static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    public static int count(String hay, String needle) {
        int n = 0;
        for (int i = hay.indexOf(needle); i >= 0; i = hay.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    // ---- DOCX ----

    public static String documentXml(List<String> paragraphs) {
        StringBuilder body = new StringBuilder();
        for (String p : paragraphs) {
            body.append("<w:p><w:r><w:t>").append(XmlScan.escapeText(p)).append("</w:t></w:r></w:p>");
        }
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<w:document xmlns:w=\"" + W_NS + "\" xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                + "<w:body>" + body + "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>";
    }

    static final String CONTENT_TYPES = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
            + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
            + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
            + "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
            + "<Default Extension=\"png\" ContentType=\"image/png\"/>"
            + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
            + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>"
            + "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>"
            + "%s</Types>";

    static final String RELS = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
            + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
            + "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties\" Target=\"docProps/app.xml\"/>"
            + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
            + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
            + "%s</Relationships>";

    static final String CORE = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
            + "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
            + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>测试文档</dc:title><dc:creator>Yuanjian</dc:creator></cp:coreProperties>";

    static final String APP = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
            + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>Yuanjian tests</Application></Properties>";

    public static String customXml(String properties) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\" "
                + "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">" + properties + "</Properties>";
    }

    public static String customProperty(int pid, String name, String escapedValue) {
        return "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"" + pid + "\" name=\"" + name
                + "\"><vt:lpwstr>" + escapedValue + "</vt:lpwstr></property>";
    }

    /** A minimal Word package; {@code custom} (may be null) becomes docProps/custom.xml with its plumbing. */
    public static byte[] docx(List<String> paragraphs, String custom) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        String override = custom == null ? "" : "<Override PartName=\"/docProps/custom.xml\" "
                + "ContentType=\"application/vnd.openxmlformats-officedocument.custom-properties+xml\"/>";
        String rel = custom == null ? "" : "<Relationship Id=\"rId4\" Type=\"http://schemas.openxmlformats.org/"
                + "officeDocument/2006/relationships/custom-properties\" Target=\"docProps/custom.xml\"/>";
        parts.put("[Content_Types].xml", utf8(String.format(CONTENT_TYPES, override)));
        parts.put("_rels/.rels", utf8(String.format(RELS, rel)));
        parts.put("docProps/core.xml", utf8(CORE));
        parts.put("docProps/app.xml", utf8(APP));
        if (custom != null) {
            parts.put("docProps/custom.xml", utf8(custom));
        }
        parts.put("word/document.xml", utf8(documentXml(paragraphs)));
        byte[] png = new byte[3000];
        new java.util.Random(7).nextBytes(png);
        parts.put("word/media/image1.png", png);
        return zip(parts);
    }

    /**
     * {@code docx} in ISO/IEC 29500 Strict: the same parts with the Strict namespaces and
     * relationship types (as Word's "Strict Open XML Document" writes them); the OPC namespaces of
     * content types, package relationships and core properties are the same in both.
     */
    public static byte[] strictDocx(List<String> paragraphs, String custom) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : unzip(docx(paragraphs, custom)).entrySet()) {
            parts.put(e.getKey(), e.getKey().endsWith(".png") ? e.getValue() : utf8(toStrict(utf8(e.getValue()))));
        }
        return zip(parts);
    }

    /** Transitional OOXML names replaced by their Strict equivalents (ECMA-376 Part 1, Strict). */
    public static String toStrict(String xml) {
        String t = "http://schemas.openxmlformats.org/officeDocument/2006/";
        String s = "http://purl.oclc.org/ooxml/officeDocument/";
        return xml.replace(W_NS, "http://purl.oclc.org/ooxml/wordprocessingml/main")
                .replace("<w:document ", "<w:document w:conformance=\"strict\" ")
                .replace(t + "relationships/custom-properties", s + "relationships/customProperties")
                .replace(t + "relationships/extended-properties", s + "relationships/extendedProperties")
                .replace(t + "relationships/officeDocument", s + "relationships/officeDocument")
                .replace(t + "relationships", s + "relationships")
                .replace(t + "custom-properties", s + "customProperties")
                .replace(t + "extended-properties", s + "extendedProperties")
                .replace(t + "docPropsVTypes", s + "docPropsVTypes");
    }

    /**
     * A macro-enabled Word document ({@code .docm}): the macro-enabled main content type, a VBA
     * project part (random bytes standing for the compound file Word writes) related from the main
     * part; {@code custom} as in {@link #docx}.
     */
    public static byte[] docm(List<String> paragraphs, String custom) {
        Map<String, byte[]> parts = new LinkedHashMap<>(unzip(docx(paragraphs, custom)));
        parts.put("[Content_Types].xml", utf8(utf8(parts.get("[Content_Types].xml"))
                .replace("application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml", DOCM_MAIN)
                .replace("<Default Extension=\"xml\"", "<Default Extension=\"bin\" "
                        + "ContentType=\"application/vnd.ms-office.vbaProject\"/><Default Extension=\"xml\"")));
        parts.put("word/_rels/document.xml.rels", utf8("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.microsoft.com/office/2006/relationships/vbaProject\" "
                + "Target=\"vbaProject.bin\"/></Relationships>"));
        byte[] vba = new byte[5000];
        new java.util.Random(11).nextBytes(vba);
        parts.put("word/vbaProject.bin", vba);
        return zip(parts);
    }

    public static final String DOCM_MAIN = "application/vnd.ms-word.document.macroEnabled.main+xml";

    /** Zips {@code parts} in order; entries named *.png are STORED, the rest DEFLATED. */
    public static byte[] zip(Map<String, byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> p : parts.entrySet()) {
                ZipEntry e = new ZipEntry(p.getKey());
                e.setTimeLocal(java.time.LocalDateTime.of(2025, 9, 1, 12, 0));
                if (p.getKey().endsWith(".png")) {
                    CRC32 crc = new CRC32();
                    crc.update(p.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(p.getValue().length);
                    e.setCompressedSize(p.getValue().length);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                zip.write(p.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The entries of a zip, in order, uncompressed. */
    public static Map<String, byte[]> unzip(byte[] zip) {
        Map<String, byte[]> parts = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                parts.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return parts;
    }

    public static List<String> paragraphs(int n, String seed) {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(seed + " " + i);
        }
        return ps;
    }

    // ---- PDF ----

    /** A PDF with one line of {@code lines.get(i)} on page i; xref stream when {@code compress}, else a table. */
    public static byte[] pdf(List<String> lines, boolean compress) {
        try (PDDocument doc = new PDDocument()) {
            PDFont font = null;
            TrueTypeCollection ttc = null;
            boolean cjk = lines.stream().anyMatch(l -> l.codePoints().anyMatch(c -> c > 0xff));
            if (cjk) {
                ttc = new TrueTypeCollection(CJK_FONT.toFile());
                font = PDType0Font.load(doc, ttc.getFontByName("WenQuanYiZenHei"), true);
            } else {
                font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            }
            for (String line : lines) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 12);
                    cs.newLineAtOffset(72, 400);
                    cs.showText(line);
                    cs.endText();
                }
            }
            doc.getDocumentInformation().setTitle("Fixture");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, compress ? CompressParameters.DEFAULT_COMPRESSION : CompressParameters.NO_COMPRESSION);
            if (ttc != null) {
                ttc.close();
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean cjkFontInstalled() {
        return Files.isReadable(CJK_FONT);
    }

    /** Two pages whose fonts come from /Resources on the page tree node, not on the pages. */
    public static byte[] inheritedResourcesPdf() {
        String content = "BT /F1 12 Tf 72 400 Td (Inherited font text) Tj ET";
        List<String> objects = List.of(
                "<</Type/Catalog/Pages 2 0 R>>",
                "<</Type/Pages/Kids[3 0 R 6 0 R]/Count 2/Resources<</Font<</F1 5 0 R>>>>/MediaBox[0 0 612 792]>>",
                "<</Type/Page/Parent 2 0 R/Contents 4 0 R>>",
                "<</Length " + content.length() + ">>\nstream\n" + content + "\nendstream",
                "<</Type/Font/Subtype/Type1/BaseFont/Helvetica/Encoding/WinAnsiEncoding>>",
                "<</Type/Page/Parent 2 0 R/Contents 4 0 R>>");
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f\r\n");
        for (int off : offsets) {
            pdf.append(String.format("%010d 00000 n\r\n", off));
        }
        pdf.append("trailer\n<</Size ").append(objects.size() + 1).append("/Root 1 0 R>>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A one-page PDF written by hand with a classic xref, so tests can put exactly these bytes in the
     * Info dictionary (two /AIGC keys, broken JSON) that no library would write.
     */
    public static byte[] handMadePdf(String infoEntries) {
        List<String> objects = new ArrayList<>(List.of(
                "<</Type/Catalog/Pages 2 0 R>>",
                "<</Type/Pages/Kids[3 0 R]/Count 1>>",
                "<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>"));
        if (infoEntries != null) {
            objects.add("<<" + infoEntries + ">>");
        }
        StringBuilder pdf = new StringBuilder("%PDF-1.4\n");
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            offsets.add(pdf.length());
            pdf.append(i + 1).append(" 0 obj\n").append(objects.get(i)).append("\nendobj\n");
        }
        int xref = pdf.length();
        pdf.append("xref\n0 ").append(objects.size() + 1).append("\n0000000000 65535 f\r\n");
        for (int off : offsets) {
            pdf.append(String.format("%010d 00000 n\r\n", off));
        }
        pdf.append("trailer\n<</Size ").append(objects.size() + 1).append("/Root 1 0 R").append(infoEntries == null ? "" : "/Info 4 0 R").append(">>\nstartxref\n")
                .append(xref).append("\n%%EOF\n");
        return pdf.toString().getBytes(StandardCharsets.ISO_8859_1);
    }
}
