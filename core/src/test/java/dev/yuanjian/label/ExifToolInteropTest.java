package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.label;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Someone else's reader agrees: ExifTool finds our label where GB 45438's guides put it. */
class ExifToolInteropTest {
    @TempDir
    Path dir;

    @Test
    void exiftoolReadsTheAigcTagFromDocxAndPdf() throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        AigcLabel label = label("0123456789abcdef");
        Path docx = dir.resolve("labelled.docx");
        Files.write(docx, new DocxCodec().write(Asset.of("a.docx", Fixtures.docx(List.of("正文"), null)), label).bytes());
        Path pdf = dir.resolve("labelled.pdf");
        PdfCodec pdfCodec = new PdfCodec();
        Asset once = pdfCodec.write(Asset.of("a.pdf", Fixtures.pdf(List.of("page"), true)), label("x"));
        Files.write(pdf, pdfCodec.write(once, label).bytes());

        Process p = new ProcessBuilder(exiftool.toString(), "-j", "-AIGC", docx.toString(), pdf.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode results = new ObjectMapper().readTree(out);
        assertThat(results).as(out).hasSize(2);
        for (JsonNode file : results) {
            assertThat(file.path("AIGC").asText()).as(file.path("SourceFile").asText()).isEqualTo(label.toWrappedJson());
        }
    }

    /** ExifTool names a property of an unknown namespace by its prefix and a capitalised local name: {@code XMP-TC260:Aigc}. */
    @Test
    void exiftoolReadsTheXmpAigcPropertyFromPngAndJpeg() throws Exception {
        Path exiftool = ExternalTools.require("exiftool", "libimage-exiftool-perl", "/usr/bin/exiftool");
        AigcLabel label = label("0123456789abcdef");
        Path png = dir.resolve("labelled.png");
        PngCodec pngCodec = new PngCodec();
        Asset pngOnce = pngCodec.write(Asset.of("a.png", ImageCodecTest.png(64, 48)), label("x"));
        Files.write(png, pngCodec.write(pngCodec.addExplicit(pngOnce, ExplicitLabel.DEFAULT), label).bytes());
        Path jpg = dir.resolve("labelled.jpg");
        JpegCodec jpegCodec = new JpegCodec();
        Asset jpgOnce = jpegCodec.write(Asset.of("a.jpg", ImageCodecTest.jpeg(64, 48)), label("x"));
        Files.write(jpg, jpegCodec.write(jpgOnce, label).bytes());

        Process p = new ProcessBuilder(exiftool.toString(), "-j", "-G1", "-XMP:all", png.toString(), jpg.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        JsonNode results = new ObjectMapper().readTree(out);
        assertThat(results).as(out).hasSize(2);
        for (JsonNode file : results) {
            String name = file.path("SourceFile").asText();
            assertThat(file.path("XMP-TC260:Aigc").asText()).as(name + ": " + file).isEqualTo(label.toWrappedJson());
            assertThat(file.path("XMP-iptcExt:DigitalSourceType").asText()).as(name + ": " + file)
                    .isEqualTo("http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia");
        }
    }
}
