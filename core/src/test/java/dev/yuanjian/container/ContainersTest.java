package dev.yuanjian.container;

import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ContainersTest {
    private static final Containers CONTAINERS = new Containers(List.of(
            new MarkdownContainer(), new DocxContainer(), new PdfContainer(), new TextContainer(), new WebpContainer()));
    private static final byte[] DOCX = ContainerFixtures.docx(List.of("x"), null);
    private static final byte[] PDF = ContainerFixtures.handMadePdf(null);
    private static final byte[] WEBP = WebpFixtures.lossless(4, 4);
    /** A RIFF file that is not WebP: magic "RIFF" alone must not make it one. */
    private static final byte[] WAV = utf8("RIFF\u0004\u0000\u0000\u0000WAVE");

    static Stream<Arguments> known() {
        return Stream.of(
                Arguments.of("README.md", utf8("# hi"), "markdown"),
                Arguments.of("notes.markdown", utf8("# hi"), "markdown"),
                Arguments.of("report.docx", DOCX, "docx"),
                Arguments.of("REPORT.DOCX", DOCX, "docx"),
                Arguments.of("macros.docm", ContainerFixtures.docm(List.of("text"), null), "docx"),
                Arguments.of("paper.pdf", PDF, "pdf"),
                Arguments.of("story.txt", utf8("文本"), "text"),
                Arguments.of("story.text", utf8("文本"), "text"),
                Arguments.of("no-extension", PDF, "pdf"),
                Arguments.of("download.bin", DOCX, "docx"),
                Arguments.of("LICENSE", utf8("MIT License\n"), "text"),
                Arguments.of("dir.d/NOTES", utf8("纯文本"), "text"),
                Arguments.of("image.webp", WEBP, "webp"),
                Arguments.of("IMAGE.WEBP", WEBP, "webp"),
                Arguments.of("download.bin", WEBP, "webp"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("known")
    void detectsByNameAndMagic(String name, byte[] bytes, String format) throws Exception {
        assertThat(CONTAINERS.detect(name, bytes).format()).isEqualTo(format);
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("paper.pdf", utf8("<html>"), "is named .pdf but is not a PDF"),
                Arguments.of("report.docx", PDF, "is named .docx but is not a DOCX"),
                Arguments.of("macros.docm", PDF, "is named .docm but is not a DOCX"),
                Arguments.of("sheet.docx", ContainerFixtures.zip(Map.of("xl/workbook.xml", utf8("<x/>"))),
                        "is named .docx but is not a DOCX"),
                Arguments.of("a.md", PDF, "holds a PDF"),
                Arguments.of("a.txt", DOCX, "holds a DOCX"),
                Arguments.of("image.gif", utf8("GIF89a\0\0"), "supported: .md .markdown .docx .docm .pdf .txt .text"),
                Arguments.of("archive.zip", ContainerFixtures.zip(Map.of("a", utf8("b"))), "unknown format"),
                Arguments.of("blob", new byte[] {0, 1, 2}, "unknown format"),
                Arguments.of("page.html", utf8("<html>"), "unknown format"),
                Arguments.of("image.webp", WAV, "is named .webp but is not a WEBP"),
                Arguments.of("image.webp", PDF, "is named .webp but is not a WEBP"),
                Arguments.of("a.txt", WEBP, "holds a WEBP"),
                Arguments.of("sound.wav", WAV, "unknown format"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesWithAClearMessage(String name, byte[] bytes, String message) {
        assertThatThrownBy(() -> CONTAINERS.detect(name, bytes)).isInstanceOf(FormatException.class)
                .hasMessageContaining(name).hasMessageContaining(message);
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
                Arguments.of("image.gif", utf8("GIF89a\0\0")),
                Arguments.of("blob", new byte[] {0, 1, 2}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void unknownFormatsAreUnsupportedNotBroken(String name, byte[] bytes) {
        assertThatThrownBy(() -> CONTAINERS.detect(name, bytes)).isInstanceOf(UnsupportedFormatException.class)
                .hasMessageContaining(".md .markdown .docx .docm .pdf .txt .text");
    }
}
