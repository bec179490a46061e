package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.StreamResponse;
import com.openai.errors.SseException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import dev.yuanjian.testing.OpenAiLoopback;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streams exactly as OpenAI's clients expect them: no empty-choices chunk unless asked for, the
 * label on each choice's finishing chunk, keep-alive comments while the client waits (retries and
 * fallbacks still possible), the upstream's comments kept, and failures as {@code event: error}.
 */
class StreamShapesTest {
    @TempDir
    Path dir;
    GatewayFixture f;
    OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        // Comments every 50 ms: the tests wait for the first one, never for a length of time.
        f = new GatewayFixture(dir, c -> c.withTimeouts(c.timeouts().withKeepAlive(Duration.ofMillis(50))));
        sdk = OpenAIOkHttpClient.builder().baseUrl(f.base() + "/v1").apiKey("unused-on-localhost").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        f.close();
    }

    private static ChatCompletionCreateParams.Builder ask(String model) {
        return ChatCompletionCreateParams.builder().model(model).addUserMessage("Say hello.");
    }

    private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
            return s.stream().toList();
        }
    }

    private static String body(String model) {
        return Calls.chat(model).replace("{\"model\"", "{\"stream\":true,\"model\"");
    }

    /** A streaming request over plain HTTP; the response once its headers arrived. */
    private HttpResponse<InputStream> open(String model) throws Exception {
        return Calls.CLIENT.send(HttpRequest.newBuilder(URI.create(f.base() + "/v1/chat/completions"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(model))).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** Reads lines up to and including the first that is {@code line}; returns what was read. */
    private static String readThrough(BufferedReader in, String line) throws Exception {
        StringBuilder read = new StringBuilder();
        String l;
        while ((l = in.readLine()) != null) {
            read.append(l).append('\n');
            if (l.equals(line)) {
                return read.toString();
            }
        }
        throw new AssertionError("the stream ended without the line '" + line + "': " + read);
    }

    private static String rest(BufferedReader in) throws Exception {
        StringBuilder read = new StringBuilder();
        String l;
        while ((l = in.readLine()) != null) {
            read.append(l).append('\n');
        }
        return read.toString();
    }

    @Test
    void theQuickStartLoopReadsChoiceZeroOfEveryChunkAndTheFinishingChunkCarriesTheLabel() throws Exception {
        List<ChatCompletionChunk> chunks = stream(ask("chat").build());
        StringBuilder text = new StringBuilder();
        for (ChatCompletionChunk chunk : chunks) {
            text.append(chunk.choices().get(0).delta().content().orElse("")); // the SDKs' quick start
        }
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices().getFirst().finishReason()).isPresent();
        JsonNode aigc = ObjectMappers.jsonMapper().valueToTree(last._additionalProperties().get("aigc"));
        assertThat(f.app.log().findByContentId(aigc.path("contentId").asText()).orElseThrow().record().sha256())
                .isEqualTo(OpenAiSdkTest.sha256(text.toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(chunks).hasSize(f.upstream.pieces().size() + 2); // role, pieces, finish with aigc
    }

    @Test
    void anUpstreamThatAlwaysSendsUsageDoesNotBreakTheQuickStartLoop() throws Exception {
        f.upstream.usageAlways(true);
        List<ChatCompletionChunk> chunks = stream(ask("chat").build());
        assertThat(chunks).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        assertThat(chunks.getLast().choices().getFirst().finishReason()).isPresent();
    }

    @Test
    void usageComesLastAndOnlyWhenAskedFor() {
        List<ChatCompletionChunk> chunks = stream(ask("chat").n(2)
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
        ChatCompletionChunk last = chunks.getLast();
        assertThat(last.choices()).isEmpty();
        assertThat(last.usage().orElseThrow().totalTokens()).isPositive();
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c.choices()).isNotEmpty());
        for (long i = 0; i < 2; i++) {
            long index = i;
            ChatCompletionChunk finishing = chunks.stream().filter(c -> c.choices().getFirst().index() == index
                    && c.choices().getFirst().finishReason().isPresent()).findFirst().orElseThrow();
            JsonNode aigc = ObjectMappers.jsonMapper().valueToTree(finishing._additionalProperties().get("aigc"));
            assertThat(aigc.path("index").asLong()).isEqualTo(index);
            JsonNode inChoice = ObjectMappers.jsonMapper().valueToTree(
                    finishing.choices().getFirst()._additionalProperties().get("aigc"));
            assertThat(inChoice.path("contentId").asText()).isEqualTo(aigc.path("contentId").asText());
        }
    }

    @Test
    void whileTheUpstreamThinksTheClientGetsCommentsAndAFallbackStillServesIt() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        f.upstream.fault(new OpenAiLoopback.Fault.Held(release, new OpenAiLoopback.Fault.Status(500, null)));
        HttpResponse<InputStream> response = open("chat");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String before = readThrough(in, ": keep-alive");
            assertThat(before).doesNotContain("data:");
            release.countDown(); // the first backend now fails; the second one answers
            String after = rest(in);
            assertThat(after).contains("{\"content\":\" second\"}").endsWith("data: [DONE]\n\n")
                    .doesNotContain("event: error");
            assertThat(f.upstream.requests()).isEqualTo(1);
            assertThat(f.second.requests()).isEqualTo(1);
        }
    }

    @Test
    void aFailureAfterCommentsIsAnErrorEventInTheStream() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        f.upstream.fault(new OpenAiLoopback.Fault.Held(release, new OpenAiLoopback.Fault.Status(500, null)),
                new OpenAiLoopback.Fault.Status(500, null));
        HttpResponse<InputStream> response = open("solo");
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            readThrough(in, ": keep-alive");
            release.countDown();
            String after = rest(in);
            assertThat(after).contains("event: error\ndata: {\"error\":{").doesNotContain("[DONE]");
            String data = after.substring(after.indexOf("event: error\ndata: ") + 19).lines().findFirst().orElseThrow();
            JsonNode error = Calls.JSON.readTree(data).path("error");
            assertThat(error.path("type").asText()).isEqualTo("server_error");
            assertThat(error.path("code").asText()).isEqualTo("upstream_error");
            assertThat(error.has("param")).isTrue();
            assertThat(error.path("message").asText()).contains("no backend gave a usable answer");
        }
    }

    /** A streaming {@code /v1/responses} request over plain HTTP; the response once its headers arrived. */
    private HttpResponse<InputStream> openResponses(String model) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"input\":\"Say hello.\",\"stream\":true}";
        return Calls.CLIENT.send(HttpRequest.newBuilder(URI.create(f.base() + "/v1/responses"))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /** The Responses API waits as chat does: comments, a fallback still possible, a late failure as an error event. */
    @Test
    void responsesStreamsGetCommentsWhileWaitingAndAnErrorEventWhenNothingServes() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        f.upstream.fault(new OpenAiLoopback.Fault.Held(release, new OpenAiLoopback.Fault.Status(500, null)));
        HttpResponse<InputStream> response = openResponses("chat");
        assertThat(response.statusCode()).isEqualTo(200);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            assertThat(readThrough(in, ": keep-alive")).doesNotContain("data:");
            release.countDown();
            String after = rest(in);
            assertThat(after).contains("event: response.created\n").contains("event: response.completed\n")
                    .doesNotContain("event: error");
            assertThat(f.second.requests()).isEqualTo(1);
        }

        CountDownLatch again = new CountDownLatch(1);
        f.upstream.fault(new OpenAiLoopback.Fault.Held(again, new OpenAiLoopback.Fault.Status(500, null)),
                new OpenAiLoopback.Fault.Status(500, null));
        response = openResponses("solo");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            readThrough(in, ": keep-alive");
            again.countDown();
            String after = rest(in);
            assertThat(after).contains("event: error\ndata: {").doesNotContain("response.created");
            String data = after.substring(after.indexOf("event: error\ndata: ") + 19).lines().findFirst().orElseThrow();
            JsonNode error = Calls.JSON.readTree(data);
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("code").asText()).isEqualTo("upstream_error");
            assertThat(error.at("/error/message").asText()).contains("no backend gave a usable answer");
        }
    }

    @Test
    void theUpstreamsOwnCommentsAreRelayedAsTheyCame() throws Exception {
        f.upstream.comment(":ping 1\n: still here\n\n");
        String sse = new String(Calls.post(f.base(), "/v1/chat/completions", body("solo")).response().body(),
                StandardCharsets.UTF_8);
        assertThat(sse).contains("\n\n:ping 1\n: still here\n\ndata: ").endsWith("data: [DONE]\n\n");
    }

    /** The lines a client's SSE parser sees: CR, LF and CRLF all end a line (WHATWG). */
    private static List<String> clientLines(String sse) {
        return List.of(sse.split("\r\n|\r|\n", -1));
    }

    @Test
    void anUpstreamCannotSmuggleAnEventPastTheGatewayWithABareCarriageReturn() throws Exception {
        String chunk = "{\"id\":\"chatcmpl-x\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"\"},\"finish_reason\":null}]}";
        // In a comment, and as JSON white space after a chunk's data. A lone CR ends a line for the
        // gateway as for the client (WHATWG), so the gateway reads the event the client would, and
        // an event that is not a chunk with choices is not relayed.
        f.upstream.comment(":note\rdata: {\"smuggled\":1}\n\ndata: " + chunk + "\r \n\n");
        String sse = new String(Calls.post(f.base(), "/v1/chat/completions", body("solo")).response().body(),
                StandardCharsets.UTF_8);
        assertThat(sse).doesNotContain("\r").doesNotContain("smuggled").endsWith("data: [DONE]\n\n");
        assertThat(clientLines(sse)).noneMatch(l -> l.startsWith("data: {\"smuggled\""));

        // Anything after a chunk's JSON is refused, not relayed.
        f.upstream.comment("data: " + chunk + "\rdata: {\"smuggled\":2}\n\n");
        String refused = new String(Calls.post(f.base(), "/v1/chat/completions", body("solo")).response().body(),
                StandardCharsets.UTF_8);
        assertThat(clientLines(refused)).noneMatch(l -> l.startsWith("data: {\"smuggled\""));
        assertThat(refused).contains("event: error").doesNotContain("[DONE]");
    }

    /** Lines ending in a lone CR are SSE too (WHATWG): such an upstream is served, not refused. */
    @Test
    void anUpstreamEndingItsLinesWithCarriageReturnsIsServed() throws Exception {
        String head = "data: {\"id\":\"chatcmpl-cr\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
                + "\"choices\":[{\"index\":0,\"delta\":";
        f.upstream.fault(new OpenAiLoopback.Fault.Raw(head + "{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":null}]}\r\r"
                + ": ping\r\r" + head + "{\"content\":\" there\"},\"finish_reason\":null}]}\r\n\r\n"
                + head + "{},\"finish_reason\":\"stop\"}]}\r\rdata: [DONE]\r\r", null));
        List<ChatCompletionChunk> chunks = stream(ask("solo").build());
        StringBuilder text = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(text::append)));
        assertThat(text.toString()).isEqualTo("Hello there");
        assertThat(chunks.getLast()._additionalProperties()).containsKey("aigc");
    }

    @Test
    void aMidStreamFailureIsAnOpenAiErrorEventThatTheSdkRaises() throws Exception {
        f.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
        String sse = new String(Calls.post(f.base(), "/v1/chat/completions", body("solo")).response().body(),
                StandardCharsets.UTF_8);
        String last = sse.substring(sse.lastIndexOf("event: error\ndata: "));
        assertThat(last).endsWith("\n\n").doesNotContain("[DONE]");
        JsonNode data = Calls.JSON.readTree(last.substring(19).strip());
        assertThat(data.path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(data.path("error").path("code").asText()).isEqualTo("upstream_stream_broken");
        assertThat(data.path("error").has("param")).isTrue();
        String partial = data.path("aigc").path("contentId").asText();
        assertThat(f.app.log().findByContentId(partial)).isPresent();

        // An error the upstream itself sends mid-stream is relayed as the same kind of event.
        f.upstream.fault(new OpenAiLoopback.Fault.ErrorMidStream(2));
        String relayed = new String(Calls.post(f.base(), "/v1/chat/completions", body("solo")).response().body(),
                StandardCharsets.UTF_8);
        assertThat(relayed).contains("event: error\ndata: {\"error\":{\"message\":\"injected error mid-stream\"")
                .doesNotContain("[DONE]");

        for (OpenAiLoopback.Fault fault : List.of(new OpenAiLoopback.Fault.DropMidStream(2),
                new OpenAiLoopback.Fault.ErrorMidStream(2))) {
            f.upstream.fault(fault);
            List<String> received = new ArrayList<>();
            assertThatThrownBy(() -> {
                try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(ask("solo").build())) {
                    s.stream().forEach(c -> c.choices().forEach(ch -> ch.delta().content().ifPresent(received::add)));
                }
            }).isInstanceOf(SseException.class);
            assertThat(received).as("the answer was cut short, and the SDK said so").hasSizeLessThan(f.upstream.pieces().size());
        }
    }
}
