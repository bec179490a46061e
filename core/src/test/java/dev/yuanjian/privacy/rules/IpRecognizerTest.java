package dev.yuanjian.privacy.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IpRecognizerTest {
    private final IpRecognizer recognizer = new IpRecognizer();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = "=>", textBlock = """
            服务器192.168.1.10。 => 192.168.1.10
            host 10.0.0.1:8080 => 10.0.0.1
            at the end 8.8.8.8. => 8.8.8.8
            octet too big 256.1.1.1 =>
            leading zero 01.2.3.4 =>
            five parts 1.2.3.4.5 =>
            version 1.2.3.4 =>
            版本 2.0.1.3 =>
            v1.2.3.4 =>
            ipv6 2001:db8::1 => 2001:db8::1
            full 2001:0db8:85a3:0000:0000:8a2e:0370:7334 ok => 2001:0db8:85a3:0000:0000:8a2e:0370:7334
            loopback ::1 => ::1
            mapped ::ffff:192.0.2.1 => ::ffff:192.0.2.1
            prefix fe80:: => fe80::
            time 12:30:45 =>
            mac 00:1A:2B:3C:4D:5E =>
            two compressions 1::2::3 =>
            bare :: =>
            full width １９２．１６８．１．１ => １９２．１６８．１．１
            """)
    void finds(String text, String expected) {
        assertThat(Find.values(recognizer, text)).containsExactlyElementsOf(Find.expected(expected));
    }
}
