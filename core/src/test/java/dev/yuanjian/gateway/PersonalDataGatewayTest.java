package dev.yuanjian.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.yuanjian.app.Extension;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Settings;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.privacy.Recognizer;
import dev.yuanjian.store.Home;
import dev.yuanjian.testing.KnownPeople;
import dev.yuanjian.testing.MemoryConversations;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Masking before any backend call and restoring in answers, against real components: the product's
 * pipeline and log, the gateway, a loopback model server recording every request byte for byte.
 */
class PersonalDataGatewayTest {
    private static final ObjectMapper JSON = JsonViews.mapper();
    /** The values that must never reach a backend, and the escaped forms they could hide in. */
    private static final List<String> ORIGINALS = List.of("张三", "李四", "O\"Brien", "O\\\"Brien", "13812345678",
            "\\u5f20\\u4e09", "\\u674e\\u56db");
    /** A label whose wording looks like a placeholder: restoring must never touch it. */
    private static final ExplicitLabel LABEL = new ExplicitLabel("本内容由人工智能生成 [PERSON_1]", "AI-generated [PERSON_1]",
            ExplicitLabel.Position.START);

    @TempDir
    Path dir;
    Yuanjian app;
    OpenAiLoopback upstream;
    MemoryConversations conversations = new MemoryConversations();

    @BeforeEach
    void open() throws Exception {
        app = Yuanjian.open(new Home(dir), Settings.defaults(), Map.of());
        upstream = new OpenAiLoopback().reply("OK.");
    }

    @AfterEach
    void close() {
        upstream.close();
        app.close();
    }

