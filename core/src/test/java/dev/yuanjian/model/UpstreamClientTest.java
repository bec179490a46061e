package dev.yuanjian.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.testing.OpenAiLoopback;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The upstream client against the loopback server: answers, event framing, failures as data, cancellation. */
class UpstreamClientTest {
    OpenAiLoopback upstream;
    UpstreamClient client;
    Backend backend;

    @BeforeEach
    void start() throws Exception {
        upstream = new OpenAiLoopback();
        // Patient: on a loaded machine the loopback may take seconds; only a silent upstream times out.
        client = new UpstreamClient(new ModelConfig.Timeouts(Duration.ofSeconds(30), Duration.ofSeconds(30),
                Duration.ofSeconds(30), Duration.ofSeconds(60)), new ObjectMapper());
        backend = new Backend("loop#0", "loop", Backend.Kind.OPENAI, upstream.baseUrl(), "k", "m", 1, 0, Backend.Limits.NONE);
    }

    @AfterEach
    void stop() {
        client.close();
        upstream.close();
    }

    private static byte[] body(boolean stream) {
        return ("{\"model\":\"m\",\"stream\":" + stream + ",\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void fetchReadsAWholeBodyAndRefusesOneOverItsLimit() {
        java.net.URI file = java.net.URI.create(upstream.root() + "/files/a.png");
        Attempt<UpstreamClient.Reply> whole = client.fetch(file, 1 << 20, Duration.ofSeconds(30));
        assertThat(((Attempt.Answered<UpstreamClient.Reply>) whole).value().body()).isEqualTo(upstream.png());

        Attempt<UpstreamClient.Reply> cut = client.fetch(file, upstream.png().length - 1, Duration.ofSeconds(30));
        Attempt.Failure f = ((Attempt.Failed<UpstreamClient.Reply>) cut).failure();
        assertThat(f.kind()).isEqualTo(Attempt.Failure.Kind.INVALID_RESPONSE);
        assertThat(f.message()).contains("larger than");
    }

    @Test
    void postRelaysAnyAnswerWithItsContentType() {
        Attempt<UpstreamClient.Reply> a = client.post(backend, "/audio/speech", "{\"model\":\"m\",\"input\":\"hi\"}"
                .getBytes(StandardCharsets.UTF_8), "application/json", Duration.ofSeconds(30));
        UpstreamClient.Reply reply = ((Attempt.Answered<UpstreamClient.Reply>) a).value();
        assertThat(reply.contentType()).isEqualTo("audio/mpeg");
        assertThat(reply.body()).isEqualTo(upstream.lastAudio());
        upstream.fault(new OpenAiLoopback.Fault.Status(429, "3"));
        Attempt<UpstreamClient.Reply> limited = client.post(backend, "/embeddings", "{}".getBytes(StandardCharsets.UTF_8),
                "application/json", Duration.ofSeconds(30));
        Attempt.Failure f = ((Attempt.Failed<UpstreamClient.Reply>) limited).failure();
        assertThat(f.kind()).isEqualTo(Attempt.Failure.Kind.RATE_LIMITED);
        assertThat(f.retryAfter()).contains(Duration.ofSeconds(3));
    }

    @Test
    void aStreamYieldsEveryEventIncludingKeepAlivesUsageAndDone() throws Exception {
        Attempt<UpstreamStream> a = client.openStream(backend, "/chat/completions", body(true));
        assertThat(a).isInstanceOf(Attempt.Answered.class);
        StringBuilder text = new StringBuilder();
        int comments = 0;
        boolean done = false;
        boolean usage = false;
        try (UpstreamStream s = ((Attempt.Answered<UpstreamStream>) a).value()) {
            SseReader.Event e;
            while ((e = s.next()) != null) {
                if (e.data() == null) {
                    comments++;
                } else if (e.isDone()) {
                    done = true;
                } else {
                    JsonNode chunk = new ObjectMapper().readTree(e.data());
                    chunk.path("choices").forEach(c -> text.append(c.path("delta").path("content").asText("")));
                    usage |= chunk.path("usage").path("total_tokens").asInt() > 0;
                }
            }
        }
        assertThat(text.toString()).isEqualTo(String.join("", upstream.pieces()));
        assertThat(comments).isEqualTo(1);
        assertThat(done).isTrue();
        assertThat(usage).isTrue();
    }

    @Test
    void failuresComeBackAsDataWithTheirKind() {
        upstream.fault(new OpenAiLoopback.Fault.Status(429, "2"), new OpenAiLoopback.Fault.Status(503, null),
                new OpenAiLoopback.Fault.Status(400, null), new OpenAiLoopback.Fault.InvalidJson(),
                new OpenAiLoopback.Fault.Hang(Long.MAX_VALUE));
        Attempt.Failure rateLimited = failure(client.postJson(backend, "/chat/completions", body(false), Duration.ofSeconds(30)));
        assertThat(rateLimited.kind()).isEqualTo(Attempt.Failure.Kind.RATE_LIMITED);
        assertThat(rateLimited.retryAfter()).contains(Duration.ofSeconds(2));
        assertThat(failure(client.postJson(backend, "/chat/completions", body(false), Duration.ofSeconds(30))).kind())
                .isEqualTo(Attempt.Failure.Kind.SERVER_ERROR);
        Attempt.Failure rejected = failure(client.postJson(backend, "/chat/completions", body(false), Duration.ofSeconds(30)));
        assertThat(rejected.kind()).isEqualTo(Attempt.Failure.Kind.REJECTED);
        assertThat(rejected.retriable()).isFalse();
        assertThat(new String(rejected.body(), StandardCharsets.UTF_8)).contains("injected 400");
        assertThat(failure(client.postJson(backend, "/chat/completions", body(false), Duration.ofSeconds(30))).kind())
                .isEqualTo(Attempt.Failure.Kind.INVALID_RESPONSE);
        // An upstream that never answers: a short wait cannot flip this, however loaded the machine.
        try (UpstreamClient impatient = new UpstreamClient(new ModelConfig.Timeouts(Duration.ofSeconds(30),
                Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofSeconds(60)), new ObjectMapper())) {
            assertThat(failure(impatient.openStream(backend, "/chat/completions", body(true))).kind())
                    .isEqualTo(Attempt.Failure.Kind.TIMEOUT);
        }
        upstream.fault(new OpenAiLoopback.Fault.InvalidJson());
        assertThat(failure(client.openStream(backend, "/chat/completions", body(true))).kind())
                .as("a broken first event is still retriable").isEqualTo(Attempt.Failure.Kind.INVALID_RESPONSE);
        Backend nowhere = new Backend("x#0", "x", Backend.Kind.OPENAI, java.net.URI.create("http://127.0.0.1:1/v1"), "", "m",
                1, 0, Backend.Limits.NONE);
        assertThat(failure(client.postJson(nowhere, "/chat/completions", body(false), Duration.ofSeconds(30))).kind())
                .isEqualTo(Attempt.Failure.Kind.CONNECTION);
    }

    @Test
    void closingAStreamEarlyCancelsTheUpstreamRequest() throws Exception {
        CountDownLatch resume = new CountDownLatch(1);
        // A long answer: the client closes its connection asynchronously (on the HTTP client's own
        // thread), so a short rest could all be written into the socket before the close lands.
        upstream.reply("word ".repeat(20_000).strip());
        upstream.fault(new OpenAiLoopback.Fault.Pause(1, resume));
        Attempt<UpstreamStream> a = client.openStream(backend, "/chat/completions", body(true));
        try (UpstreamStream s = ((Attempt.Answered<UpstreamStream>) a).value()) {
            s.next();
            s.next();
        }
        resume.countDown(); // the upstream writes on and finds its request cancelled
        // The bound only keeps a broken build from hanging.
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (upstream.inFlight() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(upstream.cancelledStreams()).isEqualTo(1);
    }

    @Test
    void retryAfterIsReadInEveryFormServersUse() {
        assertThat(UpstreamClient.retryAfter(headers(Map.of("retry-after", List.of("7"))))).contains(Duration.ofSeconds(7));
        assertThat(UpstreamClient.retryAfter(headers(Map.of("retry-after-ms", List.of("250"))))).contains(Duration.ofMillis(250));
        assertThat(UpstreamClient.retryAfter(headers(Map.of("retry-after", List.of("Wed, 21 Oct 2015 07:28:00 GMT")))))
                .contains(Duration.ZERO);
        assertThat(UpstreamClient.retryAfter(headers(Map.of("retry-after", List.of("soon"))))).isEmpty();
    }

    private static HttpHeaders headers(Map<String, List<String>> map) {
        return HttpHeaders.of(map, (a, b) -> true);
    }

    private static Attempt.Failure failure(Attempt<?> a) {
        assertThat(a).isInstanceOf(Attempt.Failed.class);
        return ((Attempt.Failed<?>) a).failure();
    }
}
