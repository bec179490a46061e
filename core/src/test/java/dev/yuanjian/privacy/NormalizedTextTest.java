package dev.yuanjian.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NormalizedTextTest {

    @Test
    void fullWidthDigitsAndZeroWidthSpacesMapBackToTheOriginalSpan() {
        String original = "电话：１３８\u200B１２３４\u200B５６７８。";
        NormalizedText n = NormalizedText.of(original);
        assertThat(n.text()).isEqualTo("电话:13812345678。");
        int start = n.text().indexOf("138");
        int end = start + 11;
        assertThat(original.substring(n.originalStart(start), n.originalEnd(end))).isEqualTo("１３８\u200B１２３４\u200B５６７８");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            LRM inside 138\u200E1234 => 1381234
            RLO inside 138\u202E1234 => 1381234
            isolate 138\u20661234\u2069 => 1381234
            invisible times 138\u20621234 => 1381234
            variation selector 138\uFE0F1234 => 1381234
            combining grapheme joiner 138\u034F1234 => 1381234
            small commercial at a\uFE6Bb.cn => a@b.cn
            ideographic space 1\u30002 => 1 2
            dashes 1\u20142\u22123\uFF0D4 => 1-2-3-4
            """)
    void folds(String original, String folded) {
        assertThat(NormalizedText.of(original).text()).endsWith(" " + folded);
    }

    @Test
    void everyKeptCharacterMapsToItsOrigin() {
        String original = "\u200Bａ\u200Cb\uFE0F\u3000ｃ";
        NormalizedText n = NormalizedText.of(original);
        assertThat(n.text()).isEqualTo("ab c");
        for (int i = 0; i < n.text().length(); i++) {
            assertThat(NormalizedText.fold(original.charAt(n.originalStart(i)))).isEqualTo(n.text().charAt(i));
        }
        assertThat(n.originalStart(0)).isEqualTo(1);
        assertThat(n.originalEnd(n.text().length())).isEqualTo(original.length());
        assertThat(n.originalEnd(0)).isZero();
    }
}