    private Gateway gateway(boolean privacy) {
        ModelConfig config = ModelConfig.of(List.of(
                new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE),
                new Backend("n#0", "native", Backend.Kind.OPENAI, upstream.baseUrl(), "", "", 1, 0, Backend.Limits.NONE,
                        null, null, Backend.Api.RESPONSES)));
        Pseudonymizer pseudonymizer = new Pseudonymizer(new Analyzer(List.of(new KnownPeople("张三", "李四", "O\"Brien"))));
        List<RequestFilter> requests = privacy
                ? List.of(new PersonalDataFilter(pseudonymizer, Optional.of(conversations), JSON)) : List.of();
        List<ResponseFilter> responses = new ArrayList<>();
        if (privacy) {
            responses.add(new PersonalDataRestorer());
        }
        responses.add(new ExplicitLabelFilter(LABEL, true));
        return new Gateway(config, app.pipeline(), requests, responses, JSON);
    }

    private static ChatRequest chat(Gateway gateway, String json, Caller caller) {
        return ChatRequest.of(gateway.parse(json.getBytes(StandardCharsets.UTF_8)), Optional.empty()).withCaller(caller);
    }

    private static String body(boolean stream, String messages) {
        return "{\"model\":\"poet\",\"stream\":" + stream + ",\"messages\":" + messages + "}";
    }

    /** Every message kind a backend reads, each holding personal data, some of it JSON-escaped. */
    private static final String EVERY_KIND = """
            [{"role":"system","content":"You help 张三."},
             {"role":"developer","content":"李四 is the manager."},
             {"role":"user","content":"Call 张三 at 13812345678."},
             {"role":"user","content":[{"type":"text","text":"and O\\"Brien"},
                                       {"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":
                 {"name":"lookup","arguments":"{\\"who\\":\\"\\\\u5f20\\\\u4e09\\",\\"phone\\":13812345678,\\"tags\\":[\\"李四\\",7]}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"{\\"found\\":\\"O\\\\\\"Brien\\",\\"note\\":\\"张三's friend\\"}"},
             {"role":"assistant","refusal":"I will not tell 李四.","content":null},
             {"role":"user","content":"I typed [PERSON_1] myself; 张三 again."}]""";

    private List<String> leaks() {
        return leaks(0);
    }

    /** The originals found in the backend's requests from the {@code from}th on. */
    private List<String> leaks(int from) {
        List<String> found = new ArrayList<>();
        for (byte[] raw : upstream.rawBodies().subList(from, upstream.rawBodies().size())) {
            String bytes = new String(raw, StandardCharsets.UTF_8);
            for (String original : ORIGINALS) {
                if (bytes.contains(original)) {
                    found.add(original + " in " + bytes);
                }
            }
        }
        for (JsonNode parsed : upstream.bodies().subList(from, upstream.bodies().size())) { // decoded: no escape hides a value
            for (String original : ORIGINALS) {
                if (parsed.toString().contains(original)) {
                    found.add(original + " in " + parsed);
                }
            }
        }
        return found;
    }

    @Test
    void withoutTheFilterTheOriginalsReachTheBackendSoTheSearchBelowCanFail() {
        try (Gateway gateway = gateway(false)) {
            gateway.chat(chat(gateway, body(false, EVERY_KIND), Caller.local()));
        }
        assertThat(leaks()).isNotEmpty();
    }

    @Test
    void noOriginalValueReachesTheBackendAndEachPersonKeepsOnePlaceholder() throws Exception {
        try (Gateway gateway = gateway(true)) {
            Outcome.Completed done = (Outcome.Completed) gateway.chat(chat(gateway, body(false, EVERY_KIND), Caller.local()));
            assertThat(done.body().at("/choices/0/message/content").asText()).endsWith("OK.");
        }
        assertThat(leaks()).isEmpty();
        JsonNode messages = upstream.bodies().getFirst().path("messages");
        // The user's literal [PERSON_1] was reserved: 张三 gets another number, the same in every message.
        String zhang = messages.at("/0/content").asText().replace("You help ", "").replace(".", "");
        String li = messages.at("/1/content").asText().replace(" is the manager.", "");
        assertThat(zhang).matches("\\[PERSON_\\d+]").isNotEqualTo("[PERSON_1]");
        assertThat(li).matches("\\[PERSON_\\d+]").isNotEqualTo(zhang).isNotEqualTo("[PERSON_1]");
        assertThat(messages.at("/2/content").asText()).isEqualTo("Call " + zhang + " at [PHONE_1].");
        assertThat(messages.at("/3/content/0/text").asText()).matches("and \\[PERSON_\\d+]");
        assertThat(messages.at("/3/content/1/image_url/url").asText()).isEqualTo("https://example.com/a.png");
        JsonNode arguments = JSON.readTree(messages.at("/4/tool_calls/0/function/arguments").asText());
        assertThat(arguments.path("who").asText()).isEqualTo(zhang);
        assertThat(arguments.path("phone").asText()).isEqualTo("[PHONE_1]");
        assertThat(arguments.at("/tags/0").asText()).isEqualTo(li);
        assertThat(arguments.at("/tags/1").asInt()).isEqualTo(7); // a number that is nobody's stays a number
        JsonNode result = JSON.readTree(messages.at("/5/content").asText());
        assertThat(result.path("note").asText()).isEqualTo(zhang + "'s friend");
        assertThat(messages.at("/6/refusal").asText()).isEqualTo("I will not tell " + li + ".");
        assertThat(messages.at("/7/content").asText()).isEqualTo("I typed [PERSON_1] myself; " + zhang + " again.");
    }

    @Test
    void legacyPromptsAndResponsesInputAreMaskedWhicheverApiTheBackendSpeaks() {
        try (Gateway gateway = gateway(true)) {
            ChatRequest legacy = Gateway.completionRequest(gateway.parse(
                    "{\"model\":\"poet\",\"prompt\":[\"Dear 张三\",\"call 13812345678\"]}".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            assertThat(gateway.completions(legacy, Optional.empty())).isInstanceOf(Outcome.Completed.class);
            for (String model : List.of("poet", "native")) {
                ResponsesRequest request = ResponsesRequest.of(gateway.parse(("{\"model\":\"" + model + "\","
                        + "\"instructions\":\"Be kind to 李四.\",\"input\":[{\"role\":\"user\",\"content\":"
                        + "[{\"type\":\"input_text\",\"text\":\"Find O\\\"Brien\"}]},{\"type\":\"function_call\",\"call_id\":"
                        + "\"c1\",\"name\":\"find\",\"arguments\":\"{\\\"q\\\":\\\"张三\\\"}\"},{\"type\":"
                        + "\"function_call_output\",\"call_id\":\"c1\",\"output\":\"13812345678\"}]}")
                        .getBytes(StandardCharsets.UTF_8)), Optional.empty());
                assertThat(gateway.responses(request)).isInstanceOf(Outcome.Completed.class);
            }
        }
        assertThat(leaks()).isEmpty();
        // The Responses backend got the masked chat form, not the client's input.
        assertThat(upstream.bodies()).hasSize(3).allSatisfy(b -> assertThat(b.has("input")).isFalse());
    }

    @Test
    void answersAreRestoredWholeAndStreamedArgumentsStayValidJson() throws Exception {
        upstream.toolCall(new OpenAiLoopback.ToolCall("lookup", "{\"who\":\"[PERSON_1]\",\"again\":\"[PERSON_1] [PERSON_9]\"}",
                "[PERSON_1] is found; [1] and [PERSON_9] stay."));
        String ask = body(false, "[{\"role\":\"user\",\"content\":\"Find O\\\"Brien\"}]");
        try (Gateway gateway = gateway(true)) {
            Outcome.Completed whole = (Outcome.Completed) gateway.chat(chat(gateway, ask, Caller.local()));
            JsonNode message = whole.body().at("/choices/0/message");
            assertThat(message.path("content").asText())
                    .isEqualTo("AI-generated [PERSON_1]\n\nO\"Brien is found; [1] and [PERSON_9] stay.");
            JsonNode arguments = JSON.readTree(message.at("/tool_calls/0/function/arguments").asText());
            assertThat(arguments.path("who").asText()).isEqualTo("O\"Brien");
            assertThat(arguments.path("again").asText()).isEqualTo("O\"Brien [PERSON_9]");

            Collected streamed = new Collected();
            gateway.stream(chat(gateway, ask.replace("\"stream\":false", "\"stream\":true"), Caller.local()), streamed);
            assertThat(streamed.content.toString()).isEqualTo(message.path("content").asText());
            JsonNode streamedArguments = JSON.readTree(streamed.arguments.toString());
            assertThat(streamedArguments).isEqualTo(arguments);
            assertThat(streamed.last.at("/aigc/contentId").asText()).isNotEmpty();

            ResponsesRequest responses = ResponsesRequest.of(gateway.parse(
                    "{\"model\":\"poet\",\"input\":\"Find O\\\"Brien\"}".getBytes(StandardCharsets.UTF_8)), Optional.empty());
            Outcome.Completed translated = (Outcome.Completed) gateway.responses(responses);
            JsonNode output = translated.body().path("output");
            assertThat(output.at("/0/content/0/text").asText()).endsWith("O\"Brien is found; [1] and [PERSON_9] stay.");
            assertThat(JSON.readTree(output.at("/1/arguments").asText())).isEqualTo(arguments);
        }
        assertThat(leaks()).isEmpty();
    }

    @Test
    void aStreamedResponsesAnswerHasItsTextAndFunctionCallArgumentsRestored() throws Exception {
        upstream.toolCall(new OpenAiLoopback.ToolCall("lookup", "{\"who\":\"[PERSON_1]\"}", "Found [PERSON_1]."));
        StringBuilder text = new StringBuilder();
        StringBuilder arguments = new StringBuilder();
        String[] done = new String[1];
        try (Gateway gateway = gateway(true)) {
            ResponsesRequest request = ResponsesRequest.of(gateway.parse(
                    "{\"model\":\"poet\",\"stream\":true,\"input\":\"Find O\\\"Brien\"}".getBytes(StandardCharsets.UTF_8)),
                    Optional.empty());
            gateway.responsesStream(request, new StreamSink() {
                @Override
                public void open() {
                }

                @Override
                public void send(byte[] event) throws java.io.IOException {
                    for (String line : new String(event, StandardCharsets.UTF_8).split("\n")) {
                        if (!line.startsWith("data: {")) {
                            continue;
                        }
                        JsonNode e = JSON.readTree(line.substring(6));
                        switch (e.path("type").asText()) {
                            case "response.output_text.delta" -> text.append(e.path("delta").asText());
                            case "response.function_call_arguments.delta" -> arguments.append(e.path("delta").asText());
                            case "response.function_call_arguments.done" -> done[0] = e.path("arguments").asText();
                            default -> {
                            }
                        }
                    }
                }
            });
        }
        assertThat(text.toString()).endsWith("Found O\"Brien.");
        assertThat(JSON.readTree(arguments.toString()).path("who").asText()).isEqualTo("O\"Brien");
        assertThat(done[0]).isEqualTo(arguments.toString());
        assertThat(leaks()).isEmpty();
    }

    @Test
    void restoringComesBeforeTheLabelSoAnAnswerStartingWithAPlaceholderIsProseAndTheLabelIsUntouched() {
        upstream.reply("[PERSON_1] is here.");
        String ask = body(true, "[{\"role\":\"user\",\"content\":\"Where is 张三?\"}]");
        try (Gateway gateway = gateway(true)) {
            Collected streamed = new Collected();
            gateway.stream(chat(gateway, ask, Caller.local()), streamed);
            // The label filter saw "张三 is here." (prose: label in front), not "[PERSON_1]..." (which starts like JSON).
            assertThat(streamed.content.toString()).isEqualTo("本内容由人工智能生成 [PERSON_1]\n\n张三 is here.");
            Outcome.Completed whole = (Outcome.Completed) gateway.chat(chat(gateway, ask.replace("true", "false"),
                    Caller.local()));
            assertThat(whole.body().at("/choices/0/message/content").asText()).isEqualTo(streamed.content.toString());
        }
    }

    @Test
    void aConversationKeepsItsPlaceholdersAcrossRequestsAndBelongsToOneOwner() {
        upstream.reply("[PERSON_1] and [PERSON_2].");
        Caller alice = Caller.of("key-a", Optional.of("trip-42"));
        try (Gateway gateway = gateway(true)) {
            Outcome.Completed first = (Outcome.Completed) gateway.chat(chat(gateway,
                    body(false, "[{\"role\":\"user\",\"content\":\"张三 meets 李四\"}]"), alice));
            assertThat(first.body().at("/choices/0/message/content").asText()).endsWith("张三 and 李四.");
            // Named the other way round in the next turn: the conversation's numbers hold.
            Outcome.Completed second = (Outcome.Completed) gateway.chat(chat(gateway,
                    body(false, "[{\"role\":\"user\",\"content\":\"李四 then 张三\"}]"), Caller.of("key-a", Optional.of("trip-42"))));
            assertThat(second.body().at("/choices/0/message/content").asText()).endsWith("张三 and 李四.");
            assertThat(upstream.bodies().get(1).at("/messages/0/content").asText()).isEqualTo("[PERSON_2] then [PERSON_1]");
            // Another key naming the same conversation gets nothing of it back.
            Outcome.Completed other = (Outcome.Completed) gateway.chat(chat(gateway,
                    body(false, "[{\"role\":\"user\",\"content\":\"Who are they?\"}]"), Caller.of("key-b", Optional.of("trip-42"))));
            // (Unrestored, the answer starts with "[": the label goes to its end, as for anything that starts like JSON.)
            assertThat(other.body().at("/choices/0/message/content").asText())
                    .isEqualTo("[PERSON_1] and [PERSON_2].\n\nAI-generated [PERSON_1]");
            // Without a conversation each request numbers afresh.
            gateway.chat(chat(gateway, body(false, "[{\"role\":\"user\",\"content\":\"李四 then 张三\"}]"), Caller.local()));
            assertThat(upstream.bodies().get(3).at("/messages/0/content").asText()).isEqualTo("[PERSON_1] then [PERSON_2]");
        }
        assertThat(leaks()).isEmpty();
    }

    /** Personal data in every field the targeted masking does not read, beside structural values that must arrive as sent. */
    private static final String EVERY_FIELD = """
            {"model":"poet","vendor_extra":"电话13812345678 张三","stop":["13812345678","张三"],
             "temperature":"电话13812345678","seed":13812345678,"user":"李四",
             "metadata":{"who":"张三","phone":"13812345678"},
             "tools":[{"type":"function","function":{"name":"lookup","description":"Finds 张三 by 13812345678",
                 "parameters":{"type":"object","properties":{"who":{"type":"string","enum":["李四"]}}}}}],
             "messages":[
               {"role":"assistant","content":"ok","reasoning_content":"张三 13812345678","prefix":"李四"},
               {"role":"user","name":"alice","content":[{"type":"text","text":"hi","extra":"张三 13812345678"},
                   {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]},
               {"role":"user","content":"hi","prefix":{"deep":["13812345678",13812345678,"李四"]}}]}""";

    @Test
    void everyOtherStringAndNumberAnywhereInTheBodyIsMaskedButStructuralValuesArriveAsSent() {
        try (Gateway gateway = gateway(false)) {
            gateway.chat(chat(gateway, EVERY_FIELD, Caller.local()));
        }
        // Unfiltered, the gateway forwards every one of these fields: the search below can fail.
        String raw = new String(upstream.rawBodies().getFirst(), StandardCharsets.UTF_8);
        assertThat(raw.split("13812345678", -1)).hasSize(11);
        try (Gateway gateway = gateway(true)) {
            assertThat(gateway.chat(chat(gateway, EVERY_FIELD, Caller.local()))).isInstanceOf(Outcome.Completed.class);
        }
        assertThat(leaks(1)).isEmpty();
        JsonNode sent = upstream.bodies().get(1);
        String phone = sent.at("/stop/0").asText();
        String zhang = sent.at("/stop/1").asText();
        String li = sent.path("user").asText();
        assertThat(phone).isEqualTo("[PHONE_1]");
        assertThat(zhang).matches("\\[PERSON_\\d+]");
        assertThat(li).matches("\\[PERSON_\\d+]").isNotEqualTo(zhang);
        assertThat(sent.path("vendor_extra").asText()).isEqualTo("电话" + phone + " " + zhang);
        assertThat(sent.path("temperature").asText()).isEqualTo("电话" + phone);
        assertThat(sent.path("seed").asText()).isEqualTo(phone); // a number that is a phone becomes a string placeholder
        assertThat(sent.at("/metadata/phone").asText()).isEqualTo(phone);
        assertThat(sent.at("/tools/0/function/description").asText()).isEqualTo("Finds " + zhang + " by " + phone);
        assertThat(sent.at("/tools/0/function/parameters/properties/who/enum/0").asText()).isEqualTo(li);
        assertThat(sent.at("/messages/0/reasoning_content").asText()).isEqualTo(zhang + " " + phone);
        assertThat(sent.at("/messages/0/prefix").asText()).isEqualTo(li);
        assertThat(sent.at("/messages/1/content/0/extra").asText()).isEqualTo(zhang + " " + phone);
        assertThat(sent.at("/messages/2/prefix/deep").toString()).isEqualTo("[\"" + phone + "\",\"" + phone + "\",\"" + li + "\"]");
        // Structural values: exactly as sent.
        assertThat(sent.at("/messages/1/content/1/image_url/url").asText()).isEqualTo("data:image/png;base64,iVBORw0KGgo=");
        assertThat(sent.at("/messages/1/content/1/image_url/detail").asText()).isEqualTo("low");
        assertThat(sent.at("/messages/1/name").asText()).isEqualTo("alice");
        assertThat(sent.at("/tools/0/function/name").asText()).isEqualTo("lookup");
        assertThat(sent.at("/tools/0/function/parameters/type").asText()).isEqualTo("object");
    }

    @Test
    void aResponsesBodyPassesThroughOnlyWhenNothingInItIsPersonalData() {
        try (Gateway gateway = gateway(true)) {
            for (String body : List.of(
                    "{\"model\":\"native\",\"input\":\"hi\",\"user\":\"13812345678\",\"metadata\":{\"who\":\"张三\"}}",
                    "{\"model\":\"native\",\"input\":[{\"role\":\"user\",\"content\":[{\"type\":\"input_text\","
                            + "\"text\":\"hi\",\"extra\":\"李四\"}]}],\"safety_identifier\":\"13812345678\"}",
                    "{\"model\":\"native\",\"input\":\"hi\",\"user\":\"someone\"}")) {
                ResponsesRequest request = ResponsesRequest.of(gateway.parse(body.getBytes(StandardCharsets.UTF_8)),
                        Optional.empty());
                assertThat(gateway.responses(request)).isInstanceOf(Outcome.Completed.class);
            }
        }
        assertThat(leaks()).isEmpty();
        // With personal data anywhere, the masked chat form went; the clean one passed through as sent.
        assertThat(upstream.bodies()).extracting(b -> b.has("input")).containsExactly(false, false, true);
    }

    @Test
    void aMessageContentThatIsNeitherStringNorPartsNorNullIsRefusedNamingTheFieldBeforeAnyBackend() {
        try (Gateway gateway = gateway(true)) {
            for (String content : List.of("13812345678", "{\"text\":\"电话13812345678\"}", "true")) {
                String ask = body(false, "[{\"role\":\"user\",\"content\":\"hi\"},{\"role\":\"user\",\"content\":"
                        + content + "}]");
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.chat(chat(gateway, ask, Caller.local())))
                        .isInstanceOfSatisfying(GatewayError.class, e -> {
                            assertThat(e.status()).isEqualTo(400);
                            assertThat(e.toJson(JSON).at("/error/param").asText()).isEqualTo("messages[1].content");
                            assertThat(e.toJson(JSON).at("/error/type").asText()).isEqualTo("invalid_request_error");
                        })
                        .hasMessageContaining("messages[1].content").hasMessageNotContaining("13812345678");
            }
        }
        assertThat(upstream.requests()).isZero();
    }

    @Test
    void aPlaceholderTheClientTypesIsNotRestoredSoItCannotReadTheConversationBack() {
        upstream.reply("You said [PHONE_1] and [PERSON_1].");
        Caller caller = Caller.of("key-a", Optional.of("oracle"));
        try (Gateway gateway = gateway(true)) {
            Outcome.Completed first = (Outcome.Completed) gateway.chat(chat(gateway,
                    body(false, "[{\"role\":\"user\",\"content\":\"我的电话13812345678, 张三\"}]"), caller));
            assertThat(first.body().at("/choices/0/message/content").asText()).endsWith("You said 13812345678 and 张三.");
            for (boolean stream : List.of(false, true)) {
                String ask = body(stream, "[{\"role\":\"user\",\"content\":\"repeat [PHONE_1]\"},"
                        + "{\"role\":\"user\",\"content\":\"hi\",\"extra\":\"and [PERSON_1]\"}]");
                ChatRequest request = chat(gateway, ask, Caller.of("key-a", Optional.of("oracle")));
                String answer;
                if (stream) {
                    Collected streamed = new Collected();
                    gateway.stream(request, streamed);
                    answer = streamed.content.toString();
                } else {
                    answer = ((Outcome.Completed) gateway.chat(request)).body().at("/choices/0/message/content").asText();
                }
                assertThat(answer).contains("You said [PHONE_1] and [PERSON_1].").doesNotContain("13812345678", "张三");
            }
            // A placeholder this request's own values were given is still restored, even when also typed; one
            // the request did not spell is the conversation's history and is restored as before.
            Outcome.Completed both = (Outcome.Completed) gateway.chat(chat(gateway,
                    body(false, "[{\"role\":\"user\",\"content\":\"[PHONE_1] is 13812345678\"}]"),
                    Caller.of("key-a", Optional.of("oracle"))));
            assertThat(both.body().at("/choices/0/message/content").asText()).endsWith("You said 13812345678 and 张三.");
        }
    }

    @Test
    void anUnparsableBodyIsRefusedWithLineAndColumnAndNoneOfItsText() {
        try (Gateway gateway = gateway(true)) {
            for (String body : List.of("{\"messages\":[{\"content\":zhang13800000009}]}", "{\"a\":\"张三13800000009",
                    "{\"a\":1} zhang13800000009", "{\"张三13800000009\" 1}", "{\"a\":\"\\q13800000009\"}",
                    "{\"a\":13800000009x}", "{\"a\":[13800000009}")) {
                org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.parse(body.getBytes(StandardCharsets.UTF_8)))
                        .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(400))
                        .hasMessageContaining("not valid JSON (line 1, column ")
                        .hasMessageNotContainingAny("13800000009", "zhang", "张三");
            }
            byte[] badUtf8 = "{\"a\":\"张三13800000009\"}".getBytes(StandardCharsets.UTF_8);
            badUtf8[7] = (byte) 0xff;
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> gateway.parse(badUtf8))
                    .isInstanceOf(GatewayError.class).hasMessageNotContainingAny("13800000009", "zhang", "张三");
        }
    }

    @Test
    void aConversationIdThatIsNotAPlainNameIsRefusedNamingTheHeader() {
        for (String bad : List.of("", "has space", "a/../b", "x".repeat(129), "名字", "id\r\nX-Other: 1")) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> Caller.of("key-a", Optional.of(bad)))
                    .isInstanceOfSatisfying(GatewayError.class, e -> assertThat(e.status()).isEqualTo(400))
                    .hasMessageContaining(Caller.CONVERSATION_HEADER);
        }
        assertThat(Caller.of("key-a", Optional.of("0b6f6c1e-4a5e-4f47-9d1c-2f5a7e9c3b10:turns")).conversation()).isPresent();
    }

    @Test
    void embeddingAndModerationInputsAreMaskedBeforeTheyAreRelayed() {
        try (Gateway gateway = gateway(true)) {
            JsonNode embed = gateway.parse("{\"model\":\"poet\",\"input\":[\"张三 at 13812345678\",\"李四\"]}"
                    .getBytes(StandardCharsets.UTF_8));
            gateway.filterRelayed(embed, Caller.local());
            assertThat(embed.at("/input/0").asText()).isEqualTo("[PERSON_1] at [PHONE_1]");
            assertThat(embed.at("/input/1").asText()).isEqualTo("[PERSON_2]");
            gateway.passThrough().embeddings(embed);
            JsonNode moderate = gateway.parse("{\"input\":\"O\\\"Brien says hi\"}".getBytes(StandardCharsets.UTF_8));
            gateway.filterRelayed(moderate, Caller.local());
            assertThat(moderate.get("input").asText()).isEqualTo("[PERSON_1] says hi");
        }
        assertThat(leaks()).isEmpty();
        assertThat(upstream.rawBodies()).isNotEmpty();
    }

    @Test
    void theCompositionRootPutsRestoringBeforeTheLabelAndMaskingLastUnlessSwitchedOff() throws Exception {
        Extension people = new Extension() {
            @Override
            public List<Recognizer> recognizers(Context context) {
                return List.of(new KnownPeople("张三"));
            }
        };
        ModelConfig models = ModelConfig.of(List.of(new Backend("p#0", "poet", Backend.Kind.OPENAI, upstream.baseUrl(),
                "", "", 1, 0, Backend.Limits.NONE)));
        app.close();
        try (Yuanjian on = Yuanjian.open(new Home(dir), Settings.defaults(), models, List.of(people), Map.of())) {
            assertThat(on.gateway().filterNames()).containsExactly("request:privacy-mask", "response:privacy-restore",
                    "response:gb45438-explicit");
            Outcome.Completed done = (Outcome.Completed) on.gateway().chat(chat(on.gateway(),
                    body(false, "[{\"role\":\"user\",\"content\":\"Hi 张三\"}]"), Caller.local()));
            assertThat(done).isNotNull();
            assertThat(upstream.bodies().getLast().at("/messages/0/content").asText()).isEqualTo("Hi [PERSON_1]");
        }
        try (Yuanjian off = Yuanjian.open(new Home(dir), Settings.defaults(), models, List.of(people),
                Map.of("YUANJIAN_PRIVACY_GATEWAY", "false"))) {
            assertThat(off.gateway().filterNames()).containsExactly("response:gb45438-explicit");
        }
        app = Yuanjian.open(new Home(dir), Settings.defaults(), Map.of()); // for close()
    }

    /** A stream as a client assembles it: the first choice's content and its first tool call's arguments. */
    static final class Collected implements StreamSink {
        final StringBuilder content = new StringBuilder();
        final StringBuilder arguments = new StringBuilder();
        JsonNode last;

        @Override
        public void open() {
        }

        @Override
        public void send(byte[] event) throws java.io.IOException {
            String e = new String(event, StandardCharsets.UTF_8);
            if (!e.startsWith("data: {")) {
                return;
            }
            JsonNode chunk = JSON.readTree(e.substring(6));
            for (JsonNode c : chunk.path("choices")) {
                JsonNode delta = c.path("delta");
                if (delta.path("content").isTextual()) {
                    content.append(delta.path("content").asText());
                }
                for (JsonNode call : delta.path("tool_calls")) {
                    arguments.append(call.path("function").path("arguments").asText(""));
                }
            }
            last = chunk;
        }
    }
}
