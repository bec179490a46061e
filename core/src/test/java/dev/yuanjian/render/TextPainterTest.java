package dev.yuanjian.render;

import static dev.yuanjian.container.ContainerFixtures.docx;
import static dev.yuanjian.container.ContainerFixtures.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.container.Asset;
import dev.yuanjian.container.Container;
import dev.yuanjian.container.DocxContainer;
import dev.yuanjian.container.MarkdownContainer;
import dev.yuanjian.container.PdfContainer;
import dev.yuanjian.container.TextBody;
import dev.yuanjian.container.TextContainer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TextPainterTest {
    private static final List<String> WORDINGS = List.of("本内容由人工智能生成", "AI-generated content");
    private final TextPainter painter = new TextPainter();

    static Stream<Arguments> assets() {
        return Stream.of(
                Arguments.of(new MarkdownContainer(), Asset.of("a.md", utf8("---\ntitle: t\n---\n# 标题\n\n正文。\n"))),
                Arguments.of(new TextContainer(), Asset.of("a.txt", utf8("中文正文。\n第二行\n"))),
                Arguments.of(new DocxContainer(), Asset.of("a.docx", docx(List.of("中文段落一", "中文段落二"), null))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("assets")
    void paintsTheFirstCandidateOnceAtEitherEdge(Container container, Asset in) throws Exception {
        assertThat(painter.paints(container)).isTrue();
        assertThat(painter.textSample(in, container)).containsAnyOf("正文", "段落");
        assertThat(painter.shows(in, container, WORDINGS)).isFalse();
        for (TextBody.Edge edge : TextBody.Edge.values()) {
            Asset out = painter.paint(in, container, WORDINGS, edge);
            assertThat(painter.shows(out, container, WORDINGS)).isTrue();
            assertThat(painter.shows(out, container, List.of(WORDINGS.get(1)))).isFalse();
            String text = container.textBody().orElseThrow().visibleText(out, 100_000).strip();
            if (edge == TextBody.Edge.START) {
                assertThat(text).startsWith(WORDINGS.get(0));
            } else {
                assertThat(text).endsWith(WORDINGS.get(0));
            }
            assertThat(painter.paint(out, container, WORDINGS, edge).bytes()).isEqualTo(out.bytes());
        }
    }

    @Test
    void anyCandidateAlreadyShownLeavesTheAssetAlone() throws Exception {
        TextContainer text = new TextContainer();
        Asset in = Asset.of("a.txt", utf8("Some text. AI-generated content.\n"));
        assertThat(painter.shows(in, text, WORDINGS)).isTrue();
        assertThat(painter.paint(in, text, WORDINGS, TextBody.Edge.START)).isSameAs(in);
    }

    @Test
    void paintsOnlyFormatsWithABody() {
        assertThat(painter.paints(new PdfContainer())).isFalse();
    }
}
