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
}
