package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Requests no client should send: each gets an OpenAI-shaped error, and the gateway keeps serving. */
class BadInputTest {
    @TempDir
    Path dir;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, UnaryOperator.identity());
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Calls.Answer chat(byte[] body) throws Exception {
        return Calls.post(f.base(), "/v1/chat/completions", body);
    }

    private static void assertOpenAiError(Calls.Answer a, int status, String param) {
        assertThat(a.status()).as(a.json().toString()).isEqualTo(status);
        assertThat(a.json().path("error").path("message").asText()).isNotBlank();
        assertThat(a.json().path("error").path("type").asText()).isEqualTo("invalid_request_error");
        assertThat(a.json().path("error").has("param")).isTrue();
        if (param != null) {
            assertThat(a.json().at("/error/param").asText()).isEqualTo(param);
        }
    }

    @Test
    void malformedAndWronglyTypedRequestsAre400s() throws Exception {
        assertOpenAiError(chat("{\"model\":\"chat\",".getBytes(StandardCharsets.UTF_8)), 400, null);
        assertOpenAiError(chat("{} {}".getBytes(StandardCharsets.UTF_8)), 400, null);
        assertOpenAiError(chat("[]".getBytes(StandardCharsets.UTF_8)), 400, null);
        assertOpenAiError(chat(new byte[0]), 400, null);
        assertOpenAiError(chat("{\"model\":5,\"messages\":[]}".getBytes(StandardCharsets.UTF_8)), 400, "model");
        assertOpenAiError(chat("{\"model\":\"chat\",\"messages\":\"hi\"}".getBytes(StandardCharsets.UTF_8)), 400, "messages");
        assertOpenAiError(chat(Calls.chat("chat").replace("{\"model\"", "{\"stream\":\"yes\",\"model\"")
                .getBytes(StandardCharsets.UTF_8)), 400, "stream");
        for (String n : new String[] {"1000", "0", "-1", "2.5", "\"2\""}) {
            assertOpenAiError(chat(Calls.chat("chat").replace("{\"model\"", "{\"n\":" + n + ",\"model\"")
                    .getBytes(StandardCharsets.UTF_8)), 400, "n");
            assertOpenAiError(Calls.post(f.base(), "/v1/completions", "{\"model\":\"chat\",\"prompt\":\"x\",\"n\":" + n + "}"),
                    400, "n");
        }
        assertOpenAiError(Calls.post(f.base(), "/v1/images/generations", "{\"prompt\":\"x\",\"n\":\"two\"}"), 400, "n");
        assertOpenAiError(Calls.post(f.base(), "/v1/images/generations", "{\"prompt\":\"x\",\"size\":\"big\"}"), 400, "size");
        assertThat(f.upstream.requests()).isZero();
    }

    @Test
    void aJsonBodyWithoutContentTypeOrSentAsFormDataIsServedAsOpenAiServesIt() throws Exception {
        Calls.Answer none = Calls.postAs(f.base(), "/v1/chat/completions", null, Calls.chat("chat"));
        assertThat(none.status()).as(none.json().toString()).isEqualTo(200);
        assertThat(none.text()).contains("Hello from the loopback model.");
        // What curl -d sends.
        Calls.Answer form = Calls.postAs(f.base(), "/v1/chat/completions", "application/x-www-form-urlencoded",
                Calls.chat("chat"));
        assertThat(form.status()).as(form.json().toString()).isEqualTo(200);
        assertThat(Calls.postAs(f.base(), "/v1/chat/completions", "application/json; charset=utf-8",
                Calls.chat("chat")).status()).isEqualTo(200);
        assertThat(f.upstream.requests()).isEqualTo(3);
    }

    @Test
    void aBodyThatIsNotJsonOrOfAnotherTypeIsRefusedSayingWhatToSend() throws Exception {
        for (String[] sent : List.of(
                new String[] {"application/x-www-form-urlencoded", "model=chat&messages=hi"},
                new String[] {"text/plain", Calls.chat("chat")},
                new String[] {"multipart/form-data; boundary=x", "--x\r\n\r\nhi\r\n--x--\r\n"},
                new String[] {"application/xml", "<chat/>"})) {
            Calls.Answer a = Calls.postAs(f.base(), "/v1/chat/completions", sent[0], sent[1]);
            assertThat(a.status()).as(sent[0]).isEqualTo(415);
            assertThat(a.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(a.json().at("/error/code").asText()).isEqualTo("unsupported_media_type");
            assertThat(a.json().at("/error/message").asText()).contains(sent[0].split(";")[0], "Content-Type: application/json");
        }
        // Form-typed, looks like JSON, is not: the parser's own 400.
        assertOpenAiError(Calls.postAs(f.base(), "/v1/chat/completions", "application/x-www-form-urlencoded",
                "{\"model\":"), 400, null);
        assertThat(f.upstream.requests()).isZero();
    }

    @Test
    void invalidUtf8IsA400() throws Exception {
        byte[] body = Calls.chat("chat").replace("Say hello.", "Say XX").getBytes(StandardCharsets.UTF_8);
        int at = new String(body, StandardCharsets.ISO_8859_1).indexOf("XX");
        body[at] = (byte) 0xC3;
        body[at + 1] = (byte) 0x28; // not a continuation byte

        assertOpenAiError(chat(body), 400, null);
    }

    @Test
    void aHugeBodyIs413BeforeItIsReadAndTheGatewayKeepsServing() throws Exception {
        // A raw socket: an HTTP client that waits to send all 9 MB before reading would see the
        // connection closed under it, which is the point: the gateway does not read the body.
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", f.javalin.port())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (9 << 20) + "\r\n\r\n{\"model\":\"")
                    .getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(new byte[64 << 10]);
            String head = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(head).isEqualTo("HTTP/1.1 413");
        }
        byte[] huge = new byte[9 << 20];
        Arrays.fill(huge, (byte) ' ');
        try { // no Content-Length (chunked): the limit applies while reading
            var response = Calls.CLIENT.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base()
                            + "/v1/images/generations")).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(huge)))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(413);
            assertThat(response.body()).contains("request_too_large");
        } catch (java.io.IOException closedWhileSending) {
            // also acceptable: the gateway answered 413 and closed before the client finished sending
        }
        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("chat")).status()).isEqualTo(200);
    }

    @Test
    void noUpstreamConnectionOrRequestIsLeftOpenAfterFaults() throws Exception {
        f.upstream.fault(new dev.yuanjian.testing.OpenAiLoopback.Fault.DropMidStream(1),
                new dev.yuanjian.testing.OpenAiLoopback.Fault.InvalidJson(),
                new dev.yuanjian.testing.OpenAiLoopback.Fault.Status(503, null));
        for (int i = 0; i < 3; i++) {
            Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo").replace("{\"model\"", "{\"stream\":true,\"model\""));
        }
        // Each call has ended; its upstream request ends as soon as the gateway released it (bound: a broken build).
        long until = System.nanoTime() + java.time.Duration.ofSeconds(60).toNanos();
        while (f.upstream.inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(f.upstream.inFlight()).isZero();
        assertThat(Calls.post(f.base(), "/v1/chat/completions", Calls.chat("solo")).status()).isEqualTo(200);
    }
}
