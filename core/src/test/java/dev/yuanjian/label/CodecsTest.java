package dev.yuanjian.label;

import static dev.yuanjian.label.Fixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CodecsTest {
    private static final Codecs CODECS = Codecs.standard();
    private static final byte[] DOCX = Fixtures.docx(List.of("x"), null);
    private static final byte[] PDF = Fixtures.handMadePdf(null);

    static Stream<Arguments> known() {
        return Stream.of(
                Arguments.of("README.md", utf8("# hi"), "markdown"),
                Arguments.of("notes.markdown", utf8("# hi"), "markdown"),
                Arguments.of("report.docx", DOCX, "docx"),
                Arguments.of("REPORT.DOCX", DOCX, "docx"),
                Arguments.of("paper.pdf", PDF, "pdf"),
                Arguments.of("story.txt", utf8("文本"), "text"),
                Arguments.of("no-extension", PDF, "pdf"),
                Arguments.of("download.bin", DOCX, "docx"),
                Arguments.of("LICENSE", utf8("MIT License\n"), "text"),
                Arguments.of("image.png", ImageCodecTest.png(4, 4), "png"),
                Arguments.of("IMAGE.PNG", ImageCodecTest.png(4, 4), "png"),
                Arguments.of("photo.jpg", ImageCodecTest.jpeg(4, 4), "jpeg"),
                Arguments.of("photo.jpeg", ImageCodecTest.jpeg(4, 4), "jpeg"),
                Arguments.of("no-extension-png", ImageCodecTest.png(4, 4), "png"),
                Arguments.of("upload.bin", ImageCodecTest.jpeg(4, 4), "jpeg"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("known")
    void detectsByNameAndMagic(String name, byte[] bytes, String format) throws Exception {
        assertThat(CODECS.detect(name, bytes).format()).isEqualTo(format);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("paper.pdf", utf8("<html>"), "is named .pdf but is not a PDF"),
                Arguments.of("report.docx", PDF, "is named .docx but is not a Word document"),
                Arguments.of("sheet.docx", Fixtures.zip(java.util.Map.of("xl/workbook.xml", utf8("<x/>"))),
                        "without word/document.xml"),
                Arguments.of("a.md", PDF, "holds a PDF"),
                Arguments.of("image.png", utf8("<html>"), "is named .png but is not a PNG"),
                Arguments.of("image.png", ImageCodecTest.jpeg(4, 4), "is named .png but is not a PNG"),
                Arguments.of("photo.jpg", ImageCodecTest.png(4, 4), "is named as JPEG but is not one"),
                Arguments.of("image.gif", utf8("GIF89a\0\0"), "supported: .md .markdown .docx .pdf .png .jpg .jpeg .txt"),
                Arguments.of("archive.zip", Fixtures.zip(java.util.Map.of("a", utf8("b"))), "unknown format"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithAClearMessage(String name, byte[] bytes, String message) {
        assertThatThrownBy(() -> CODECS.detect(name, bytes)).isInstanceOf(LabelFormatException.class)
                .hasMessageContaining(name).hasMessageContaining(message);
    }
}
