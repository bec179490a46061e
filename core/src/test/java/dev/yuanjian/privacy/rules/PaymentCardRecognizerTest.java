package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.Entity;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PaymentCardRecognizerTest {
    private final PaymentCardRecognizer recognizer = new PaymentCardRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            卡号6222021234567894 => CN_BANK_CARD 6222021234567894
            6222 0212 3456 7894 => CN_BANK_CARD 6222 0212 3456 7894
            19 digits 6228480012345678903 => CN_BANK_CARD 6228480012345678903
            Visa 4111-1111-1111-1111 => CREDIT_CARD 4111-1111-1111-1111
            MC 5555555555554444 => CREDIT_CARD 5555555555554444
            Amex 378282246310005 => CREDIT_CARD 378282246310005
            Discover 6011111111111117 => CREDIT_CARD 6011111111111117
            JCB 3530111333300000 => CREDIT_CARD 3530111333300000
            domestic debit, 银行卡 9558801234567890128 => CN_BANK_CARD 9558801234567890128
            no context 9558801234567890128 =>
            order number passing Luhn 2023120112345678 =>
            订单编号：4111111111111111 =>
            order 6222021234567894 shipped =>
            订单 银行卡 6222021234567894 => CN_BANK_CARD 6222021234567894
            wrong Luhn 6222021234567895 =>
            inside longer 62220212345678941 =>
            full width ６２２２０２１２３４５６７８９４ => CN_BANK_CARD ６２２２０２１２３４５６７８９４
            zero width 6222\u200B0212\u200B3456\u200B7894 => CN_BANK_CARD 6222\u200B0212\u200B3456\u200B7894
            then a year 6222021234567894 2024 => CN_BANK_CARD 6222021234567894
            """)
    void finds(String text, String expected) {
        assertThat(Find.entities(recognizer, text).stream().map((Entity e) -> e.type() + " " + e.in(text)).toList())
                .containsExactlyElementsOf(Find.expected(expected));
    }
}
