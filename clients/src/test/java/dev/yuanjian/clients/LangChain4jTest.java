package dev.yuanjian.clients;

import static dev.yuanjian.clients.LiveGateway.MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEvent;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.openai.OpenAiEmbeddingModel;
import dev.langchain4j.model.openai.OpenAiModerationModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.service.AiServices;
import dev.yuanjian.testing.OpenAiLoopback;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LangChain4j's OpenAI models ({@code langchain4j-open-ai}) against the gateway with only the base
 * URL changed: chat with parameters, streams, a tool round trip, JSON mode and structured output,
 * errors as LangChain4j's exceptions. The label is read from the metadata's raw HTTP response (body's
 * {@code aigc}, headers) and, in streams, from the raw server-sent events.
 */
class LangChain4jTest {
    private static final String PROMPT = "Say hello.";

    @TempDir
    Path dir;
    LiveGateway gw;

    @BeforeEach
    void start() throws Exception {
        gw = new LiveGateway(dir);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    private OpenAiChatModel.OpenAiChatModelBuilder chatModel() {
        return OpenAiChatModel.builder().baseUrl(gw.baseUrl()).apiKey("unused-on-localhost").modelName(MODEL).maxRetries(0);
    }

    private OpenAiStreamingChatModel.OpenAiStreamingChatModelBuilder streamingModel() {
        return OpenAiStreamingChatModel.builder().baseUrl(gw.baseUrl()).apiKey("unused-on-localhost").modelName(MODEL);
    }

    private static ChatRequest ask(String prompt) {
        return ChatRequest.builder().messages(UserMessage.from(prompt)).build();
    }

    /** The {@code aigc} object of a whole answer, checked against both headers. */
    private static JsonNode aigcOf(ChatResponse response) {
        SuccessfulHttpResponse raw = ((OpenAiChatResponseMetadata) response.metadata()).rawHttpResponse();
        JsonNode aigc = Labels.json(raw.body()).path("aigc");
        assertThat(Labels.header(raw.headers(), "X-Content-Id")).isEqualTo(aigc.path("contentId").asText());
        assertThat(Labels.json(Labels.header(raw.headers(), "X-AIGC-Label")).path("ProduceID").asText())
                .isEqualTo(aigc.path("contentId").asText());
        return aigc;
    }

    /** Streams {@code request}; the complete response, or the error LangChain4j reported. */
    private static CompletableFuture<ChatResponse> stream(OpenAiStreamingChatModel model, ChatRequest request,
            List<String> pieces) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String piece) {
                pieces.add(piece);
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done;
    }

    @Test
    void chatWithParametersComesBackLabelledAndTheRawResponseCarriesTheLabel() throws Exception {
        ChatResponse response = chatModel().temperature(0.2).maxTokens(64).build().chat(ask(PROMPT));

        String text = response.aiMessage().text();
        assertThat(text).isEqualTo(gw.labelledReply(PROMPT));
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        JsonNode sent = gw.upstream.bodies().getFirst();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(64);
        assertThat(sent.path("model").asText()).isEqualTo("upstream-chat");
        JsonNode aigc = aigcOf(response);
        assertThat(aigc.path("Label").asText()).isEqualTo("1");
        gw.assertLogged(aigc.path("contentId").asText(), text);
    }

