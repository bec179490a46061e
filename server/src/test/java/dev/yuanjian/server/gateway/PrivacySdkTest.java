package dev.yuanjian.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.gateway.Caller;
import dev.yuanjian.gateway.ExplicitLabelFilter;
import dev.yuanjian.gateway.Gateway;
import dev.yuanjian.gateway.PersonalDataFilter;
import dev.yuanjian.gateway.PersonalDataRestorer;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.keys.Scope;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.privacy.Analyzer;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.testing.KnownPeople;
import dev.yuanjian.testing.MemoryConversations;
import dev.yuanjian.testing.OpenAiLoopback;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official openai-java SDK through a gateway that masks personal data before the backend (a
 * loopback recording every request byte for byte) and restores it in answers, whole and streamed.
 */
class PrivacySdkTest {
    private static final List<String> ORIGINALS = List.of("张三", "李四", "O\"Brien", "O\\\"Brien", "13812345678");

    @TempDir
    Path dir;
    Yuanjian app;
    OpenAiLoopback upstream;
    Gateway gateway;
    Javalin javalin;
    OpenAIClient sdk;

    @BeforeEach
    void start() throws Exception {
        app = GatewayFixture.open(dir);
        upstream = new OpenAiLoopback();
        ModelConfig config = ModelConfig.of(List.of(GatewayFixture.backend("chat#0", "chat", upstream.baseUrl(), 0)));
        Pseudonymizer pseudonymizer = new Pseudonymizer(new Analyzer(List.of(new KnownPeople("张三", "李四", "O\"Brien"))));
        gateway = new Gateway(config, app.pipeline(),
                List.of(new PersonalDataFilter(pseudonymizer, Optional.of(new MemoryConversations()), JsonViews.mapper())),
                List.of(new PersonalDataRestorer(), new ExplicitLabelFilter(app.settings().explicit(), true)),
                JsonViews.mapper());
        javalin = Javalin.create(c -> {
            c.startup.showJavalinBanner = false;
            c.jetty.host = "127.0.0.1";
            c.jetty.port = 0;
            GatewayRoutes.install(c, gateway, app.gatekeeper());
        }).start();
        sdk = client("unused-on-localhost");
    }

    private OpenAIClient client(String key) {
        return OpenAIOkHttpClient.builder().baseUrl("http://127.0.0.1:" + javalin.port() + "/v1").apiKey(key)
                .maxRetries(0).build();
    }

    @AfterEach
    void stop() {
        sdk.close();
        javalin.stop();
        gateway.close();
        upstream.close();
        app.close();
    }

    private static ChatCompletionCreateParams ask(String text) {
        return ChatCompletionCreateParams.builder().model("chat").addUserMessage(text).build();
    }

    private void assertNothingLeaked() {
        assertThat(upstream.rawBodies()).isNotEmpty();
        for (byte[] raw : upstream.rawBodies()) {
            String body = new String(raw, StandardCharsets.UTF_8);
            assertThat(ORIGINALS).noneSatisfy(original -> assertThat(body).contains(original));
        }
        upstream.bodies().forEach(parsed -> assertThat(ORIGINALS).noneSatisfy(o -> assertThat(parsed.toString()).contains(o)));
    }

