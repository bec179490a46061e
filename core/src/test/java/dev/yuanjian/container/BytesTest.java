package dev.yuanjian.container;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BytesTest {
    @Test
    void indexOfAgreesWithStringIndexOf() {
        Random random = new Random(5);
        String alphabet = "ab本内容";
        for (int round = 0; round < 300; round++) {
            StringBuilder hay = new StringBuilder();
            int n = 500 + random.nextInt(2000);
            for (int i = 0; i < n; i++) {
                hay.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String h = hay.toString();
            int start = random.nextInt(n - 5);
            String needle = h.substring(start, start + 2 + random.nextInt(4));
            if (random.nextBoolean()) {
                needle = needle + "x"; // absent
            }
            byte[] hb = h.getBytes(StandardCharsets.UTF_8);
            byte[] nb = needle.getBytes(StandardCharsets.UTF_8);
            int expected = latin1(hb).indexOf(latin1(nb));
            assertThat(Bytes.indexOf(hb, nb, 0, hb.length)).as(needle).isEqualTo(expected);
            assertThat(Bytes.containsAny(hb, 0, needle)).isEqualTo(expected >= 0);
        }
    }

    private static String latin1(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
