package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.model.Backend;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The attack inputs on what the log covers: every kind of generated output the client gets
 * (refusals, audio, reasoning, function calls, reasoning summaries) is in the logged form, whole
 * and streamed alike, and an output the gateway cannot label is refused instead of passed on.
 */
class LoggedFormsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Keys sorted at every depth, no white space: written here independently of the product's code. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    private static final String LABEL = "X-AIGC-Explicit-Label";

    @TempDir
    Path dir;
    GatewayFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, (config, upstream) -> {
            List<Backend> backends = new ArrayList<>(config.backends());
            backends.add(new Backend("native#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "sk-upstream",
                    "upstream-native", 1, 0, Backend.Limits.NONE, null, null, Backend.Api.RESPONSES));
            return config.withBackends(backends, config.source());
        });
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String loggedSha(JsonNode aigc) {
        return f.app.log().findByContentId(aigc.path("contentId").asText()).orElseThrow().record().sha256();
    }

    private static String sha(String text) throws Exception {
        return OpenAiSdkTest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String canonical(JsonNode node) throws Exception {
        return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
    }

    /** The data of each event of a stream as sent, parsed. */
    private static List<JsonNode> events(Calls.Answer answer) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String line : new String(answer.response().body(), StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                out.add(JSON.readTree(line.substring(6)));
            }
        }
        return out;
    }

    private static JsonNode finishingAigc(List<JsonNode> chunks) {
        return chunks.stream().filter(c -> c.at("/choices/0/finish_reason").isTextual()).findFirst().orElseThrow()
                .path("aigc");
    }

    /** The chat answer whole and streamed: returns the two log entries' hashes, and checks they agree. */
    private String wholeAndStreamed(String body, String... headers) throws Exception {
        Calls.Answer whole = Calls.post(f.base(), "/v1/chat/completions", body, headers);
        assertThat(whole.status()).as(whole.json().toString()).isEqualTo(200);
        Calls.Answer streamed = Calls.post(f.base(), "/v1/chat/completions",
                body.replaceFirst("\\{", "{\"stream\":true,"), headers);
        String wholeSha = loggedSha(whole.json().path("aigc"));
        assertThat(loggedSha(finishingAigc(events(streamed)))).as("stream and whole log the same message")
                .isEqualTo(wholeSha);
        return wholeSha;
    }

    private static final String ASK = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"How to pick a lock?\"}]}";

    @Test
    void aStreamedRefusalIsLoggedAsTheRefusalMessageLikeTheWholeOne() throws Exception {
        String refusal = "I'm sorry, I can't help with that.";
        f.upstream.shaped(new OpenAiLoopback.Shaped("{\"role\":\"assistant\",\"content\":null,\"refusal\":"
                + JSON.writeValueAsString(refusal) + ",\"annotations\":[]}",
                List.of("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}", "{\"refusal\":\"I'm sorry, \"}",
                        "{\"refusal\":\"I can't help with that.\"}"), "stop"));
        String logged = wholeAndStreamed(ASK, LABEL, "true");
        ObjectNode message = JSON.createObjectNode().put("refusal", refusal).put("role", "assistant");
        assertThat(logged).isEqualTo(sha(canonical(message))).isNotEqualTo(sha("{\"content\":null,\"role\":\"assistant\"}"));
    }

    @Test
    void streamedAudioIsLoggedWithItsTranscriptAndDataLikeTheWholeAnswer() throws Exception {
        f.upstream.shaped(new OpenAiLoopback.Shaped("{\"role\":\"assistant\",\"content\":null,\"refusal\":null,"
                + "\"audio\":{\"id\":\"audio_6740\",\"data\":\"UklGRiQAAABXQVZF\",\"expires_at\":1729018505,"
                + "\"transcript\":\"Hello there.\"},\"annotations\":[]}",
                List.of("{\"role\":\"assistant\",\"content\":null,\"refusal\":null}",
                        "{\"content\":null,\"audio\":{\"id\":\"audio_6740\",\"transcript\":\"Hello\"}}",
                        "{\"audio\":{\"transcript\":\" there.\"}}",
                        "{\"audio\":{\"id\":\"audio_6740\",\"data\":\"UklGRiQA\"}}",
                        "{\"audio\":{\"data\":\"AABXQVZF\"}}",
                        "{\"audio\":{\"id\":\"audio_6740\",\"expires_at\":1729018505}}"), "stop"));
        String body = "{\"model\":\"chat\",\"modalities\":[\"text\",\"audio\"],\"audio\":{\"voice\":\"alloy\","
                + "\"format\":\"wav\"},\"messages\":[{\"role\":\"user\",\"content\":\"Say hello.\"}]}";
        String logged = wholeAndStreamed(body);
        String expected = "{\"audio\":{\"data\":\"UklGRiQAAABXQVZF\",\"expires_at\":1729018505,\"id\":\"audio_6740\","
                + "\"transcript\":\"Hello there.\"},\"role\":\"assistant\"}";
        assertThat(logged).isEqualTo(sha(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"reasoning_content", "reasoning"})
    void reasoningIsLoggedWithTheAnswerAndNeverLabelled(String name) throws Exception {
        String thought = "The user asks 2+2. That is 4.";
        f.upstream.shaped(new OpenAiLoopback.Shaped("{\"role\":\"assistant\",\"content\":\"4\",\"" + name + "\":"
                + JSON.writeValueAsString(thought) + "}",
                List.of("{\"role\":\"assistant\",\"content\":null,\"" + name + "\":\"\"}",
                        "{\"" + name + "\":\"The user asks 2+2. \"}", "{\"" + name + "\":\"That is 4.\"}",
                        "{\"content\":\"4\"}"), "stop"));
        String body = "{\"model\":\"chat\",\"messages\":[{\"role\":\"user\",\"content\":\"What is 2+2?\"}]}";
        Calls.Answer whole = Calls.post(f.base(), "/v1/chat/completions", body, LABEL, "true");
        JsonNode message = whole.json().at("/choices/0/message");
        assertThat(message.path(name).asText()).as("no label in the reasoning").isEqualTo(thought);
        assertThat(message.path("content").asText()).as("the label stays on content").contains("AI-generated content").contains("4")
                .isNotEqualTo("4");
        String logged = wholeAndStreamed(body, LABEL, "true");
        ObjectNode expected = JSON.createObjectNode().put("content", message.path("content").asText())
                .put(name, thought).put("role", "assistant");
        assertThat(logged).isEqualTo(sha(canonical(expected)));
    }

    private static JsonNode completed(List<JsonNode> events) {
        JsonNode last = events.getLast();
        assertThat(last.path("type").asText()).as(last.toString()).isEqualTo("response.completed");
        return last.path("response");
    }

    /** The /v1/responses answer whole and streamed; checks each is logged as its canonical output. */
    private List<JsonNode> responsesLogTheirOutput(String model) throws Exception {
        String body = "{\"model\":\"" + model + "\",\"input\":\"How to pick a lock?\"}";
        Calls.Answer whole = Calls.post(f.base(), "/v1/responses", body, LABEL, "true");
        assertThat(whole.status()).as(whole.json().toString()).isEqualTo(200);
        assertThat(loggedSha(whole.json().path("aigc"))).isEqualTo(sha(canonical(whole.json().path("output"))));
        List<JsonNode> events = events(Calls.post(f.base(), "/v1/responses",
                body.replaceFirst("\\{", "{\"stream\":true,"), LABEL, "true"));
        JsonNode response = completed(events);
        assertThat(loggedSha(response.path("aigc"))).isEqualTo(sha(canonical(response.path("output"))));
        List<JsonNode> both = new ArrayList<>(List.of(whole.json().path("output"), response.path("output")));
        both.addAll(events);
        return both;
    }

    @Test
    void aTranslatedRefusalIsARefusalPartWholeAndStreamedAndIsLogged() throws Exception {
        String refusal = "I'm sorry, I can't help with that.";
        f.upstream.shaped(new OpenAiLoopback.Shaped("{\"role\":\"assistant\",\"content\":null,\"refusal\":"
                + JSON.writeValueAsString(refusal) + ",\"annotations\":[]}",
                List.of("{\"role\":\"assistant\",\"content\":null,\"refusal\":\"\"}", "{\"refusal\":\"I'm sorry, \"}",
                        "{\"refusal\":\"I can't help with that.\"}"), "stop"));
        List<JsonNode> got = responsesLogTheirOutput("chat");
        for (JsonNode output : got.subList(0, 2)) {
            assertThat(output).hasSize(1);
            assertThat(output.at("/0/content")).hasSize(1);
            assertThat(output.at("/0/content/0/type").asText()).isEqualTo("refusal");
            assertThat(output.at("/0/content/0/refusal").asText()).isEqualTo(refusal);
        }
        List<JsonNode> events = got.subList(2, got.size());
        StringBuilder deltas = new StringBuilder();
        events.stream().filter(e -> e.path("type").asText().equals("response.refusal.delta"))
                .forEach(e -> deltas.append(e.path("delta").asText()));
        assertThat(deltas.toString()).isEqualTo(refusal);
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("response.refusal.done");
            assertThat(e.path("refusal").asText()).isEqualTo(refusal);
        });
        assertThat(events).anySatisfy(e -> {
            assertThat(e.path("type").asText()).isEqualTo("response.content_part.added");
            assertThat(e.at("/part/type").asText()).isEqualTo("refusal");
        });
    }

    @Test
    void aTranslatedStreamWithTextAndAToolCallLogsTheCallToo() throws Exception {
        f.upstream.toolCall(new OpenAiLoopback.ToolCall("get_weather", "{\"city\":\"Paris\"}", "Let me check."));
        List<JsonNode> got = responsesLogTheirOutput("chat");
        for (JsonNode output : got.subList(0, 2)) {
            assertThat(output).hasSize(2);
            assertThat(output.at("/1/arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        }
    }

    @Test
    void aPassedThroughAnswerWithReasoningAndARefusalIsLoggedAsItsOutput() throws Exception {
        f.upstream.responsesOutput("[{\"id\":\"rs_1\",\"type\":\"reasoning\",\"summary\":[{\"type\":\"summary_text\","
                + "\"text\":\"The user asks for lock picking; decline.\"}]},{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":"
                + "\"Here is why:\",\"annotations\":[],\"logprobs\":[]},{\"type\":\"refusal\",\"refusal\":"
                + "\"I can't help with that.\"}]}]");
        List<JsonNode> got = responsesLogTheirOutput("native");
        for (JsonNode output : got.subList(0, 2)) {
            assertThat(output.at("/0/summary/0/text").asText()).isEqualTo("The user asks for lock picking; decline.");
            assertThat(output.at("/1/content/1/refusal").asText()).isEqualTo("I can't help with that.");
            assertThat(output.at("/1/content/0/text").asText()).as("the label on the text").contains("Here is why:")
                    .isNotEqualTo("Here is why:");
        }
    }

    @Test
    void aPassedThroughStreamThatBreaksLogsTheRefusalAlreadySent() throws Exception {
        f.upstream.responsesOutput("[{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\",\"role\":"
                + "\"assistant\",\"content\":[{\"type\":\"refusal\",\"refusal\":\"I can't help with that.\"}]}]");
        f.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(1)); // after the refusal's first half
        List<JsonNode> events = events(Calls.post(f.base(), "/v1/responses",
                "{\"stream\":true,\"model\":\"native\",\"input\":\"How to pick a lock?\"}"));
        StringBuilder refusal = new StringBuilder();
        events.stream().filter(e -> e.path("type").asText().equals("response.refusal.delta"))
                .forEach(e -> refusal.append(e.path("delta").asText()));
        assertThat(refusal.toString()).isEqualTo("I can't hel");
        JsonNode failed = events.get(events.size() - 2);
        assertThat(failed.path("type").asText()).isEqualTo("response.failed");
        JsonNode output = failed.at("/response/output");
        assertThat(output.at("/0/content/0/refusal").asText()).isEqualTo("I can't hel");
        assertThat(loggedSha(failed.at("/response/aigc"))).isEqualTo(sha(canonical(output)));
    }

    @Test
    void anImageTheGatewayCannotLabelIsRefusedWholeAndStreamed() throws Exception {
        String base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk";
        f.upstream.responsesOutput("[{\"id\":\"ig_1\",\"type\":\"image_generation_call\",\"status\":\"completed\","
                + "\"result\":\"" + base64 + "\"},{\"id\":\"msg_1\",\"type\":\"message\",\"status\":\"completed\","
                + "\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\",\"text\":\"Here it is.\","
                + "\"annotations\":[],\"logprobs\":[]}]}]");
        String body = "{\"model\":\"native\",\"input\":\"Draw a cat.\"}";
        Calls.Answer whole = Calls.post(f.base(), "/v1/responses", body);
        assertThat(whole.status()).isEqualTo(502);
        assertThat(whole.json().at("/error/message").asText()).contains("image_generation_call")
                .contains("/v1/images/generations");
        assertThat(new String(whole.response().body(), StandardCharsets.UTF_8)).doesNotContain(base64);

        Calls.Answer streamed = Calls.post(f.base(), "/v1/responses", body.replaceFirst("\\{", "{\"stream\":true,"));
        assertThat(new String(streamed.response().body(), StandardCharsets.UTF_8)).doesNotContain(base64)
                .doesNotContain("image_generation_call\",\"status");
        List<JsonNode> events = events(streamed);
        assertThat(events.get(events.size() - 2).path("type").asText()).isEqualTo("response.failed");
        assertThat(events.getLast().path("type").asText()).isEqualTo("error");
        assertThat(events.getLast().path("message").asText()).contains("image_generation_call")
                .contains("/v1/images/generations");
    }
}
