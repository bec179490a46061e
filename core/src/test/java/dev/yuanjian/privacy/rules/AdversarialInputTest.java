package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.privacy.Analyzer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Inputs built to make pattern matchers backtrack or rescan: each must be analysed, and a few must
 * still yield the one real finding placed at their end. The timeout only guards against a hang
 * (a quadratic scan of 2 MB would take hours); no speed is asserted.
 */
class AdversarialInputTest {
    private static final int SIZE = 2 << 20;
    private static final Analyzer ANALYZER = new Analyzer(Rules.all());

    static Stream<Arguments> inputs() {
        return Stream.of(
                Arguments.of("digits", "1".repeat(SIZE), 0),
                Arguments.of("digits and spaces", "1 ".repeat(SIZE / 2), 0),
                Arguments.of("digit dashes", "1-".repeat(SIZE / 2), 0),
                Arguments.of("at signs", "@".repeat(SIZE), 0),
                Arguments.of("a@", "a@".repeat(SIZE / 2), 0),
                Arguments.of("dotted", "a.a.a.".repeat(SIZE / 6), 0),
                Arguments.of("dotted digits", "1.1.".repeat(SIZE / 4), 0),
                Arguments.of("colons", "a:".repeat(SIZE / 2), 0),
                Arguments.of("schemes", "a://".repeat(SIZE / 4), 0),
                Arguments.of("user info", "a://u:p".repeat(SIZE / 7), 0),
                Arguments.of("credential urls", "a://u:p@h/".repeat(SIZE / 10), 1),
                Arguments.of("half PEM headers", "-----BEGIN RSA PRIVATE KEY-----\n".repeat(SIZE / 32), 0),
                Arguments.of("PEM footers of another kind",
                        "-----BEGIN EC PRIVATE KEY-----\n-----END CERTIFICATE-----\n".repeat(SIZE / 58), 0),
                Arguments.of("long base64", "eyJ" + "A".repeat(SIZE), 0),
                Arguments.of("JWT-like parts", "eyJaaaaaaaaaaa.".repeat(SIZE / 15), 0),
                Arguments.of("sk- prefixes", "sk-".repeat(SIZE / 3), 0),
                Arguments.of("province characters", "京A".repeat(SIZE / 2), 0),
                Arguments.of("hex and colons", "ab:cd:".repeat(SIZE / 6), 0),
                Arguments.of("zero-width between digits", "1\u200B".repeat(SIZE / 2), 0));
    }

    /** Random strings over the characters the scans react to: no exception, every span inside the text. */
    @Test
    void randomTextOverTheScannersAlphabet() {
        String alphabet = "0123456789 -+.,:/@()Xx京粤AEGKMDFI_eyJsk\u200B\uFF10\uFF0D" + "\n";
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String text = b.toString();
            for (var e : ANALYZER.analyze(text)) {
                assertThat(e.end()).as(text).isLessThanOrEqualTo(text.length());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("inputs")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void finishesAndStillFindsWhatFollows(String name, String input, int ignored) {
        String text = input + " 联系 13812345678";
        var found = ANALYZER.analyze(text);
        assertThat(found).isNotNull();
        assertThat(found.getLast().in(text)).isEqualTo("13812345678");
    }
}
