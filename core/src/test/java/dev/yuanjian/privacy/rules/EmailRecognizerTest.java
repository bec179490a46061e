package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmailRecognizerTest {
    private final EmailRecognizer recognizer = new EmailRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            邮箱zhang.san@example.com，谢谢 => zhang.san@example.com
            write to a.b+tag@mail.example.co.uk. => a.b+tag@mail.example.co.uk
            full width ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ => ｌｉ＠ｅｘａｍｐｌｅ．ｃｎ
            small at li\uFE6Bexample.cn => li\uFE6Bexample.cn
            zero width li@exa\u200Bmple.com => li@exa\u200Bmple.com
            no tld user@localhost =>
            numeric tld user@host.123 =>
            dash label user@-bad.com =>
            handle @someone on social =>
            a@b@c.com => b@c.com
            trailing dot local a.@b.com =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
