package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NormalizedTextTest {

    @Test
    void foldsFullWidthAndRemovesZeroWidthWithOffsetsBack() {
        String original = "电话：１３８\u200B１２３４－５６７８。";
        NormalizedText n = NormalizedText.of(original);
        assertThat(n.text()).isEqualTo("电话:1381234-5678。");
        int s = n.text().indexOf('1');
        int e = n.text().indexOf('。');
        assertThat(original.substring(n.originalStart(s), n.originalEnd(e))).isEqualTo("１３８\u200B１２３４－５６７８");
    }

    @Test
    void asciiTextIsItsOwnNormalForm() {
        NormalizedText n = NormalizedText.of("mail a@b.cn now");
        assertThat(n.text()).isSameAs(n.original());
        assertThat(n.originalStart(5)).isEqualTo(5);
        assertThat(n.originalEnd(11)).isEqualTo(11);
    }

    @Test
    void spansAtTheEdgesMapBack() {
        String original = "\u200B\u200Bａ\u200B";
        NormalizedText n = NormalizedText.of(original);
        assertThat(n.text()).isEqualTo("a");
        assertThat(n.originalStart(0)).isEqualTo(2);
        assertThat(n.originalEnd(1)).isEqualTo(3);
        assertThat(NormalizedText.of("").text()).isEmpty();
    }

    @Test
    void surrogatePairsStayWhole() {
        String original = "😀１";
        NormalizedText n = NormalizedText.of(original);
        assertThat(n.text()).isEqualTo("😀1");
        assertThat(original.substring(n.originalStart(2), n.originalEnd(3))).isEqualTo("１");
    }
}
