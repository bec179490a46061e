package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.testing.OpenAiLoopback.Fault;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault injection at the loopback upstream: fallbacks, retries honouring Retry-After, timeouts, the
 * circuit breaker, cancellation on client disconnect.
 */
class RoutingFaultsTest {
    @TempDir
    Path dir;
    GatewayFixture f;

    private GatewayFixture start(UnaryOperator<ModelConfig> tune) throws Exception {
        f = new GatewayFixture(dir, tune);
        return f;
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private static UnaryOperator<ModelConfig> timeouts(long firstByteMs, long totalMs) {
        return c -> c.withTimeouts(new ModelConfig.Timeouts(Duration.ofSeconds(1), Duration.ofMillis(firstByteMs),
                Duration.ofMillis(firstByteMs), Duration.ofMillis(totalMs)));
    }

    @Test
    void textThatLooksLikeAPdfIsStillLabelledAndLogged() throws Exception {
        start(UnaryOperator.identity()).upstream.reply("%PDF-1.7 is how a PDF file begins.");

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        assertThat(a.status()).isEqualTo(200);
        String id = a.json().at("/aigc/contentId").asText();
        assertThat(f.app.log().findByContentId(id).orElseThrow().record().sha256())
                .isEqualTo(OpenAiSdkTest.sha256(a.text().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a500FallsBackToTheNextPriority() throws Exception {
        start(UnaryOperator.identity()).upstream.fault(new Fault.Status(500, null));

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.text()).isEqualTo("Hello from the second backend.");
        assertThat(a.json().at("/aigc/contentId").asText()).hasSize(26);
    }

    @Test
    void a429IsRetriedAfterItsRetryAfter() throws Exception {
        start(UnaryOperator.identity()).upstream.fault(new Fault.Status(429, "1"));

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.millis()).isGreaterThanOrEqualTo(1000);
        assertThat(f.upstream.requests()).isEqualTo(2);
    }

    @Test
    void aRetryAfterBeyondTheCapIsPassedBackAt429WithoutWaiting() throws Exception {
        start(UnaryOperator.identity()).upstream.fault(new Fault.Status(429, "60"));

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        // Had the gateway waited the 60 s and retried, the answer would be a 200 (or the call would time out).
        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("Retry-After")).isEqualTo("60");
        assertThat(a.json().at("/error/type").asText()).isEqualTo("rate_limit_error");
        assertThat(f.upstream.requests()).isEqualTo(1);
    }

    @Test
    void aFirstByteThatNeverComesTimesOutAndFallsBackForStreamsToo() throws Exception {
        // The first backend never answers, so its timeout is certain; the second has seconds, so a loaded
        // machine cannot make it time out too. No duration is asserted: the fallback's answer is the proof.
        start(timeouts(3000, 60_000)).upstream.fault(new Fault.Hang(Long.MAX_VALUE), new Fault.Hang(Long.MAX_VALUE));

        Calls.Answer plain = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat"));
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.text()).isEqualTo("Hello from the second backend.");

        Calls.Answer streamed = Calls.post(f.base(), "/v1/chat/completions",
                Calls.chat("chat").replace("{\"model\"", "{\"stream\":true,\"model\""));
        String events = new String(streamed.response().body(), StandardCharsets.UTF_8);
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(events).contains("second").contains("\"aigc\"").endsWith("data: [DONE]\n\n");
        assertThat(f.upstream.requests()).as("one attempt each: a timed-out first byte is not retried on the same backend")
                .isEqualTo(2);
    }

    @Test
    void aStreamThatBreaksAfterItsFirstByteIsNeverRetriedElsewhere() throws Exception {
        start(UnaryOperator.identity()).upstream.fault(new Fault.DropMidStream(3));

        Calls.Answer streamed = Calls.post(f.base(), "/v1/chat/completions",
                Calls.chat("chat").replace("{\"model\"", "{\"stream\":true,\"model\""));

        String events = new String(streamed.response().body(), StandardCharsets.UTF_8);
        assertThat(events).contains("{\"content\":\"Hello\"}").contains("upstream_stream_broken")
                .doesNotContain("second backend").doesNotContain("[DONE]");
        assertThat(f.upstream.requests()).isEqualTo(1);
        assertThat(f.second.requests()).isZero();
    }

    @Test
    void invalidJsonFromEveryAttemptIsA502AndTheGatewayKeepsServing() throws Exception {
        start(UnaryOperator.identity()).upstream.fault(new Fault.InvalidJson(), new Fault.InvalidJson());

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        assertThat(a.status()).isEqualTo(502);
        assertThat(a.errorCode()).isEqualTo("upstream_error");
        assertThat(a.json().at("/error/message").asText()).contains("invalid JSON");
        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(200);
    }

    @Test
    void theCircuitOpensAfterRepeatedFailuresAndTheBackendIsSkipped() throws Exception {
        start(c -> c.withBreaker(new ModelConfig.Breaker(2, Duration.ofSeconds(30))))
                .upstream.fault(new Fault.Status(500, null), new Fault.Status(500, null));

        for (int i = 0; i < 3; i++) {
            Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat"));
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.text()).contains("second");
        }

        assertThat(f.upstream.requests()).as("the third request never reached the open backend").isEqualTo(2);
    }

    @Test
    void aHangingUpstreamIsA504() throws Exception {
        // It never answers: the 504 is certain whatever the machine's load, and is the proof of the timeout.
        start(timeouts(400, 3000)).upstream.fault(new Fault.Hang(Long.MAX_VALUE), new Fault.Hang(Long.MAX_VALUE));

        Calls.Answer a = Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo"));

        assertThat(a.status()).isEqualTo(504);
        assertThat(a.errorCode()).isEqualTo("upstream_timeout");
    }

    @Test
    void aClientThatDisconnectsMidStreamCancelsTheUpstreamAndThePartialTextIsLogged() throws Exception {
        start(UnaryOperator.identity()).upstream.tokenDelay(150);
        long logged = f.app.log().size();
        // A raw socket, so that "disconnect" means exactly that: the TCP connection closes mid-stream.
        byte[] body = Calls.chat("solo").replace("{\"model\"", "{\"stream\":true,\"model\"").getBytes(StandardCharsets.UTF_8);
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.javalin.port())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            InputStream in = socket.getInputStream();
            String received = "";
            while (!received.contains("Hello")) {
                byte[] buffer = new byte[4096];
                int n = in.read(buffer);
                assertThat(n).isPositive();
                received += new String(buffer, 0, n, StandardCharsets.UTF_8);
            }
        }

        // Bounds only keep a broken build from hanging; nothing here is timed.
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (f.upstream.cancelledStreams() == 0 && System.nanoTime() < until) {
            Thread.sleep(50);
        }
        assertThat(f.upstream.cancelledStreams()).isEqualTo(1);
        until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (f.app.log().size() == logged && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(f.app.log().size()).isEqualTo(logged + 1);
    }
}
