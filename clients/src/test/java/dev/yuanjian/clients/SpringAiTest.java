package dev.yuanjian.clients;

import static dev.yuanjian.clients.LiveGateway.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.Interceptor;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.document.Document;
import org.springframework.ai.embedding.EmbeddingResponse;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.OpenAiEmbeddingModel;
import org.springframework.ai.openai.OpenAiEmbeddingOptions;
import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;

/**
 * Spring AI's OpenAI model ({@code spring-ai-openai}, over the official openai-java SDK) and its
 * {@link ChatClient}, built from their builders without Spring Boot, against the gateway. Spring AI
 * copies unknown top-level fields of an answer into the response metadata, so the label is
 * {@code chatResponse.getMetadata().get("aigc")}; headers are read with an OkHttp interceptor added
 * through {@code httpClientBuilderCustomizer}.
 */
class SpringAiTest {
    private static final String PROMPT = "Say hello.";

    @TempDir
    Path dir;
    LiveGateway gw;
    final List<Map<String, String>> labelHeaders = new CopyOnWriteArrayList<>();
    ChatClient client;

    @BeforeEach
    void start() throws Exception {
        gw = new LiveGateway(dir);
        client = ChatClient.create(model(MODEL));
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** Keeps each answer's label headers, as an application's own interceptor would. */
    private final Interceptor readLabelHeaders = chain -> {
        Response response = chain.proceed(chain.request());
        String label = response.header("X-AIGC-Label");
        if (label != null) {
            labelHeaders.add(Map.of("X-AIGC-Label", label, "X-Content-Id", response.header("X-Content-Id", "")));
        }
        return response;
    };

    private OpenAiChatModel model(String name) {
        return OpenAiChatModel.builder()
                .options(OpenAiChatOptions.builder().baseUrl(gw.baseUrl()).apiKey("unused-on-localhost").model(name)
                        .maxRetries(0).timeout(Duration.ofSeconds(20)).build())
                .httpClientBuilderCustomizer(b -> b.interceptor(readLabelHeaders)).build();
    }

    @SuppressWarnings("unchecked")
    private static String contentIdOf(ChatResponse response) {
        Object aigc = response.getMetadata().get("aigc");
        assertThat(aigc).as("aigc in the metadata of " + response.getMetadata()).isInstanceOf(Map.class);
        return String.valueOf(((Map<String, Object>) aigc).get("contentId"));
    }

    @Test
    void chatWithParametersComesBackLabelledWithTheLabelInMetadataAndHeaders() throws Exception {
        ChatResponse response = client.prompt().user(PROMPT)
                .options(OpenAiChatOptions.builder().temperature(0.2).maxTokens(64)).call().chatResponse();

        String text = response.getResult().getOutput().getText();
        assertThat(text).isEqualTo(gw.labelledReply(PROMPT));
        JsonNode sent = gw.upstream.bodies().getFirst();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        String contentId = contentIdOf(response);
        gw.assertLogged(contentId, text);
        assertThat(labelHeaders).singleElement().satisfies(h -> {
            assertThat(h.get("X-Content-Id")).isEqualTo(contentId);
            assertThat(Labels.json(h.get("X-AIGC-Label")).path("ProduceID").asText()).isEqualTo(contentId);
        });
    }

    @Test
    void streamingDeliversEveryPieceAndTheLastResponseCarriesTheLabel() throws Exception {
        List<ChatResponse> responses = client.prompt().user(PROMPT).stream().chatResponse().collectList()
                .block(Duration.ofSeconds(20));

        StringBuilder text = new StringBuilder();
        responses.forEach(r -> r.getResults().forEach(g -> {
            if (g.getOutput().getText() != null) {
                text.append(g.getOutput().getText());
            }
        }));
        assertThat(text.toString()).isEqualTo(gw.labelledReply(PROMPT));
        String contentId = responses.stream().filter(r -> r.getMetadata().containsKey("aigc"))
                .map(SpringAiTest::contentIdOf).findFirst().orElseThrow(() -> new AssertionError("no aigc in " + responses));
        gw.assertLogged(contentId, text.toString());
    }

    /** What the model may call in the tool round trip. */
    static final class Weather {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Tool(description = "Current weather in a city")
        String weather(@ToolParam(description = "the city") String city) {
            asked.add(city);
            return "Sunny, 21 degrees in " + city;
        }
    }

    @Test
    void aToolCallRoundTripRunsTheToolAndSendsItsResultBack() {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        Weather weather = new Weather();

        String answer = client.prompt().user("What is the weather in Hangzhou?").tools(weather).call().content();

        assertThat(weather.asked).containsExactly("Hangzhou");
        JsonNode history = gw.upstream.bodies().get(1).path("messages");
        JsonNode call = history.get(history.size() - 2);
        assertThat(call.path("content").isNull() || call.path("content").isMissingNode()
                || call.path("content").asText().isEmpty())
                .as("the tool-call turn went back upstream without a label in its content: " + call).isTrue();
        JsonNode result = history.get(history.size() - 1);
        assertThat(result.path("role").asText()).isEqualTo("tool");
        assertThat(result.path("tool_call_id").asText()).isEqualTo(call.at("/tool_calls/0/id").asText());
        assertThat(result.path("content").asText()).contains("Sunny, 21 degrees in Hangzhou");
        assertThat(answer).isEqualTo(gw.labelledReply("What is the weather in Hangzhou?"));
    }

    @Test
    void aStreamedToolCallRoundTripRunsTheTool() {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        Weather weather = new Weather();

        String answer = String.join("", client.prompt().user("What is the weather in Hangzhou?").tools(weather)
                .stream().content().collectList().block(Duration.ofSeconds(20)));

        assertThat(weather.asked).containsExactly("Hangzhou");
        assertThat(answer).isEqualTo(gw.labelledReply("What is the weather in Hangzhou?"));
    }

    record City(String name, long population) {
    }

    @Test
    void jsonModeAndProviderStructuredOutputParse() {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");

        String json = client.prompt().user("Hangzhou as JSON").options(OpenAiChatOptions.builder()
                .responseFormat(OpenAiChatModel.ResponseFormat.builder().type(OpenAiChatModel.ResponseFormat.Type.JSON_OBJECT)
                        .build())).call().content();
        assertThat(Labels.json(json).path("population").asLong()).isEqualTo(12_000_000L);

        City city = client.prompt().user("Describe Hangzhou").call()
                .entity(City.class, spec -> spec.useProviderStructuredOutput());
        assertThat(city).isEqualTo(new City("Hangzhou", 12_000_000L));
        assertThat(gw.upstream.bodies().getLast().at("/response_format/type").asText()).isEqualTo("json_schema");
    }

    @Test
    void promptInstructedStructuredOutputParses() {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");

        City city = client.prompt().user("Describe Hangzhou").call().entity(City.class);

        assertThat(city).isEqualTo(new City("Hangzhou", 12_000_000L));
        assertThat(gw.upstream.bodies().getLast().has("response_format")).isFalse();
    }

    @Test
    void errorsArriveAsTheSdksExceptions() {
        ChatClient unknown = ChatClient.create(model("no-such-model"));
        assertThatThrownBy(() -> unknown.prompt().user(PROMPT).call().content())
                .isInstanceOf(NotFoundException.class).hasMessageContaining("no-such-model");
        gw.upstream.fault(new OpenAiLoopback.Fault.Status(400, null));
        assertThatThrownBy(() -> client.prompt().user(PROMPT).call().content())
                .isInstanceOf(BadRequestException.class).hasMessageContaining("injected 400");
        gw.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
        assertThatThrownBy(() -> client.prompt().user(PROMPT).stream().content().collectList().block(Duration.ofSeconds(20)))
                .hasMessageContaining("stream broke");
    }

    @Test
    void embeddingsComeBackAsVectors() {
        OpenAiEmbeddingModel model = new OpenAiEmbeddingModel(OpenAiEmbeddingOptions.builder().baseUrl(gw.baseUrl())
                .apiKey("unused-on-localhost").model(MODEL).build());

        EmbeddingResponse response = model.call(new org.springframework.ai.embedding.EmbeddingRequest(
                List.of("hello", "world"), null));

        assertThat(response.getResults()).hasSize(2).allSatisfy(e -> assertThat(e.getOutput()).isNotEmpty());
        assertThat(model.embed(new Document("hello"))).isNotEmpty();
    }
}
