package dev.yuanjian.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model list from YAML, from environment variables, and from a detected Ollama. */
class ModelConfigTest {
    @TempDir
    Path dir;

    @Test
    void yamlModelListWithVariablesLimitsAndGatewaySettings() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                models:
                  - name: chat
                    baseUrl: https://api.deepseek.com/v1
                    apiKey: ${DEEPSEEK_API_KEY}
                    upstreamModel: deepseek-chat
                    priority: 1
                    weight: 3
                    limits: {maxConcurrent: 8, requestsPerMinute: 600}
                  - name: pictures
                    kind: sd-webui
                    baseUrl: http://127.0.0.1:7860
                gateway:
                  explicitLabel: true
                  fallbacks: {chat: [local]}
                  timeouts: {firstByteMs: 5000}
                  keepAliveSeconds: 15
                  retries: {max: 3, maxRetryAfterMs: 2000}
                  breaker: {failures: 4, openMs: 1000}
                """);

        ModelConfig c = ModelConfig.load(file, Map.of("DEEPSEEK_API_KEY", "sk-secret"), OllamaProbe.NONE);

        assertThat(c.source()).isEqualTo(ModelConfig.Source.CONFIG);
        Backend chat = c.backends().getFirst();
        assertThat(chat.apiKey()).isEqualTo("sk-secret");
        assertThat(chat.toString()).doesNotContain("sk-secret");
        assertThat(chat.resolve("/chat/completions").toString()).isEqualTo("https://api.deepseek.com/v1/chat/completions");
        assertThat(chat.limits()).isEqualTo(new Backend.Limits(8, 600));
        assertThat(c.backends().get(1).kind()).isEqualTo(Backend.Kind.SD_WEBUI);
        assertThat(c.explicitText()).isTrue();
        assertThat(c.fallbacks()).containsEntry("chat", List.of("local"));
        assertThat(c.timeouts().firstByte()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.timeouts().keepAlive()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.retries().max()).isEqualTo(3);
        assertThat(c.breaker().failures()).isEqualTo(4);

        assertThatThrownBy(() -> ModelConfig.load(file, Map.of(), OllamaProbe.NONE))
                .hasMessageContaining("DEEPSEEK_API_KEY");
    }

    @Test
    void eachBackendSaysWhichApiServesTheResponsesEndpoint() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                models:
                  - {name: gpt, baseUrl: https://api.openai.com/v1, api: responses}
                  - {name: local, baseUrl: http://127.0.0.1:8000/v1}
                """);
        assertThat(ModelConfig.load(file, Map.of(), OllamaProbe.NONE).backends()).extracting(Backend::api)
                .containsExactly(Backend.Api.RESPONSES, Backend.Api.CHAT);

        Files.writeString(file, "models: [{name: gpt, baseUrl: 'https://api.openai.com/v1', api: assistants}]");
        assertThatThrownBy(() -> ModelConfig.load(file, Map.of(), OllamaProbe.NONE))
                .hasMessageContaining("model gpt: api must be chat or responses, got assistants");
    }

    @Test
    void modelsDeclareTheirEndpointsAndImageFormat() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, """
                models:
                  - name: chat
                    baseUrl: http://127.0.0.1:8000/v1
                    endpoints: [chat, completions]
                  - name: embed
                    baseUrl: http://127.0.0.1:8001/v1
                    endpoints: [Embeddings]
                  - name: pictures
                    baseUrl: https://api.openai.com/v1
                    upstreamModel: gpt-image-1
                  - name: dalle
                    baseUrl: https://api.openai.com/v1
                    upstreamModel: dall-e-3
                  - name: local-images
                    baseUrl: http://127.0.0.1:9000/v1
                    imageResponseFormat: url
                  - name: sd
                    kind: sd-webui
                    baseUrl: http://127.0.0.1:7860
                gateway:
                  imageFetch: {maxMb: 5, timeoutMs: 2000}
                """);
        ModelConfig c = ModelConfig.load(file, Map.of(), OllamaProbe.NONE);

        assertThat(c.backends().get(0).endpoints()).containsExactlyInAnyOrder(Backend.Endpoint.CHAT, Backend.Endpoint.COMPLETIONS);
        assertThat(c.backends().get(1).serves(Backend.Endpoint.EMBEDDINGS)).isTrue();
        assertThat(c.backends().get(1).serves(Backend.Endpoint.CHAT)).isFalse();
        assertThat(c.backends().get(2).endpoints()).as("an OpenAI backend serves everything by default")
                .containsExactlyInAnyOrder(Backend.Endpoint.values());
        assertThat(c.backends().get(2).imageFormat()).isEqualTo(Backend.ImageFormat.NONE);
        assertThat(c.backends().get(3).imageFormat()).isEqualTo(Backend.ImageFormat.B64_JSON);
        assertThat(c.backends().get(4).imageFormat()).isEqualTo(Backend.ImageFormat.URL);
        assertThat(c.backends().get(5).endpoints()).containsExactly(Backend.Endpoint.IMAGES);
        assertThat(c.imageFetch()).isEqualTo(new ModelConfig.ImageFetch(5L << 20, Duration.ofSeconds(2)));

        for (String wrong : List.of("endpoints: [chat, telepathy]", "endpoints: []", "imageResponseFormat: png")) {
            Files.writeString(file, "models:\n  - name: m\n    baseUrl: http://127.0.0.1:1/v1\n    " + wrong + "\n");
            assertThatThrownBy(() -> ModelConfig.load(file, Map.of(), OllamaProbe.NONE)).as(wrong)
                    .hasMessageContaining("model m:");
        }
        Files.writeString(file, "models:\n  - name: m\n    kind: sd-webui\n    baseUrl: http://127.0.0.1:1\n    endpoints: [chat]\n");
        assertThatThrownBy(() -> ModelConfig.load(file, Map.of(), OllamaProbe.NONE)).hasMessageContaining("images");
    }

    @Test
    void severalModelsOnOneServerByEnvironment() throws IOException {
        ModelConfig c = ModelConfig.load(dir.resolve("missing.yaml"), Map.of("YUANJIAN_OPENAI_BASE_URL",
                "https://api.openai.com/v1", "YUANJIAN_MODEL", "gpt-4o-mini, text-embedding-3-small,tts-1,"), OllamaProbe.NONE);
        assertThat(c.publicNames()).containsExactly("gpt-4o-mini", "text-embedding-3-small", "tts-1");
        assertThat(c.backends()).allSatisfy(b -> assertThat(b.endpoints()).hasSize(Backend.Endpoint.values().length));
    }

    @Test
    void keepAliveCommentsDefaultToEveryFiveSecondsAndZeroSwitchesThemOff() throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, "gateway: {explicitLabel: false}\n");
        assertThat(ModelConfig.load(file, Map.of(), OllamaProbe.NONE).timeouts().keepAlive()).isEqualTo(Duration.ofSeconds(5));
        Files.writeString(file, "gateway: {keepAliveSeconds: 0}\n");
        assertThat(ModelConfig.load(file, Map.of(), OllamaProbe.NONE).timeouts().keepAlive()).isZero();
        for (String wrong : List.of("-1", "soon")) {
            Files.writeString(file, "gateway: {keepAliveSeconds: " + wrong + "}\n");
            assertThatThrownBy(() -> ModelConfig.load(file, Map.of(), OllamaProbe.NONE))
                    .hasMessageContaining("gateway.keepAliveSeconds").hasMessageContaining(wrong);
        }
    }

    @Test
    void environmentVariablesConfigureTheSingleModelCase() throws IOException {
        ModelConfig c = ModelConfig.load(dir.resolve("missing.yaml"), Map.of("YUANJIAN_OPENAI_BASE_URL", "http://127.0.0.1:8000/v1/",
                "YUANJIAN_OPENAI_API_KEY", "k", "YUANJIAN_MODEL", "qwen2.5"), OllamaProbe.NONE);

        assertThat(c.source()).isEqualTo(ModelConfig.Source.ENVIRONMENT);
        assertThat(c.publicNames()).containsExactly("qwen2.5");
        assertThat(c.backends().getFirst().baseUrl().toString()).isEqualTo("http://127.0.0.1:8000/v1");
        assertThatThrownBy(() -> ModelConfig.load(dir.resolve("missing.yaml"),
                Map.of("YUANJIAN_OPENAI_BASE_URL", "http://x/v1"), OllamaProbe.NONE)).hasMessageContaining("YUANJIAN_MODEL");
    }

    @Test
    void ollamaIsDetectedOnlyWhenNothingElseIsConfigured() throws IOException {
        HttpServer ollama = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ollama.createContext("/api/tags", ex -> {
            byte[] body = "{\"models\":[{\"name\":\"qwen2.5:7b\"},{\"name\":\"llama3.2:3b\"}]}".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        ollama.start();
        try {
            Map<String, String> env = Map.of("YUANJIAN_OLLAMA_URL", "http://127.0.0.1:" + ollama.getAddress().getPort());
            ModelConfig c = ModelConfig.load(dir.resolve("missing.yaml"), env, patientProbe(env));
            assertThat(c.source()).isEqualTo(ModelConfig.Source.OLLAMA);
            assertThat(c.publicNames()).containsExactly("qwen2.5:7b", "llama3.2:3b");
            assertThat(c.backends().getFirst().baseUrl().toString()).endsWith("/v1");
        } finally {
            ollama.stop(0);
        }
        Map<String, String> nothing = Map.of("YUANJIAN_OLLAMA_URL", "http://127.0.0.1:1");
        ModelConfig none = ModelConfig.load(dir.resolve("missing.yaml"), nothing, patientProbe(nothing));
        assertThat(none.source()).isEqualTo(ModelConfig.Source.NONE);
        assertThat(none.backends()).isEmpty();
    }

    /** The product's probe waits half a second; a loaded test machine may need more, and an absent Ollama is refused at once. */
    private static OllamaProbe patientProbe(Map<String, String> env) {
        return OllamaProbe.fromEnvironment(env, Duration.ofSeconds(30), Duration.ofSeconds(30));
    }
}
