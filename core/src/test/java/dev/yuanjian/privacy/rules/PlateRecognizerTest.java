package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PlateRecognizerTest {
    private final PlateRecognizer recognizer = new PlateRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            车牌京A12345 => 京A12345
            粤B·8K2M9停在门口 => 粤B·8K2M9
            plate 沪C 12345 => 沪C 12345
            new energy small 京AD12345 => 京AD12345
            new energy small 粤BFA1234 => 粤BFA1234
            new energy large 沪A12345D => 沪A12345D
            全角 京Ａ１２３４５ => 京Ａ１２３４５
            office letter I 京I12345 =>
            letter O inside 京AO1234 =>
            one digit only 京ABCDE1 =>
            too long 京A1234567 =>
            not a province 北A12345 =>
            new energy with wrong letter 京AX12345 =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
