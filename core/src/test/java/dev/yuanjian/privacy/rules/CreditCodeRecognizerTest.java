package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CreditCodeRecognizerTest {
    private final CreditCodeRecognizer recognizer = new CreditCodeRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            统一社会信用代码：91110000600037341L => 91110000600037341L
            91440300MA5FXXXX1Y => 91440300MA5FXXXX1Y
            code 91310115MA1K3YJ2PJ. => 91310115MA1K3YJ2PJ
            ９１１１００００６０００３７３４１Ｌ => ９１１１００００６０００３７３４１Ｌ
            wrong check 91110000600037341M =>
            letter outside the alphabet 91110000600037341O =>
            lower case 91310115ma1k3yj2pj =>
            inside longer X91110000600037341L =>
            central organ 12100000400000123X => 12100000400000123X
            digits only, no context 913301007996500009 =>
            digits only, 税号 913301007996500009 => 913301007996500009
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
