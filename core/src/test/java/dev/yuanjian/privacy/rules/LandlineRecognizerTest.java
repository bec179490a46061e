package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LandlineRecognizerTest {
    private final LandlineRecognizer recognizer = new LandlineRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            电话010-62345678。 => 010-62345678
            office 021 6234 5678 => 021 6234 5678
            (010) 62345678 => (010) 62345678
            （0755）87654321 => （0755）87654321
            0755-2345678 => 0755-2345678
            010-62345678-123 ext => 010-62345678-123
            座机 01062345678 => 01062345678
            run together without context 01062345678 =>
            subscriber starting with 0 or 1: 010-62345678 010-02345678 010-12345678 => 010-62345678
            three-digit code with 7 digits 010-6234567 =>
            not an area code 099-62345678 =>
            date 2024-12-01 =>
            a lone zero at the end 0 =>
            zeros 0 00 0-0 =>
            longer 010-623456789 =>
            ０１０－６２３４５６７８ => ０１０－６２３４５６７８
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
