package dev.yuanjian.clients;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.testing.ExternalTools;
import dev.yuanjian.testing.OpenAiLoopback;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The JavaScript clients against the gateway: the official Node SDK ({@code js/openai-sdk.mjs}) and
 * the Vercel AI SDK over {@code openai.chat(...)} ({@code js/ai-sdk.mjs}). Each scenario runs as one
 * {@code node} process that prints its result as JSON; the assertions are here. Needs Node 20+ and
 * {@code clients/js/install} (npm ci); without them the tests skip, unless yuanjian.requireTools=true.
 */
class NodeClientsTest {
    private static final Path JS = Path.of("js").toAbsolutePath();
    private static final String PROMPT = "Say hello.";
    private static final String WEATHER_PROMPT = "What is the weather in Hangzhou?";
    private static Path node;

    @TempDir
    Path dir;
    LiveGateway gw;

    @BeforeAll
    static void needsNodeAndTheClients() {
        node = ExternalTools.require("node", "nodejs");
        if (!Files.isDirectory(JS.resolve("node_modules/openai")) || !Files.isDirectory(JS.resolve("node_modules/ai"))) {
            ExternalTools.missing(JS.resolve("node_modules") + " lacks the JavaScript clients; install them with: "
                    + "clients/js/install (npm ci)");
        }
    }

    @BeforeEach
    void start() throws Exception {
        gw = new LiveGateway(dir);
    }

    @AfterEach
    void stop() {
        gw.close();
    }