    @Test
    void streamingDeliversEveryPieceAndTheRawEventsCarryTheLabel() throws Exception {
        List<String> pieces = new CopyOnWriteArrayList<>();
        ChatResponse response = stream(streamingModel().build(), ask(PROMPT), pieces).get(20, TimeUnit.SECONDS);

        String text = response.aiMessage().text();
        assertThat(text).isEqualTo(gw.labelledReply(PROMPT)).isEqualTo(String.join("", pieces));
        assertThat(response.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(gw.upstream.bodies().getFirst().at("/stream_options/include_usage").asBoolean()).isTrue();
        assertThat(response.tokenUsage().totalTokenCount()).as("the upstream's usage chunk reached the client").isPositive();
        List<ServerSentEvent> events = ((OpenAiChatResponseMetadata) response.metadata()).rawServerSentEvents();
        JsonNode aigc = Labels.aigcIn(events.stream().map(ServerSentEvent::data).toList())
                .orElseThrow(() -> new AssertionError("no aigc in " + events));
        gw.assertLogged(aigc.path("contentId").asText(), text);
    }

    /** What the assistant in the tool round trip may call. */
    static final class Weather {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Tool("Current weather in a city")
        String weather(@P("the city") String city) {
            asked.add(city);
            return "Sunny, 21 degrees in " + city;
        }
    }

    interface Assistant {
        String chat(String message);
    }

    @Test
    void aToolCallRoundTripRunsTheToolAndSendsItsResultBack() throws Exception {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        Weather weather = new Weather();
        Assistant assistant = AiServices.builder(Assistant.class).chatModel(chatModel().build()).tools(weather).build();

        String answer = assistant.chat("What is the weather in Hangzhou?");

        assertThat(weather.asked).containsExactly("Hangzhou");
        List<JsonNode> bodies = gw.upstream.bodies();
        assertThat(bodies).hasSize(2);
        JsonNode history = bodies.get(1).path("messages");
        JsonNode call = history.get(history.size() - 2);
        assertThat(call.path("role").asText()).isEqualTo("assistant");
        assertThat(call.path("content").isNull() || call.path("content").isMissingNode())
                .as("the tool-call turn went back upstream without a label in its content: " + call).isTrue();
        JsonNode result = history.get(history.size() - 1);
        assertThat(result.path("role").asText()).isEqualTo("tool");
        assertThat(result.path("tool_call_id").asText()).isEqualTo(call.at("/tool_calls/0/id").asText());
        assertThat(result.path("content").asText()).isEqualTo("Sunny, 21 degrees in Hangzhou");
        assertThat(answer).isEqualTo(gw.labelledReply("What is the weather in Hangzhou?"));
    }

    @Test
    void aStreamedToolCallArrivesWholeWithoutLabelText() throws Exception {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        ToolSpecification spec = ToolSpecification.builder().name("weather").description("Current weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").required("city").build()).build();
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Weather in Hangzhou?"))
                .toolSpecifications(spec).build();
        List<String> pieces = new CopyOnWriteArrayList<>();

        ChatResponse response = stream(streamingModel().build(), request, pieces).get(20, TimeUnit.SECONDS);

        assertThat(response.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        ToolExecutionRequest call = response.aiMessage().toolExecutionRequests().getFirst();
        assertThat(call.name()).isEqualTo("weather");
        assertThat(Labels.json(call.arguments()).path("city").asText()).isEqualTo("Hangzhou");
        assertThat(response.aiMessage().text()).as("a tool-call turn has no text to label").isNullOrEmpty();
        assertThat(pieces).isEmpty();
    }

    @Test
    void jsonModeAnswersParseAndCarryTheLabelBesideThem() throws Exception {
        gw.upstream.reply("{\"city\": \"Hangzhou\", \"population\": 12000000}");
        ChatRequest request = ChatRequest.builder().messages(UserMessage.from("Hangzhou as JSON"))
                .responseFormat(ResponseFormat.JSON).build();

        ChatResponse response = chatModel().build().chat(request);

        JsonNode answer = Labels.json(response.aiMessage().text());
        assertThat(answer.path("population").asLong()).isEqualTo(12_000_000L);
        assertThat(gw.upstream.bodies().getFirst().at("/response_format/type").asText()).isEqualTo("json_object");
        gw.assertLogged(aigcOf(response).path("contentId").asText(), response.aiMessage().text());

        List<String> pieces = new CopyOnWriteArrayList<>();
        ChatResponse streamed = stream(streamingModel().build(), request, pieces).get(20, TimeUnit.SECONDS);
        assertThat(Labels.json(streamed.aiMessage().text()).path("city").asText()).isEqualTo("Hangzhou");
    }

    record City(String name, long population) {
    }

    interface Geographer {
        City describe(String city);
    }

    @Test
    void structuredOutputFillsARecord() {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");
        OpenAiChatModel model = chatModel().supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
                .strictJsonSchema(true).build();

        City city = AiServices.create(Geographer.class, model).describe("Hangzhou");

        assertThat(city).isEqualTo(new City("Hangzhou", 12_000_000L));
        assertThat(gw.upstream.bodies().getFirst().at("/response_format/type").asText()).isEqualTo("json_schema");
    }

    @Test
    void structuredOutputAskedInThePromptStillParsesWithTheVisibleLabel() {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");

        City city = AiServices.create(Geographer.class, chatModel().build()).describe("Hangzhou");

        // Without a JSON schema capability LangChain4j asks for JSON in the prompt and finds the object in
        // the answer, so the label in front of it does no harm here (Spring AI's parser is stricter).
        assertThat(city).isEqualTo(new City("Hangzhou", 12_000_000L));
        assertThat(gw.upstream.bodies().getFirst().has("response_format")).isFalse();
    }

    @Test
    void errorsArriveAsLangChain4jsOwnExceptions() {
        assertThatThrownBy(() -> chatModel().modelName("no-such-model").build().chat(ask(PROMPT)))
                .isInstanceOf(ModelNotFoundException.class).hasMessageContaining("no-such-model");
        gw.upstream.fault(new OpenAiLoopback.Fault.Status(400, null));
        assertThatThrownBy(() -> chatModel().build().chat(ask(PROMPT)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("injected 400");
    }

    @Test
    void aStreamThatBreaksMidWayEndsInOnError() throws Exception {
        gw.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
        List<String> pieces = new CopyOnWriteArrayList<>();
        CompletableFuture<ChatResponse> done = stream(streamingModel().build(), ask(PROMPT), pieces);

        assertThatThrownBy(() -> done.get(20, TimeUnit.SECONDS))
                .as("a truncated answer must not be reported complete").hasMessageContaining("stream broke");
    }

    @Test
    void moderationAnswers() {
        OpenAiModerationModel model = OpenAiModerationModel.builder().baseUrl(gw.baseUrl()).apiKey("unused-on-localhost")
                .modelName(MODEL).maxRetries(0).build();

        assertThat(model.moderate("hello").content().flagged()).isFalse();
    }

    @Test
    void embeddingsComeBackAsVectors() {
        OpenAiEmbeddingModel model = OpenAiEmbeddingModel.builder().baseUrl(gw.baseUrl()).apiKey("unused-on-localhost")
                .modelName(MODEL).maxRetries(0).build();

        var response = model.embedAll(List.of(dev.langchain4j.data.segment.TextSegment.from("hello"),
                dev.langchain4j.data.segment.TextSegment.from("world")));

        assertThat(response.content()).hasSize(2).allSatisfy(e -> assertThat(e.vector()).isNotEmpty());
    }
}
