package dev.yuanjian.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 7: every error is JSON in the caller's shape, including the ones Jetty answers before any
 * route runs (ambiguous paths, absurd lengths, oversize heads, broken request lines, bad hosts).
 * Each input is written on a raw socket, exactly as the attack reports sent it.
 */
class JettyErrorsTest {
    private static final String HOST = "Host: 127.0.0.1\r\n";
    private static final String CLOSE = "Connection: close\r\n";
    @TempDir
    static Path home;
    static Http http;

    @BeforeAll
    static void start() throws Exception {
        http = new Http(home, 1 << 20);
    }

    @AfterAll
    static void stop() {
        http.close();
    }

    static Stream<Arguments> attacks() {
        String longName = "a".repeat(20_000);
        return Stream.of(
                // Ambiguous paths: refused, never resolved to some other route or file
                Arguments.of("encoded dot segment", "POST /api/v1/%2e%2e/label HTTP/1.1\r\n" + HOST
                        + "Content-Length: 0\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("encoded dot segments up", "GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                Arguments.of("empty segment under /v1", "POST /v1//chat/completions HTTP/1.1\r\n" + HOST
                        + "Content-Type: application/json\r\nContent-Length: 2\r\n" + CLOSE + "\r\n{}", 400, true),
                Arguments.of("encoded slash", "GET /api/v1/log%2Fcheckpoint HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                Arguments.of("encoded slash in assets", "GET /assets/..%2f..%2fpom.xml HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                Arguments.of("path parameter dot segment", "GET /..;/api/v1/log/checkpoint HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                Arguments.of("path parameter dot segment under /v1", "GET /v1/..;/v1/models HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, true),
                Arguments.of("encoded backslash", "GET /assets/..%5c..%5cpom.xml HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                // Absurd lengths
                Arguments.of("Content-Length beyond a long", "POST /api/v1/verify HTTP/1.1\r\n" + HOST
                        + "Content-Length: 99999999999999999999\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("negative Content-Length", "POST /api/v1/verify HTTP/1.1\r\n" + HOST
                        + "Content-Length: -5\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("two different Content-Lengths", "POST /v1/chat/completions HTTP/1.1\r\n" + HOST
                        + "Content-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 7\r\n" + CLOSE + "\r\n{}", 400, true),
                Arguments.of("Content-Length and chunked", "POST /api/v1/verify HTTP/1.1\r\n" + HOST
                        + "Content-Length: 5\r\nTransfer-Encoding: chunked\r\n" + CLOSE + "\r\n0\r\n\r\n", 400, false),
                // Oversize heads
                Arguments.of("header too large", "GET /healthz HTTP/1.1\r\n" + HOST + "X-Padding: " + longName + "\r\n"
                        + CLOSE + "\r\n", 431, false),
                Arguments.of("URI too long", "GET /api/v1/log/proof/" + longName + " HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 414, false),
                // The path was never read, so the shape cannot follow it: the product's
                Arguments.of("URI too long under /v1", "GET /v1/" + longName + " HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 414, false),
                // Broken request lines and hosts
                Arguments.of("not a request line", "GARBAGE\r\n\r\n", 400, false),
                Arguments.of("space in the path", "GET /api/v1/log checkpoint HTTP/1.1\r\n" + HOST + CLOSE + "\r\n", 400, false),
                Arguments.of("unknown HTTP version", "GET /healthz HTTP/7.1\r\n" + HOST + CLOSE + "\r\n", 505, false),
                Arguments.of("HTTP/2 announced in an HTTP/1 request line", "GET /healthz HTTP/2.0\r\n" + HOST + CLOSE + "\r\n", 426, false),
                Arguments.of("no Host in HTTP/1.1", "GET /healthz HTTP/1.1\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("two Hosts", "GET /healthz HTTP/1.1\r\n" + HOST + "Host: 127.0.0.2\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("malformed Host", "GET /healthz HTTP/1.1\r\nHost: [::1\r\n" + CLOSE + "\r\n", 400, false),
                Arguments.of("Host with a space", "GET /v1/models HTTP/1.1\r\nHost: local host\r\n" + CLOSE + "\r\n", 400, true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void isRefusedInJson(String name, String request, int status, boolean openAi) throws Exception {
        RawHttp.Answer answer = RawHttp.exchange(http.server.port(), request, 20_000);

        assertThat(answer.status()).as(answer.text()).isEqualTo(status);
        assertThat(answer.headers().get("content-type")).as(answer.text()).startsWith("application/json");
        JsonNode error = answer.json().get("error");
        assertThat(error).as(answer.text()).isNotNull();
        assertThat(error.path("code").asText()).isNotBlank().as("a code of its own, not the fallback").isNotEqualTo("error");
        assertThat(error.path("message").asText()).isNotBlank();
        assertThat(error.has("type")).as("OpenAI's shape exactly under /v1/: " + answer.text()).isEqualTo(openAi);
    }
}
