package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SecretRecognizerTest {
    private final SecretRecognizer recognizer = new SecretRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            key sk-proj-abcdefghijklmnopqrstuvwx123 here => sk-proj-abcdefghijklmnopqrstuvwx123
            密钥：sk-abcdefghijklmnopqrstuvwxyz => sk-abcdefghijklmnopqrstuvwxyz
            too short sk-abc123 =>
            part of a word task-abcdefghijklmnopqrstuvwxyz =>
            aws AKIAIOSFODNN7EXAMPLE. => AKIAIOSFODNN7EXAMPLE
            aws too long AKIAIOSFODNN7EXAMPLEX =>
            gh ghp_abcdefghijklmnopqrstuvwxyz0123456789 => ghp_abcdefghijklmnopqrstuvwxyz0123456789
            pat github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz => github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz
            slack xoxb-1234567890-abcdefghij => xoxb-1234567890-abcdefghij
            google AIzaSyA1234567890abcdefghijklmnopqrstuv => AIzaSyA1234567890abcdefghijklmnopqrstuv
            jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk ok => eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.dBjftJeZ4CVPmB92K27uhbUJU1p1r_wW1gFWFOEjXk
            two parts only eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0 =>
            Authorization: Bearer abc123DEF456ghi789JKL => abc123DEF456ghi789JKL
            bearer short Bearer abc =>
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }

    @Test
    void privateKeyBlockFromHeaderToFooter() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----";
        assertThat(Find.values(recognizer, "key:\n" + key + "\nend")).containsExactly(key);
        assertThat(Find.values(recognizer, "-----BEGIN PRIVATE KEY-----\nMIIE...")).isEmpty();
        assertThat(Find.values(recognizer, "-----BEGIN CERTIFICATE-----\nMIIE\n-----END CERTIFICATE-----")).isEmpty();
    }
}