    private static String content(StreamResponse<ChatCompletionChunk> stream, List<String> pieces) {
        StringBuilder text = new StringBuilder();
        stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(piece -> {
            pieces.add(piece);
            text.append(piece);
        })));
        return text.toString();
    }

    @Test
    void aWholeAnswerComesBackRestored() {
        upstream.reply("[PERSON_1] answers at [PHONE_1].");
        ChatCompletion answer = sdk.chat().completions().create(ask("Ask 张三 on 13812345678."));
        assertThat(answer.choices().getFirst().message().content()).hasValueSatisfying(
                text -> assertThat(text).endsWith("\n\n张三 answers at 13812345678."));
        assertThat(upstream.bodies().getFirst().at("/messages/0/content").asText()).isEqualTo("Ask [PERSON_1] on [PHONE_1].");
        assertNothingLeaked();
    }

    @Test
    void aPlaceholderSplitOverSeveralChunksIsRestoredAndOnlyItsBeginningWaits() {
        upstream.shaped(new OpenAiLoopback.Shaped("{\"role\":\"assistant\",\"content\":\"Hi [PERSON_1], bye\"}",
                List.of("{\"role\":\"assistant\",\"content\":\"\"}", "{\"content\":\"Hi [P\"}", "{\"content\":\"ERS\"}",
                        "{\"content\":\"ON_\"}", "{\"content\":\"1\"}", "{\"content\":\"], bye\"}"), "stop"));
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask("Greet 李四"))) {
            assertThat(content(stream, pieces)).endsWith("\n\nHi 李四, bye");
        }
        // "Hi " went out with the chunk that began the placeholder; the name came with the chunk that closed it.
        assertThat(pieces).anySatisfy(p -> assertThat(p).endsWith("\n\nHi "));
        assertThat(pieces).contains("李四, bye");
        assertNothingLeaked();
    }

    @Test
    void toolCallArgumentsAreRestoredAsValidJsonWholeAndStreamed() throws Exception {
        upstream.toolCall("lookup", "{\"who\":\"[PERSON_1]\",\"phone\":\"[PHONE_1]\",\"ref\":\"[1]\"}");
        String prompt = "Look up O\"Brien, 13812345678.";
        ChatCompletion whole = sdk.chat().completions().create(ask(prompt));
        String wholeArguments = whole.choices().getFirst().message().toolCalls().orElseThrow().getFirst()
                .asFunction().function().arguments();
        var parsed = JsonViews.mapper().readTree(wholeArguments);
        assertThat(parsed.path("who").asText()).isEqualTo("O\"Brien");
        assertThat(parsed.path("phone").asText()).isEqualTo("13812345678");
        assertThat(parsed.path("ref").asText()).isEqualTo("[1]");

        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask(prompt))) {
            stream.stream().forEach(accumulator::accumulate); // the loopback streams arguments four characters a chunk
        }
        List<ChatCompletionMessageToolCall> calls = accumulator.chatCompletion().choices().getFirst().message().toolCalls()
                .orElseThrow();
        assertThat(calls).hasSize(1);
        assertThat(JsonViews.mapper().readTree(calls.getFirst().asFunction().function().arguments())).isEqualTo(parsed);
        assertNothingLeaked();
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void theFirstChunkArrivesWhileTheUpstreamStillWaits() {
        upstream.reply("你好 [PERSON_1] 再见");
        CountDownLatch received = new CountDownLatch(1);
        upstream.fault(new OpenAiLoopback.Fault.Pause(1, received)); // after "你好", nothing until the test has it
        List<String> pieces = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> stream = sdk.chat().completions().createStreaming(ask("问候张三"))) {
            StringBuilder text = new StringBuilder();
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(piece -> {
                if (!piece.isEmpty() && received.getCount() > 0) {
                    pieces.add(piece); // the first content the client got, while the upstream is paused
                    received.countDown();
                }
                text.append(piece);
            })));
            assertThat(text.toString()).endsWith("你好 张三 再见");
        } finally {
            received.countDown();
        }
        assertThat(pieces).singleElement().satisfies(first -> assertThat(first).endsWith("你好"));
        assertNothingLeaked();
    }

    @Test
    void aConversationHeaderKeepsPlaceholdersAcrossRequestsForOneKeyOnly() {
        upstream.reply("[PERSON_1] and [PERSON_2].");
        String alice = app.gatekeeper().keys().create("alice", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        String bob = app.gatekeeper().keys().create("bob", Set.of(Scope.GENERATE), ApiKey.Limits.NONE).secret();
        OpenAIClient a = client(alice);
        OpenAIClient b = client(bob);
        try {
            ChatCompletionCreateParams first = ask("张三 meets 李四").toBuilder()
                    .putAdditionalHeader(Caller.CONVERSATION_HEADER, "trip-42").build();
            assertThat(a.chat().completions().create(first).choices().getFirst().message().content().orElseThrow())
                    .endsWith("张三 and 李四.");
            ChatCompletionCreateParams second = ask("李四 then 张三").toBuilder()
                    .putAdditionalHeader(Caller.CONVERSATION_HEADER, "trip-42").build();
            assertThat(a.chat().completions().create(second).choices().getFirst().message().content().orElseThrow())
                    .endsWith("张三 and 李四.");
            assertThat(upstream.bodies().get(1).at("/messages/0/content").asText()).isEqualTo("[PERSON_2] then [PERSON_1]");
            ChatCompletionCreateParams stranger = ask("Who?").toBuilder()
                    .putAdditionalHeader(Caller.CONVERSATION_HEADER, "trip-42").build();
            assertThat(b.chat().completions().create(stranger).choices().getFirst().message().content().orElseThrow())
                    .startsWith("[PERSON_1] and [PERSON_2].");
        } finally {
            a.close();
            b.close();
        }
        assertNothingLeaked();
    }

    @Test
    void fieldsTheSdkAddsAreMaskedAndAPlaceholderTypedInAConversationReadsNothingBack() {
        upstream.reply("You said [PHONE_1].");
        ChatCompletionCreateParams first = ask("我的电话13812345678").toBuilder()
                .putAdditionalHeader(Caller.CONVERSATION_HEADER, "oracle")
                .putAdditionalBodyProperty("vendor_extra", com.openai.core.JsonValue.from("张三 13812345678"))
                .putAdditionalBodyProperty("stop", com.openai.core.JsonValue.from(List.of("李四")))
                .putAdditionalBodyProperty("temperature", com.openai.core.JsonValue.from("电话13812345678"))
                .build();
        assertThat(sdk.chat().completions().create(first).choices().getFirst().message().content().orElseThrow())
                .endsWith("You said 13812345678.");
        ChatCompletionCreateParams repeat = ask("repeat [PHONE_1]").toBuilder()
                .putAdditionalHeader(Caller.CONVERSATION_HEADER, "oracle").build();
        assertThat(sdk.chat().completions().create(repeat).choices().getFirst().message().content().orElseThrow())
                .endsWith("You said [PHONE_1].").doesNotContain("13812345678");
        assertNothingLeaked();
    }
}
