package dev.yuanjian.render;

import static dev.yuanjian.container.ContainerFixtures.KEY;
import static dev.yuanjian.container.ContainerFixtures.pdf;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.ContainerFixtures;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.container.MarkdownContainer;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PdfPainterTest {
    private static final List<String> EN = List.of("First page of an English report", "Second page", "Third and last page");
    private static final List<String> ZH = List.of("这是第一页的中文内容", "第二页的中文内容", "最后一页的中文内容");
    private static final List<String> ENGLISH_FIRST = List.of("AI-generated content");
    private static final List<String> CHINESE_FIRST = List.of("本内容由人工智能生成", "AI-generated content");
    private final PdfContainer container = new PdfContainer();
    private final PdfPainter painter = new PdfPainter();

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void englishIsDrawnOnTheFirstOrLastPage(TextBody.Edge edge) throws Exception {
        assertDrawn(painter, pdf(EN, false), edge, ENGLISH_FIRST, "AI-generated content");
    }

    @ParameterizedTest
    @EnumSource(TextBody.Edge.class)
    void chineseNeedsATrueTypeCjkFont(TextBody.Edge edge) throws Exception {
        requireCjkFont();
        assertDrawn(painter, pdf(ZH, true), edge, CHINESE_FIRST, "本内容由人工智能生成");
    }

    @Test
    void withoutACjkFontTheNextCandidateIsDrawn() throws Exception {
        assertDrawn(new PdfPainter(List.of()), pdf(EN, false), TextBody.Edge.START, CHINESE_FIRST, "AI-generated content");
    }

    @Test
    void noDrawableCandidateIsAClearError() {
        Asset in = Asset.of("a.pdf", pdf(EN, false));
        assertThatThrownBy(() -> new PdfPainter(List.of()).paint(in, container, List.of("本内容由人工智能生成"),
                TextBody.Edge.START)).isInstanceOf(FormatException.class)
                .hasMessageContaining("a.pdf").hasMessageContaining("fonts-wqy-zenhei");
    }

    @Test
    void textSampleIsTheExtractedText() throws Exception {
        assertThat(painter.paints(container)).isTrue();
        assertThat(painter.paints(new MarkdownContainer())).isFalse();
        assertThat(painter.textSample(Asset.of("a.pdf", pdf(EN, false)), container))
                .contains("First page of an English report").contains("Second page").doesNotContain("Third");
    }

    @Test
    void pagesWithInheritedResourcesKeepTheirFonts() throws Exception {
        byte[] original = ContainerFixtures.inheritedResourcesPdf();
        for (TextBody.Edge edge : TextBody.Edge.values()) {
            Asset out = painter.paint(Asset.of("a.pdf", original), container, ENGLISH_FIRST, edge);
            try (PDDocument doc = Loader.loadPDF(out.bytes())) {
                for (int page = 1; page <= 2; page++) {
                    String text = pageText(doc, page);
                    assertThat(text).as("page " + page).contains("Inherited font text");
                    boolean painted = (page == 1) == (edge == TextBody.Edge.START);
                    assertThat(text.contains("AI-generated content")).as("page " + page).isEqualTo(painted);
                    // every font a page's content names must be in its resources
                    var resources = doc.getPage(page - 1).getResources();
                    assertThat(resources.getFont(COSName.getPDFName("F1"))).isNotNull();
                    // the new font is saved where the page can find it
                    assertThat(resources.getFontNames()).hasSize(painted ? 2 : 1);
                    for (var name : resources.getFontNames()) {
                        assertThat(resources.getFont(name)).as(name.getName()).isNotNull();
                    }
                }
            }
        }
    }

    @Test
    void paintingAFileWithMetadataKeepsTheMetadataRevisionLast() throws Exception {
        byte[] original = pdf(EN, true);
        Asset labelled = container.withMetadata(Asset.of("a.pdf", original), KEY, "0".repeat(64));
        Asset both = painter.paint(labelled, container, ENGLISH_FIRST, TextBody.Edge.START);
        assertThat(Arrays.copyOf(both.bytes(), original.length)).isEqualTo(original);
        assertThat(container.metadata(both, KEY)).contains("0".repeat(64));
        assertThat(painter.shows(both, container, ENGLISH_FIRST)).isTrue();
        assertThat(occurrences(both.bytes(), "/AIGC")).isEqualTo(1);
        Asset signed = container.withMetadata(both, KEY, "1".repeat(64));
        assertThat(signed.bytes()).hasSameSizeAs(both.bytes());
        assertThat(occurrences(signed.bytes(), "/AIGC")).isEqualTo(1);
    }

    @Test
    void brokenFilesAreRefused() {
        Asset truncated = Asset.of("bad.pdf", Arrays.copyOf(pdf(EN, false), pdf(EN, false).length / 2));
        assertThatThrownBy(() -> painter.paint(truncated, container, ENGLISH_FIRST, TextBody.Edge.START))
                .isInstanceOf(FormatException.class).hasMessageContaining("bad.pdf");
        Asset html = Asset.of("bad.pdf", utf8("<html>"));
        assertThatThrownBy(() -> painter.shows(html, container, ENGLISH_FIRST))
                .isInstanceOf(FormatException.class).hasMessageContaining("not a PDF");
    }

    private void assertDrawn(PdfPainter p, byte[] original, TextBody.Edge edge, List<String> candidates, String drawn)
            throws Exception {
        Asset in = Asset.of("a.pdf", original);
        assertThat(p.shows(in, container, candidates)).isFalse();
        Asset out = p.paint(in, container, candidates, edge);
        assertThat(Arrays.copyOf(out.bytes(), original.length)).as("an incremental update").isEqualTo(original);
        assertThat(p.shows(out, container, candidates)).isTrue();
        try (PDDocument doc = Loader.loadPDF(out.bytes())) {
            int page = edge == TextBody.Edge.START ? 1 : doc.getNumberOfPages();
            PDFTextStripper stripper = new PDFTextStripper();
            stripper.setSortByPosition(true);
            stripper.setStartPage(page);
            stripper.setEndPage(page);
            String text = stripper.getText(doc).strip();
            if (edge == TextBody.Edge.START) {
                assertThat(text).startsWith(drawn);
            } else {
                assertThat(text).endsWith(drawn);
            }
        }
        assertThat(p.paint(out, container, candidates, edge).bytes()).isEqualTo(out.bytes());
    }

    private static String pageText(PDDocument doc, int page) throws Exception {
        PDFTextStripper stripper = new PDFTextStripper();
        stripper.setStartPage(page);
        stripper.setEndPage(page);
        return stripper.getText(doc);
    }

    private static void requireCjkFont() {
        if (!ContainerFixtures.cjkFontInstalled()) {
            ExternalTools.missing(ContainerFixtures.CJK_FONT + " not found; install it with: apt-get install fonts-wqy-zenhei");
        }
    }

    private static int occurrences(byte[] hay, String needle) {
        return ContainerFixtures.count(new String(hay, StandardCharsets.ISO_8859_1), needle);
    }
}
