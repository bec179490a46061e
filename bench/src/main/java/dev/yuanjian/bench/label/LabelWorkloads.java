package dev.yuanjian.bench.label;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.DocxContainer;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.MarkdownContainer;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.label.AigcLabel;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.label.ImplicitLabelMark;
import dev.yuanjian.mark.Binding;
import dev.yuanjian.mark.Digests;
import dev.yuanjian.mark.Mark;
import dev.yuanjian.render.PdfPainter;
import dev.yuanjian.render.TextPainter;
import java.util.List;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.apache.pdfbox.pdfwriter.compress.CompressParameters;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;

/**
 * The documents the label benchmarks run on, built in code (seeded, so every run sees the same
 * bytes), and the marks-only path they time: the visible label, the implicit label, reading the
 * label back and the producer's digest, through the same containers and marks as the product but
 * without the log and the seal.
 */
public final class LabelWorkloads {
    public static final AigcLabel LABEL = new AigcLabel("1", "001191440300708461136T1XGW3", "bench-0001",
            "0".repeat(64), "001191440300708461136T1XGW3", "bench-0001", "");
    public static final ExplicitLabel EXPLICIT = new ExplicitLabel("本内容由人工智能生成", "AI-generated content",
            ExplicitLabel.Position.END);

    private static final ExplicitLabelMark VISIBLE = new ExplicitLabelMark(EXPLICIT,
            List.of(new TextPainter(), new PdfPainter()));
    // Writing and the digest view need neither the key nor the log.
    private static final ImplicitLabelMark IMPLICIT = new ImplicitLabelMark(LABEL.contentProducer(), true, null, null);
    private static final List<Mark> MARKS = List.of(VISIBLE, IMPLICIT);

    private LabelWorkloads() {
    }

    /** The marks-only path; returns the digest so nothing can be optimised away. */
    public static byte[] labelReadDigest(Container container, Asset asset) throws FormatException {
        Asset visible = VISIBLE.apply(asset, container, null);
        Asset labelled = container.withMetadata(visible, ImplicitLabelMark.AIGC, LABEL.toWrappedJson());
        if (IMPLICIT.read(labelled, container).isEmpty()) {
            throw new IllegalStateException("label did not round-trip");
        }
        return Digests.of(labelled, container, MARKS, Binding.PRODUCER);
    }

    public static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Baseline for DOCX: unzip every entry and zip it again with java.util.zip, nothing else. */
    public static byte[] zipCopy(byte[] zip) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(zip.length + 1024);
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip));
             ZipOutputStream z = new ZipOutputStream(out)) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                z.putNextEntry(new ZipEntry(e.getName()));
                in.transferTo(z);
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** About 1 MB of UTF-8 Markdown, mostly Chinese prose, with front matter. */
    public static Asset markdown1MB() {
        Random random = new Random(1);
        StringBuilder md = new StringBuilder("---\ntitle: 基准测试文档\nauthor: bench\ntags: [label, gb45438]\n---\n\n");
        String[] zh = {"人工智能", "内容标识", "生成合成", "网络安全", "技术规范", "元数据", "传播平台", "服务提供者"};
        String[] en = {"provenance", "metadata", "label", "digest", "signature", "platform"};
        int section = 0;
        while (md.length() < 420_000) { // ~420k chars, mostly 3-byte CJK: just over 1 MiB of UTF-8
            md.append("## 第").append(++section).append("节\n\n");
            for (int p = 0; p < 4; p++) {
                for (int w = 0; w < 60; w++) {
                    md.append(random.nextInt(8) == 0 ? " " + en[random.nextInt(en.length)] + " " : zh[random.nextInt(zh.length)]);
                    if (w % 12 == 11) {
                        md.append("。");
                    }
                }
                md.append("\n\n");
            }
        }
        return Asset.of("bench.md", md.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** A Word document of about ten pages (~5,000 words in 120 paragraphs) with one 64 KB image. */
    public static Asset docx10Pages() {
        Random random = new Random(2);
        StringBuilder body = new StringBuilder();
        String[] words = {"provenance", "content", "label", "generated", "metadata", "standard", "platform", "the",
                "of", "and", "model", "signature", "document", "report", "review"};
        for (int p = 0; p < 120; p++) {
            body.append("<w:p><w:pPr><w:pStyle w:val=\"Normal\"/></w:pPr><w:r><w:rPr><w:lang w:val=\"en-US\"/></w:rPr><w:t>");
            for (int w = 0; w < 42; w++) {
                body.append(words[random.nextInt(words.length)]).append(w == 41 ? "." : " ");
            }
            body.append("</w:t></w:r></w:p>");
        }
        String w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
        String document = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:document xmlns:w=\"" + w
                + "\"><w:body>" + body + "<w:sectPr><w:pgSz w:w=\"11906\" w:h=\"16838\"/></w:sectPr></w:body></w:document>";
        String types = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
                + "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
                + "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>"
                + "<Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
                + "<Override PartName=\"/word/styles.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
                + "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/></Types>";
        String rels = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n"
                + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                + "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/>"
                + "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/></Relationships>";
        String core = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<cp:coreProperties "
                + "xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\"><dc:title>Bench</dc:title></cp:coreProperties>";
        StringBuilder styles = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n<w:styles xmlns:w=\"" + w + "\">");
        for (int s = 0; s < 150; s++) {
            styles.append("<w:style w:type=\"paragraph\" w:styleId=\"S").append(s).append("\"><w:name w:val=\"Style ")
                    .append(s).append("\"/><w:rPr><w:sz w:val=\"22\"/></w:rPr></w:style>");
        }
        styles.append("</w:styles>");
        byte[] image = new byte[64 * 1024];
        random.nextBytes(image);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            put(zip, "[Content_Types].xml", types.getBytes(StandardCharsets.UTF_8));
            put(zip, "_rels/.rels", rels.getBytes(StandardCharsets.UTF_8));
            put(zip, "docProps/core.xml", core.getBytes(StandardCharsets.UTF_8));
            put(zip, "word/document.xml", document.getBytes(StandardCharsets.UTF_8));
            put(zip, "word/styles.xml", styles.toString().getBytes(StandardCharsets.UTF_8));
            put(zip, "word/media/image1.png", image);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Asset.of("bench.docx", out.toByteArray());
    }

    /** A ten-page PDF of English text, classic cross-reference table. */
    public static Asset pdf10Pages() {
        try (PDDocument doc = new PDDocument()) {
            PDType1Font font = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
            for (int p = 0; p < 10; p++) {
                PDPage page = new PDPage();
                doc.addPage(page);
                try (PDPageContentStream cs = new PDPageContentStream(doc, page)) {
                    cs.beginText();
                    cs.setFont(font, 11);
                    cs.setLeading(14);
                    cs.newLineAtOffset(72, 720);
                    for (int line = 0; line < 45; line++) {
                        cs.showText("Page " + (p + 1) + ", line " + line + ": provenance labels for generated content.");
                        cs.newLine();
                    }
                    cs.endText();
                }
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            doc.save(out, CompressParameters.NO_COMPRESSION);
            return Asset.of("bench.pdf", out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void put(ZipOutputStream zip, String name, byte[] content) throws IOException {
        ZipEntry e = new ZipEntry(name);
        e.setTimeLocal(LocalDateTime.of(2025, 9, 1, 0, 0));
        zip.putNextEntry(e);
        zip.write(content);
        zip.closeEntry();
    }

    public static Container markdown() {
        return new MarkdownContainer();
    }

    public static Container docx() {
        return new DocxContainer();
    }

    public static Container pdf() {
        return new PdfContainer();
    }
}
