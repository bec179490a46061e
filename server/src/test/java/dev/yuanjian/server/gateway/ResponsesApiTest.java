package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonSchemaLocalValidation;
import com.openai.core.JsonValue;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.SseException;
import com.openai.models.responses.FunctionTool;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.StructuredResponse;
import com.openai.models.responses.StructuredResponseCreateParams;
import dev.yuanjian.model.Backend;
import dev.yuanjian.testing.OpenAiLoopback;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /v1/responses} with the official openai-java client: translated over chat-only backends
 * (the loopback's chat completions) and passed through to a backend that speaks the Responses API
 * (the loopback's {@code /v1/responses}), labelled and logged like chat either way.
 */
class ResponsesApiTest {
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    @TempDir
    Path dir;
    GatewayFixture f;
    OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        f = new GatewayFixture(dir, (config, upstream) -> {
            List<Backend> backends = new ArrayList<>(config.backends());
            backends.add(new Backend("native#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "sk-upstream",
                    "upstream-native", 1, 0, Backend.Limits.NONE, null, null, Backend.Api.RESPONSES));
            return config.withBackends(backends, config.source());
        });
        sdk = OpenAIOkHttpClient.builder().baseUrl(f.base() + "/v1").apiKey("unused-on-localhost").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        f.close();
    }

    private static ResponseCreateParams ask(String model) {
        return ResponseCreateParams.builder().model(model).input("Say hello.").build();
    }

    private static ResponseCreateParams labelled(String model) {
        return ask(model).toBuilder().putAdditionalHeader("X-AIGC-Explicit-Label", "true").build();
    }

    private static JsonNode tree(Object value) {
        return com.openai.core.ObjectMappers.jsonMapper().valueToTree(value);
    }

    private static String text(Response response) {
        StringBuilder out = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> out.append(t.text()))));
        }
        return out.toString();
    }

    private String loggedSha(JsonValue aigc) {
        String contentId = tree(aigc).path("contentId").asText();
        assertThat(contentId).isNotEmpty();
        return f.app.log().findByContentId(contentId).orElseThrow().record().sha256();
    }

    private static String sha256(String text) throws Exception {
        return OpenAiSdkTest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    private List<ResponseStreamEvent> events(ResponseCreateParams params) {
        try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(params)) {
            return stream.stream().toList();
        }
    }

    private static String deltas(List<ResponseStreamEvent> events) {
        StringBuilder out = new StringBuilder();
        events.forEach(e -> e.outputTextDelta().ifPresent(d -> out.append(d.delta())));
        return out.toString();
    }

    @Test
    void aChatBackendAnswersAResponseObjectLabelledAndLogged() throws Exception {
        HttpResponseFor<Response> raw = sdk.responses().withRawResponse().create(ask("chat").toBuilder()
                .instructions("Be brief.").maxOutputTokens(50).build());
        Response response = raw.parse();

        assertThat(response.id()).startsWith("resp_");
        assertThat(response.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("completed"));
        String text = text(response);
        assertThat(text).isEqualTo("Hello from the loopback model. It answers every question the same way.");
        assertThat(response.usage().orElseThrow().inputTokens()).isEqualTo(12);
        assertThat(response.usage().orElseThrow().totalTokens()).isEqualTo(12 + text.length() / 4);
        JsonValue aigc = response._additionalProperties().get("aigc");
        String contentId = tree(aigc).path("contentId").asText();
        assertThat(raw.headers().values("X-Content-Id")).containsExactly(contentId);
        assertThat(raw.headers().values("X-AIGC-Label")).singleElement().asString().contains(contentId);
        assertThat(loggedSha(aigc)).isEqualTo(sha256(text));

        JsonNode upstream = f.upstream.bodies().getLast();
        assertThat(upstream.path("model").asText()).isEqualTo("upstream-chat");
        assertThat(upstream.path("max_tokens").asInt()).isEqualTo(50);
        assertThat(upstream.path("messages").toString())
                .isEqualTo("[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"Say hello.\"}]");
    }

    @Test
    void aTranslatedStreamIsTheResponsesEventsAndItsLastResponseCarriesTheContentId() throws Exception {
        List<ResponseStreamEvent> events = events(labelled("chat"));

        String streamed = deltas(events);
        assertThat(streamed).startsWith("AI-generated content\n\nHello from the loopback model.");
        assertThat(events.getFirst().created()).isPresent();
        assertThat(events.get(1).inProgress()).isPresent();
        Response done = events.getLast().completed().orElseThrow().response();
        assertThat(text(done)).isEqualTo(streamed);
        assertThat(events).filteredOn(e -> e.outputTextDone().isPresent()).singleElement()
                .satisfies(e -> assertThat(e.outputTextDone().get().text()).isEqualTo(streamed));
        assertThat(done.usage().orElseThrow().inputTokens()).isEqualTo(12);
        assertThat(loggedSha(done._additionalProperties().get("aigc"))).isEqualTo(sha256(streamed));
        assertThat(f.upstream.bodies().getLast().at("/stream_options/include_usage").asBoolean()).isTrue();

        // The same words as the whole answer, label included.
        assertThat(text(sdk.responses().create(labelled("chat")))).isEqualTo(streamed);
    }

    @Test
    void streamsSayWhatEachEventIsAndNumberThemInOrder() throws Exception {
        for (String model : List.of("chat", "native")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(f.base() + "/v1/responses"))
                    .header("Content-Type", "application/json").timeout(Duration.ofSeconds(20))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                            + "\",\"input\":\"Say hello.\",\"stream\":true}")).build();
            String body = Calls.CLIENT.send(request, HttpResponse.BodyHandlers.ofString()).body();
            List<String> types = new ArrayList<>();
            int expected = 0;
            for (String event : body.split("\n\n")) {
                if (event.startsWith(":")) {
                    continue;
                }
                String[] lines = event.split("\n");
                assertThat(lines).as(event).hasSize(2);
                assertThat(lines[0]).startsWith("event: ");
                JsonNode data = Calls.JSON.readTree(lines[1].substring("data: ".length()));
                assertThat(lines[0].substring(7)).isEqualTo(data.path("type").asText());
                assertThat(data.path("sequence_number").asInt(-1)).as(model + " " + event).isEqualTo(expected++);
                types.add(data.path("type").asText());
            }
            assertThat(types).as(model).startsWith("response.created", "response.in_progress",
                    "response.output_item.added", "response.content_part.added", "response.output_text.delta")
                    .endsWith("response.output_text.done", "response.content_part.done", "response.output_item.done",
                            "response.completed");
        }
    }

    @Test
    void aResponsesBackendGetsTheRequestAsSentAndItsAnswerIsLabelledTheSameWay() throws Exception {
        HttpResponseFor<Response> raw = sdk.responses().withRawResponse().create(labelled("native").toBuilder()
                .metadata(com.openai.models.responses.ResponseCreateParams.Metadata.builder()
                        .putAdditionalProperty("ticket", JsonValue.from("42")).build()).build());
        Response response = raw.parse();
        assertThat(response.id()).startsWith("resp_loop");
        String text = text(response);
        assertThat(text).startsWith("AI-generated content").endsWith("\n\nHello from the loopback model. It answers "
                + "every question the same way.");
        assertThat(loggedSha(response._additionalProperties().get("aigc"))).isEqualTo(sha256(text));
        assertThat(raw.headers().values("X-Content-Id")).hasSize(1);
        JsonNode sent = f.upstream.bodies().getLast();
        assertThat(sent.path("input").asText()).isEqualTo("Say hello.");
        assertThat(sent.path("model").asText()).isEqualTo("upstream-native");
        assertThat(sent.path("store").asBoolean(true)).as("the gateway asks the upstream to store nothing").isFalse();
        assertThat(sent.path("metadata").path("ticket").asText()).isEqualTo("42");
        assertThat(sent.has("aigc")).isFalse();
        assertThat(text).as("the same label as over a chat backend").isEqualTo(text(sdk.responses().create(labelled("chat"))));

        List<ResponseStreamEvent> events = events(labelled("native"));
        String streamed = deltas(events);
        assertThat(streamed).isEqualTo(text);
        Response done = events.getLast().completed().orElseThrow().response();
        assertThat(text(done)).isEqualTo(streamed);
        assertThat(loggedSha(done._additionalProperties().get("aigc"))).isEqualTo(sha256(streamed));
    }

    /** The schema the SDK derives from this class is sent as text.format json_schema. */
    public static final class Weather {
        public String city;
        public int temperature;
    }

    @Test
    void structuredOutputStaysValidJsonWithTheLabelOnlyInAigcAndTheHeader() throws Exception {
        String json = "{\"city\": \"Paris\", \"temperature\": 21}";
        f.upstream.reply(json);
        StructuredResponseCreateParams<Weather> params = ResponseCreateParams.builder().model("chat")
                .input("Weather in Paris?").text(Weather.class, JsonSchemaLocalValidation.NO)
                .putAdditionalHeader("X-AIGC-Explicit-Label", "true").build();

        StructuredResponse<Weather> whole = sdk.responses().create(params);
        Weather weather = whole.output().getFirst().message().orElseThrow().content().getFirst().outputText()
                .orElseThrow();
        assertThat(weather.city).isEqualTo("Paris");
        assertThat(weather.temperature).isEqualTo(21);
        assertThat(loggedSha(whole._additionalProperties().get("aigc"))).isEqualTo(sha256(json));
        JsonNode format = f.upstream.bodies().getLast().path("response_format");
        assertThat(format.path("type").asText()).isEqualTo("json_schema");
        assertThat(format.at("/json_schema/schema/properties/city/type").asText()).isEqualTo("string");

        List<ResponseStreamEvent> events = events(params.rawParams());
        assertThat(deltas(events)).isEqualTo(json);
        assertThat(text(events.getLast().completed().orElseThrow().response())).isEqualTo(json);

        f.upstream.reply("{\"ok\": true}");
        Calls.Answer native_ = Calls.post(f.base(), "/v1/responses", "{\"model\":\"native\",\"input\":\"ok?\","
                + "\"text\":{\"format\":{\"type\":\"json_object\"}}}", "X-AIGC-Explicit-Label", "true");
        assertThat(native_.json().at("/output/0/content/0/text").asText()).isEqualTo("{\"ok\": true}");
    }

    @Test
    void functionCallsComeBackUnlabelledAndAreLoggedAsTheirCanonicalJson() throws Exception {
        f.upstream.toolCall("get_weather", "{\"city\":\"Paris\"}");
        String request = "{\"model\":\"chat\",\"input\":\"Weather in Paris?\",\"tool_choice\":\"auto\",\"tools\":[{"
                + "\"type\":\"function\",\"name\":\"get_weather\",\"description\":\"Current weather\",\"parameters\":{"
                + "\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]},"
                + "\"strict\":true}]}";
        Calls.Answer answer = Calls.post(f.base(), "/v1/responses", request, "X-AIGC-Explicit-Label", "true");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode output = answer.json().path("output");
        assertThat(output).hasSize(1);
        assertThat(output.get(0).path("type").asText()).isEqualTo("function_call");
        assertThat(output.get(0).path("call_id").asText()).isEqualTo("call_loop0");
        assertThat(output.get(0).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(answer.json().toString()).doesNotContain("AI-generated content");
        String canonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(output, Object.class));
        String contentId = answer.json().at("/aigc/contentId").asText();
        assertThat(f.app.log().findByContentId(contentId).orElseThrow().record().sha256()).isEqualTo(sha256(canonical));
        JsonNode tool = f.upstream.bodies().getLast().path("tools").get(0);
        assertThat(tool.path("type").asText()).isEqualTo("function");
        assertThat(tool.at("/function/name").asText()).isEqualTo("get_weather");
        assertThat(tool.at("/function/parameters/required/0").asText()).isEqualTo("city");

        // The SDK reads the call, streamed too: name first, then the arguments in pieces.
        ResponseCreateParams params = ResponseCreateParams.builder().model("chat").input("Weather in Paris?")
                .addTool(FunctionTool.builder().name("get_weather").strict(false).parameters(FunctionTool.Parameters
                        .builder().putAdditionalProperty("type", JsonValue.from("object")).build()).build())
                .putAdditionalHeader("X-AIGC-Explicit-Label", "true").build();
        ResponseFunctionToolCall call = sdk.responses().create(params).output().getFirst().functionCall().orElseThrow();
        assertThat(call.name()).isEqualTo("get_weather");
        List<ResponseStreamEvent> events = events(params);
        StringBuilder arguments = new StringBuilder();
        events.forEach(e -> e.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta())));
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(events).filteredOn(e -> e.functionCallArgumentsDone().isPresent()).hasSize(1);
        assertThat(deltas(events)).isEmpty();
        Response done = events.getLast().completed().orElseThrow().response();
        ResponseFunctionToolCall streamedCall = done.output().getFirst().functionCall().orElseThrow();
        assertThat(streamedCall.callId()).isEqualTo("call_loop0");
        assertThat(streamedCall.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        String streamedCanonical = CANONICAL.writeValueAsString(CANONICAL.treeToValue(tree(done).path("output"),
                Object.class));
        assertThat(loggedSha(done._additionalProperties().get("aigc"))).isEqualTo(sha256(streamedCanonical));
    }

    @Test
    void theNextTurnCarriesTheCallAndItsOutputAsChatMessages() throws Exception {
        String request = "{\"model\":\"chat\",\"instructions\":\"Use tools.\",\"input\":["
                + "{\"role\":\"user\",\"content\":[{\"type\":\"input_text\",\"text\":\"Weather in Paris?\"}]},"
                + "{\"type\":\"function_call\",\"id\":\"fc_1\",\"call_id\":\"call_1\",\"name\":\"get_weather\","
                + "\"arguments\":\"{}\"},"
                + "{\"type\":\"function_call_output\",\"call_id\":\"call_1\",\"output\":\"21 C\"},"
                + "{\"type\":\"message\",\"role\":\"developer\",\"content\":\"Answer in one line.\"}]}";
        assertThat(Calls.post(f.base(), "/v1/responses", request).status()).isEqualTo(200);
        assertThat(f.upstream.bodies().getLast().path("messages").toString()).isEqualTo("["
                + "{\"role\":\"system\",\"content\":\"Use tools.\"},"
                + "{\"role\":\"user\",\"content\":\"Weather in Paris?\"},"
                + "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
                + "\"function\":{\"name\":\"get_weather\",\"arguments\":\"{}\"}}]},"
                + "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"21 C\"},"
                + "{\"role\":\"system\",\"content\":\"Answer in one line.\"}]");
    }

    @Test
    void anUpstreamThatBreaksMidStreamEndsWithResponseFailedAndAnErrorTheSdkRaises() throws Exception {
        for (String model : List.of("solo", "native")) {
            f.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
            List<ResponseStreamEvent> seen = new ArrayList<>();
            assertThatThrownBy(() -> {
                try (StreamResponse<ResponseStreamEvent> stream = sdk.responses().createStreaming(labelled(model))) {
                    stream.stream().forEach(seen::add);
                }
            }).as(model).isInstanceOf(SseException.class).hasMessageContaining("stream broke")
                    .hasMessageContaining("partial output was logged");
            Response failed = seen.getLast().failed().orElseThrow().response();
            assertThat(failed.status()).hasValueSatisfying(s -> assertThat(s.asString()).isEqualTo("failed"));
            String partial = deltas(seen);
            assertThat(partial).isEqualTo("AI-generated content\n\nHello from");
            assertThat(text(failed)).isEqualTo(partial);
            assertThat(loggedSha(failed._additionalProperties().get("aigc"))).isEqualTo(sha256(partial));
        }
        assertThat(text(sdk.responses().create(ask("solo")))).startsWith("Hello"); // still serving
    }

    @Test
    void whatCannotBeServedIsRefusedWithTheFieldAndWhatToDo() throws Exception {
        assertThatThrownBy(() -> sdk.responses().create(ask("chat").toBuilder().previousResponseId("resp_1").build()))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("stores no responses");
        assertThatThrownBy(() -> sdk.responses().create(ask("no-such-model")))
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");

        Map<String, String> refused = Map.of(
                "{\"model\":\"chat\",\"input\":\"x\",\"tools\":[{\"type\":\"web_search\"}]}", "tools[0]",
                "{\"model\":\"chat\"}", "input",
                "{\"model\":\"chat\",\"input\":\"x\",\"background\":true}", "background",
                "{\"model\":\"chat\",\"input\":\"x\",\"temprature\":1}", "temprature",
                "{\"model\":\"chat\",\"input\":[{\"type\":\"item_reference\",\"id\":\"x\"}]}", "input[0]",
                "{\"model\":\"chat\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_file\"}]}]}",
                "input[0].content",
                "{\"model\":\"chat\",\"input\":\"x\",\"text\":{\"format\":{\"type\":\"json_schema\"}}}", "text.format.name",
                "{\"model\":\"chat\",\"input\":\"x\",\"tool_choice\":{\"type\":\"file_search\"}}", "tool_choice",
                "[1]", "");
        int before = f.upstream.requests();
        for (Map.Entry<String, String> bad : refused.entrySet()) {
            Calls.Answer answer = Calls.post(f.base(), "/v1/responses", bad.getKey());
            assertThat(answer.status()).as(bad.getKey()).isEqualTo(400);
            assertThat(answer.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
            assertThat(answer.json().at("/error/param").asText("")).as(bad.getKey()).isEqualTo(bad.getValue());
            assertThat(answer.json().at("/error/message").asText()).isNotBlank();
        }
        assertThat(f.upstream.requests()).as("no refused request reaches a backend").isEqualTo(before);
    }

    @Test
    void keysLimitsAndChargingAreTheSameAsChat() throws Exception {
        String budget = f.gatekeeper.keys().create("budget", java.util.Set.of(dev.yuanjian.keys.Scope.GENERATE),
                new dev.yuanjian.keys.ApiKey.Limits(0, 0, 10)).secret();
        String body = "{\"model\":\"chat\",\"input\":\"Say hello.\"}";
        assertThat(Calls.post(f.base(), "/v1/responses", body).status()).as("a key is needed once one exists")
                .isEqualTo(401);
        assertThat(Calls.post(f.base(), "/v1/responses", body, "Authorization", "Bearer " + budget).status())
                .isEqualTo(200);
        Calls.Answer over = Calls.post(f.base(), "/v1/responses", body, "Authorization", "Bearer " + budget);
        assertThat(over.status()).isEqualTo(429);
        assertThat(f.gatekeeper.keys().list().getLast().tokensUsed()).isEqualTo(29); // the loopback's usage
    }
}
