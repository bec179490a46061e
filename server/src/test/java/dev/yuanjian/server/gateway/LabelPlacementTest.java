package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.JsonValue;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponseFor;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Where the visible label goes, through the official openai-java client and raw HTTP over a
 * loopback upstream: never inside structured output or a tool-call turn, and by one rule, per
 * choice, for whole answers and streams (the same separator, the prompt's language, every choice).
 */
class LabelPlacementTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHINESE = ExplicitLabel.DEFAULT.chinese();
    private static final String ENGLISH = ExplicitLabel.DEFAULT.english();

    @TempDir
    Path dir;
    GatewayFixture f;
    OpenAIClient sdk;

    void start(ExplicitLabel.Position position) throws Exception {
        f = new GatewayFixture(dir, UnaryOperator.identity(), position);
        sdk = OpenAIOkHttpClient.builder().baseUrl(f.base() + "/v1").apiKey("unused-on-localhost").maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        if (sdk != null) {
            sdk.close();
        }
        if (f != null) {
            f.close();
        }
    }

    private static ChatCompletionCreateParams.Builder ask(String prompt) {
        return ChatCompletionCreateParams.builder().model("chat").addUserMessage(prompt)
                .putAdditionalHeader("X-AIGC-Explicit-Label", "true");
    }

    private static JsonNode tree(Object sdkValue) {
        return ObjectMappers.jsonMapper().valueToTree(sdkValue);
    }

    /** The stream's chunks as the SDK parsed them. */
    private List<ChatCompletionChunk> stream(ChatCompletionCreateParams params) {
        try (StreamResponse<ChatCompletionChunk> s = sdk.chat().completions().createStreaming(params)) {
            return s.stream().toList();
        }
    }

    private static String text(List<ChatCompletionChunk> chunks, long index) {
        StringBuilder out = new StringBuilder();
        chunks.forEach(c -> c.choices().stream().filter(ch -> ch.index() == index)
                .forEach(ch -> ch.delta().content().ifPresent(out::append)));
        return out.toString();
    }

    /** The {@code aigc} object of choice {@code index}'s finishing chunk (the one with its finish_reason). */
    private static JsonNode finishingAigc(List<ChatCompletionChunk> chunks, long index) {
        ChatCompletionChunk finishing = chunks.stream()
                .filter(c -> c.choices().stream().anyMatch(ch -> ch.index() == index && ch.finishReason().isPresent()))
                .findFirst().orElseThrow();
        JsonValue aigc = finishing._additionalProperties().get("aigc");
        assertThat(aigc).as("the finishing chunk of choice %s carries aigc", index).isNotNull();
        return tree(aigc);
    }

    private String loggedSha(JsonNode aigc) {
        return f.app.log().findByContentId(aigc.path("contentId").asText()).orElseThrow().record().sha256();
    }

    private static String sha(String text) throws Exception {
        return OpenAiSdkTest.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A message's logged form: keys sorted at every depth, no white space, top-level members that
     * carry nothing (null, "", [], {}) left out; written here independently of the product's code.
     */
    private static String canonical(JsonNode node) throws Exception {
        ObjectNode carried = JSON.createObjectNode();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!(v.isNull() || v.isTextual() && v.asText().isEmpty() || v.isContainerNode() && v.isEmpty())) {
                carried.set(e.getKey(), v);
            }
        });
        return JSON.writeValueAsString(sorted(carried));
    }

    private static JsonNode sorted(JsonNode node) {
        if (node.isObject()) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            node.fields().forEachRemaining(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(n -> out.add(sorted(n)));
            return out;
        }
        return node;
    }

    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void structuredOutputKeepsItsJsonAndCarriesTheLabelBesideIt(ExplicitLabel.Position position) throws Exception {
        start(position);
        String json = "{\"answer\": 42, \"unit\": \"none\"}";
        f.upstream.reply(json);
        ResponseFormatJsonSchema schema = ResponseFormatJsonSchema.builder().jsonSchema(ResponseFormatJsonSchema.JsonSchema
                .builder().name("answer").schema(ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                        .putAdditionalProperty("type", JsonValue.from("object")).build()).build()).build();
        List<ChatCompletionCreateParams> structured = List.of(
                ask("Answer in JSON.").responseFormat(ResponseFormatJsonObject.builder().build()).build(),
                ask("Answer in JSON.").responseFormat(schema).build());
        for (ChatCompletionCreateParams params : structured) {
            HttpResponseFor<ChatCompletion> raw = sdk.chat().completions().withRawResponse().create(params);
            ChatCompletion whole = raw.parse();
            String content = whole.choices().getFirst().message().content().orElseThrow();
            assertThat(JSON.readTree(content)).isEqualTo(JSON.readTree(json));
            assertThat(content).isEqualTo(json);
            JsonNode aigc = tree(whole._additionalProperties().get("aigc"));
            assertThat(aigc.at("/explicitLabel/inContent").asBoolean(true)).isFalse();
            assertThat(aigc.at("/explicitLabel/text").asText()).isEqualTo(ENGLISH);
            assertThat(raw.headers().values("X-AIGC-Label")).singleElement().asString()
                    .contains(aigc.path("contentId").asText());

            List<ChatCompletionChunk> chunks = stream(params);
            assertThat(text(chunks, 0)).isEqualTo(json);
            JsonNode streamedAigc = finishingAigc(chunks, 0);
            assertThat(streamedAigc.at("/explicitLabel/inContent").asBoolean(true)).isFalse();
            assertThat(loggedSha(streamedAigc)).isEqualTo(sha(json));
        }
        // The same request in plain text mode is labelled when the answer is prose: the label was on.
        f.upstream.reply("The answer is 42.");
        String plain = sdk.chat().completions().create(ask("Answer in JSON.").build()).choices().getFirst().message()
                .content().orElseThrow();
        assertThat(plain).isEqualTo(position == ExplicitLabel.Position.START ? ENGLISH + "\n\nThe answer is 42."
                : "The answer is 42.\n\n" + ENGLISH);
    }

    /**
     * Frameworks ask for JSON in the prompt, without {@code response_format} (Spring AI's default
     * {@code entity(Class)}), and parse the answer: an answer that is JSON, bare or fenced, keeps no
     * label in its content, whole or streamed; one that only starts like JSON gets the label at its end.
     */
    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void anAnswerThatIsJsonKeepsItsJsonWithoutResponseFormat(ExplicitLabel.Position position) throws Exception {
        start(position);
        List<String> json = List.of("{\"name\": \"Hangzhou\", \"population\": 12000000}",
                "  [1, 2, {\"three\": 3}]", "```json\n{\"name\": \"杭州\"}\n```");
        for (String reply : json) {
            f.upstream.reply(reply);
            ChatCompletion whole = sdk.chat().completions().create(ask("Describe Hangzhou as JSON.").build());
            assertThat(whole.choices().getFirst().message().content().orElseThrow()).isEqualTo(reply);
            JsonNode aigc = tree(whole._additionalProperties().get("aigc"));
            assertThat(aigc.at("/explicitLabel/inContent").asBoolean(true)).isFalse();
            assertThat(loggedSha(aigc)).isEqualTo(sha(reply));

            List<ChatCompletionChunk> chunks = stream(ask("Describe Hangzhou as JSON.").build());
            assertThat(text(chunks, 0)).isEqualTo(reply);
            assertThat(finishingAigc(chunks, 0).at("/explicitLabel/inContent").asBoolean(true)).isFalse();
        }
        List<String> notJson = List.of("[the link](https://example.com) says hello", "{unquoted: json} and more",
                "```python\nprint(42)\n```");
        for (String reply : notJson) {
            f.upstream.reply(reply);
            String labelled = reply + "\n\n" + ENGLISH;
            ChatCompletion whole = sdk.chat().completions().create(ask("Say something.").build());
            assertThat(whole.choices().getFirst().message().content().orElseThrow()).as(reply).isEqualTo(labelled);
            List<ChatCompletionChunk> chunks = stream(ask("Say something.").build());
            assertThat(text(chunks, 0)).as(reply).isEqualTo(labelled);
            JsonNode aigc = finishingAigc(chunks, 0);
            assertThat(aigc.at("/explicitLabel/inContent").asBoolean(false)).isTrue();
            assertThat(loggedSha(aigc)).isEqualTo(sha(labelled));
        }
    }

    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void aToolCallTurnIsNeverLabelledAndIsLoggedAsTheCanonicalMessage(ExplicitLabel.Position position) throws Exception {
        start(position);
        String arguments = "{\"city\":\"北京\",\"unit\":\"celsius\"}";
        f.upstream.toolCall(new OpenAiLoopback.ToolCall("get_weather", arguments, null));
        String body = "{\"model\":\"chat\",\"aigc\":{\"explicit_label\":true},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"北京今天天气怎么样？\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"parameters\":{\"type\":\"object\"}}}]}";

        Calls.Answer whole = Calls.post(f.base(), "/v1/chat/completions", body);
        JsonNode message = whole.json().at("/choices/0/message");
        assertThat(message.path("content").isNull()).as(message.toString()).isTrue();
        assertThat(message.at("/tool_calls/0/function/arguments").asText()).isEqualTo(arguments);
        JsonNode aigc = whole.json().path("aigc");
        assertThat(aigc.at("/explicitLabel/text").asText()).as("the prompt's language").isEqualTo(CHINESE);
        assertThat(aigc.at("/explicitLabel/inContent").asBoolean(true)).isFalse();
        assertThat(loggedSha(aigc)).isEqualTo(sha(canonical(message))).isNotEqualTo(sha(""));
        assertThat(whole.header("X-AIGC-Label")).contains(aigc.path("contentId").asText());

        ChatCompletionCreateParams params = ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("北京今天天气怎么样？").putAdditionalHeader("X-AIGC-Explicit-Label", "true").build();
        ChatCompletion parsed = sdk.chat().completions().create(params);
        assertThat(parsed.choices().getFirst().message().content()).isEmpty();
        assertThat(parsed.choices().getFirst().message().toolCalls().orElseThrow().getFirst().asFunction().function()
                .arguments()).isEqualTo(arguments);

        List<ChatCompletionChunk> chunks = stream(params);
        assertThat(chunks).allSatisfy(c -> c.choices().forEach(ch ->
                assertThat(ch.delta().content().orElse("")).as("no label chunk in a tool-call stream").isEmpty()));
        StringBuilder streamedArguments = new StringBuilder();
        String[] id = new String[1];
        chunks.forEach(c -> c.choices().forEach(ch -> ch.delta().toolCalls().ifPresent(calls -> calls.forEach(call -> {
            call.id().ifPresent(v -> id[0] = v);
            call.function().flatMap(fn -> fn.arguments()).ifPresent(streamedArguments::append);
        }))));
        assertThat(streamedArguments.toString()).isEqualTo(arguments);
        JsonNode streamedAigc = finishingAigc(chunks, 0);
        assertThat(streamedAigc.at("/explicitLabel/text").asText()).isEqualTo(CHINESE);
        ObjectNode assembled = JSON.createObjectNode().put("role", "assistant").putNull("content");
        assembled.putArray("tool_calls").addObject().put("id", id[0]).put("type", "function")
                .putObject("function").put("name", "get_weather").put("arguments", arguments);
        assertThat(loggedSha(streamedAigc)).isEqualTo(sha(canonical(assembled)));
    }

    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void aTurnWithTextAndToolCallsLabelsTheTextAndLogsTheMessage(ExplicitLabel.Position position) throws Exception {
        start(position);
        String arguments = "{\"city\":\"上海\"}";
        f.upstream.toolCall(new OpenAiLoopback.ToolCall("get_weather", arguments, "我来查一下。"));
        String labelled = position == ExplicitLabel.Position.START ? CHINESE + "\n\n我来查一下。" : "我来查一下。\n\n" + CHINESE;
        String body = "{\"model\":\"chat\",\"aigc\":{\"explicit_label\":true},\"messages\":[{\"role\":\"user\","
                + "\"content\":\"上海天气？\"}]}";

        Calls.Answer whole = Calls.post(f.base(), "/v1/chat/completions", body);
        JsonNode message = whole.json().at("/choices/0/message");
        assertThat(message.path("content").asText()).isEqualTo(labelled);
        assertThat(message.at("/tool_calls/0/function/arguments").asText()).isEqualTo(arguments);
        assertThat(loggedSha(whole.json().path("aigc"))).isEqualTo(sha(canonical(message)));

        List<ChatCompletionChunk> chunks = stream(ChatCompletionCreateParams.builder().model("chat")
                .addUserMessage("上海天气？").putAdditionalHeader("X-AIGC-Explicit-Label", "true").build());
        assertThat(text(chunks, 0)).isEqualTo(labelled);
        ObjectNode assembled = JSON.createObjectNode().put("role", "assistant").put("content", labelled);
        assembled.putArray("tool_calls").addObject().put("id", "call_loop0").put("type", "function")
                .putObject("function").put("name", "get_weather").put("arguments", arguments);
        assertThat(loggedSha(finishingAigc(chunks, 0))).isEqualTo(sha(canonical(assembled)));
    }

    @ParameterizedTest
    @EnumSource(ExplicitLabel.Position.class)
    void streamsAndWholeAnswersLabelEveryChoiceAlike(ExplicitLabel.Position position) throws Exception {
        start(position);
        Map<String, ChatCompletionCreateParams> prompts = Map.of(
                ENGLISH, ask("Say hello.").n(2).build(),
                CHINESE, ask("打个招呼。").n(2).build(),
                // No letters in the last user message: the other messages tell the language.
                CHINESE + " ", ChatCompletionCreateParams.builder().model("chat").addSystemMessage("你是一个助手。")
                        .addUserMessage("1+1=?").n(2).putAdditionalHeader("X-AIGC-Explicit-Label", "true").build());
        for (Map.Entry<String, ChatCompletionCreateParams> e : prompts.entrySet()) {
            String wording = e.getKey().strip();
            ChatCompletion whole = sdk.chat().completions().create(e.getValue());
            List<ChatCompletionChunk> chunks = stream(e.getValue());
            assertThat(whole.choices()).hasSize(2);
            for (int i = 0; i < 2; i++) {
                String reply = f.upstream.pieces().stream().reduce("", String::concat) + " (" + i + ")";
                String expected = position == ExplicitLabel.Position.START ? wording + "\n\n" + reply : reply + "\n\n" + wording;
                String wholeText = whole.choices().get(i).message().content().orElseThrow();
                assertThat(wholeText).isEqualTo(expected);
                assertThat(text(chunks, i)).as("choice %s streamed", i).isEqualTo(expected);
                JsonNode aigc = finishingAigc(chunks, i);
                assertThat(aigc.path("index").asInt()).isEqualTo(i);
                assertThat(loggedSha(aigc)).isEqualTo(sha(expected));
                JsonNode wholeAigc = tree(whole.choices().get(i)._additionalProperties().get("aigc"));
                assertThat(loggedSha(wholeAigc)).isEqualTo(sha(expected));
            }
        }
        assertThat(new ArrayList<>(f.upstream.bodies())).allSatisfy(b -> assertThat(b.has("aigc")).isFalse());
    }
}
