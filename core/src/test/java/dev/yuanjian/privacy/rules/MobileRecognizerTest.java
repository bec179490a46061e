package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MobileRecognizerTest {
    private final MobileRecognizer recognizer = new MobileRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            手机13812345678，谢谢 => 13812345678
            13812345678 => 13812345678
            call 138 1234 5678 today => 138 1234 5678
            call 138-1234-5678 today => 138-1234-5678
            +86 138 1234 5678 => +86 138 1234 5678
            +8613812345678 => +8613812345678
            0086-138-1234-5678 => 0086-138-1234-5678
            86 13812345678 => 86 13812345678
            new ranges 16212345678 19212345678 19912345678 => 16212345678 ; 19212345678 ; 19912345678
            全角１３８１２３４５６７８号 => １３８１２３４５６７８
            zw 138\u200B1234\u200B5678 end => 138\u200B1234\u200B5678
            数字 2024 138 1234 5678 => 138 1234 5678
            12812345678 not a mobile prefix =>
            longer run 138123456789 =>
            longer run 913812345678 =>
            order SO13812345678 =>
            amount 13812345678.50 =>
            list 13812345678,13987654321 => 13812345678 ; 13987654321
            IoT with context: 物联网卡号码 1440123456789 => 1440123456789
            IoT shape alone 1440123456789 =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }

    @Test
    void contextRaisesTheScore() {
        assertThat(Find.entities(recognizer, "手机：13812345678").getFirst().score()).isEqualTo(1.0);
        assertThat(Find.entities(recognizer, "x 13812345678").getFirst().score()).isLessThan(1.0);
    }
}
