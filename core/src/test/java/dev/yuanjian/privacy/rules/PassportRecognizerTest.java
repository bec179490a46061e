package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PassportRecognizerTest {
    private final PassportRecognizer recognizer = new PassportRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            护照号码E12345678 => E12345678
            passport no. EA1234567 => EA1234567
            Passport: G12345678 => G12345678
            HK passport K12345678 => K12345678
            澳门护照 MA1234567 => MA1234567
            护照 ＥＡ１２３４５６７ => ＥＡ１２３４５６７
            letter I is not used: passport EI1234567 =>
            letter O is not used: passport EO1234567 =>
            passport E1234567 too short =>
            passport E123456789 too long =>
            order number E12345678 =>
            订单号 G12345678 =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
