package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CredentialUrlRecognizerTest {
    private final CredentialUrlRecognizer recognizer = new CredentialUrlRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            连接postgres://admin:s3cret@db.example.com:5432/app。 => postgres://admin:s3cret@db.example.com:5432/app
            see https://bob:pa%40ss@example.com/x?y=1, thanks => https://bob:pa%40ss@example.com/x?y=1
            (ftp://u:p@[::1]/f) => ftp://u:p@[::1]/f
            no password https://bob@example.com/ =>
            empty password https://bob:@example.com/ =>
            no credentials https://example.com/a:b@c =>
            not a scheme ://u:p@h =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
