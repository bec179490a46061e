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

    /** Folding without removing keeps every offset, so no map is kept; a removal late in the text still maps the chars before it. */
    @Test
    void offsetsHoldWhetherOrNotACharacterIsRemoved() {
        String folded = "电话，１３８－１２３４";
        NormalizedText f = NormalizedText.of(folded);
        assertThat(f.text()).isEqualTo("电话,138-1234");
        for (int i = 0; i < f.text().length(); i++) {
            assertThat(f.originalStart(i)).isEqualTo(i);
            assertThat(f.originalEnd(i + 1)).isEqualTo(i + 1);
        }
        String removed = "电话，１３８－１２３４\u200B5";
        NormalizedText r = NormalizedText.of(removed);
        assertThat(r.text()).isEqualTo("电话,138-12345");
        assertThat(r.originalStart(3)).isEqualTo(3);
        assertThat(r.originalStart(r.text().length() - 1)).isEqualTo(removed.length() - 1);
        assertThat(r.originalEnd(r.text().length())).isEqualTo(removed.length());
    }

    /** A shared scan runs once per text, whoever asks; another text runs it again. */
    @Test
    void aSharedScanRunsOncePerText() {
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        java.util.function.Function<NormalizedText, Integer> length = t -> {
            runs.incrementAndGet();
            return t.text().length();
        };
        java.util.function.Function<NormalizedText, String> upper = t -> t.text().toUpperCase(java.util.Locale.ROOT);
        NormalizedText a = NormalizedText.of("ａｂｃ");
        assertThat(a.shared(length)).isEqualTo(3);
        assertThat(a.shared(upper)).isEqualTo("ABC");
        assertThat(a.shared(length)).isEqualTo(3);
        assertThat(runs).hasValue(1);
        assertThat(NormalizedText.of("abcd").shared(length)).isEqualTo(4);
        assertThat(runs).hasValue(2);
    }
}