    /** Runs {@code scenario} of {@code script} under node and returns the JSON line it printed. */
    private JsonNode run(String script, String scenario) throws IOException, InterruptedException {
        Path out = dir.resolve(script + "." + scenario + ".out");
        Path err = dir.resolve(script + "." + scenario + ".err");
        ProcessBuilder builder = new ProcessBuilder(node.toString(), script, scenario).directory(JS.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().put("YUANJIAN_BASE_URL", gw.baseUrl());
        Process process = builder.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(script + " " + scenario + " did not end within 60 s; stderr: " + Files.readString(err));
        }
        List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);
        String stderr = Files.readString(err, StandardCharsets.UTF_8);
        assertThat(process.exitValue()).as(script + " " + scenario + " exit code; stderr: " + stderr).isZero();
        assertThat(lines).as(script + " " + scenario + " printed a result; stderr: " + stderr).isNotEmpty();
        return Labels.json(lines.getLast());
    }

    private JsonNode succeed(String script, String scenario) throws Exception {
        JsonNode result = run(script, scenario);
        assertThat(result.path("ok").asBoolean()).as(script + " " + scenario + ": " + result).isTrue();
        return result;
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void chatWithParametersComesBackLabelledWithTheLabelInBodyAndHeaders(String script) throws Exception {
        JsonNode result = succeed(script, "chat");

        String text = result.path("text").asText();
        assertThat(text).isEqualTo(gw.labelledReply(PROMPT));
        JsonNode sent = gw.upstream.bodies().getFirst();
        assertThat(sent.path("temperature").asDouble()).isEqualTo(0.2);
        assertThat(sent.has("max_tokens") ? sent.path("max_tokens").asInt() : sent.path("max_completion_tokens").asInt())
                .isEqualTo(64);
        String contentId = result.at("/aigc/contentId").asText();
        gw.assertLogged(contentId, text);
        assertThat(result.at("/headers/contentId").asText()).isEqualTo(contentId);
        assertThat(Labels.json(result.at("/headers/label").asText()).path("ProduceID").asText()).isEqualTo(contentId);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void streamingDeliversEveryPieceAndAChunkCarriesTheLabel(String script) throws Exception {
        JsonNode result = succeed(script, "stream");

        String text = result.path("text").asText();
        assertThat(text).isEqualTo(gw.labelledReply(PROMPT));
        gw.assertLogged(result.at("/aigc/contentId").asText(), text);
        if (script.equals("ai-sdk.mjs")) {
            assertThat(result.path("errors")).isEmpty();
            assertThat(result.path("finishReason").asText()).isEqualTo("stop");
            assertThat(result.path("totalTokens").asInt()).as("the upstream's usage chunk reached the client").isPositive();
        }
    }

    @Test
    void theQuickStartStreamLoopMeetsNoEmptyChoices() throws Exception {
        JsonNode result = succeed("openai-sdk.mjs", "stream");

        assertThat(result.path("emptyChoiceChunks").asInt()).isZero();
        assertThat(result.path("quickStartError").isNull()).as(result.toString()).isTrue();
    }

    private void assertToolRoundTrip(JsonNode result) {
        assertThat(result.path("calls")).singleElement().satisfies(c -> assertThat(c.path("city").asText()).isEqualTo("Hangzhou"));
        assertThat(result.path("toolTurnText").asText("")).as("a tool-call turn has no text to label").isEmpty();
        List<JsonNode> bodies = gw.upstream.bodies();
        assertThat(bodies).hasSize(2);
        JsonNode history = bodies.get(1).path("messages");
        JsonNode call = history.get(history.size() - 2);
        assertThat(call.path("content").asText("")).as("the tool-call turn went back upstream unlabelled: " + call).isEmpty();
        JsonNode toolResult = history.get(history.size() - 1);
        assertThat(toolResult.path("role").asText()).isEqualTo("tool");
        assertThat(toolResult.path("tool_call_id").asText()).isEqualTo(call.at("/tool_calls/0/id").asText());
        assertThat(toolResult.path("content").asText()).contains("Sunny, 21 degrees in Hangzhou");
        assertThat(result.path("text").asText()).isEqualTo(gw.labelledReply(WEATHER_PROMPT));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void aToolCallRoundTripRunsTheToolAndSendsItsResultBack(String script) throws Exception {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        assertToolRoundTrip(succeed(script, "tools"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void aStreamedToolCallRoundTripRunsTheTool(String script) throws Exception {
        gw.upstream.toolArguments("{\"city\":\"Hangzhou\"}");
        assertToolRoundTrip(succeed(script, "streamedTools"));
    }

    @Test
    void jsonModeAnswersParse() throws Exception {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");
        JsonNode result = succeed("openai-sdk.mjs", "json");

        assertThat(result.at("/parsed/population").asLong()).isEqualTo(12_000_000L);
        assertThat(gw.upstream.bodies().getFirst().at("/response_format/type").asText()).isEqualTo("json_object");
        assertThat(result.at("/aigc/contentId").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void structuredOutputParsesIntoTheSchema(String script) throws Exception {
        gw.upstream.reply("{\"name\": \"Hangzhou\", \"population\": 12000000}");
        JsonNode result = succeed(script, "structured");

        assertThat(result.at("/parsed/name").asText()).isEqualTo("Hangzhou");
        assertThat(result.at("/parsed/population").asLong()).isEqualTo(12_000_000L);
        assertThat(gw.upstream.bodies().getFirst().at("/response_format/type").asText()).isEqualTo("json_schema");
        assertThat(result.at("/aigc/contentId").asText()).isNotBlank();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void errorsArriveAsTheClientsOwnErrors(String script) throws Exception {
        gw.upstream.fault(new OpenAiLoopback.Fault.Status(400, null));
        JsonNode badRequest = run(script, "error");
        assertThat(badRequest.path("ok").asBoolean()).isFalse();
        assertThat(badRequest.at("/error/status").asInt()).isEqualTo(400);
        assertThat(badRequest.at("/error/message").asText()).contains("injected 400");
        assertThat(badRequest.at("/error/name").asText()).isIn("BadRequestError", "APICallError");

        JsonNode unknown = run(script, "unknownModel");
        assertThat(unknown.at("/error/status").asInt()).isEqualTo(404);
        assertThat(unknown.at("/error/message").asText()).contains("no-such-model");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void aStreamThatBreaksMidWayIsAnError(String script) throws Exception {
        gw.upstream.fault(new OpenAiLoopback.Fault.DropMidStream(2));
        JsonNode result = run(script, "brokenStream");

        assertThat(result.path("ok").asBoolean()).as("a truncated answer must not look complete: " + result).isFalse();
        assertThat(result.at("/error/message").asText()).contains("stream broke");
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void embeddingsComeBackAsVectors(String script) throws Exception {
        assertThat(succeed(script, "embeddings").path("dimensions").asInt()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"openai-sdk.mjs", "ai-sdk.mjs"})
    void responsesComeBackLabelled(String script) throws Exception {
        JsonNode result = succeed(script, "responses");

        gw.assertLogged(result.at("/aigc/contentId").asText(), result.path("text").asText());
    }
}
