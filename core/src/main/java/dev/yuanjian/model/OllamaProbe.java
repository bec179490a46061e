package dev.yuanjian.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Finds a local Ollama when nothing else is configured: {@code GET /api/tags} on
 * {@code http://127.0.0.1:11434} (or {@code YUANJIAN_OLLAMA_URL}; {@code off} disables the probe),
 * and lists each of its models as a backend over Ollama's OpenAI-compatible {@code /v1}.
 * The probe waits at most {@link #CONNECT_WITHIN} for a connection and {@link #ANSWER_WITHIN} for the
 * answer, so start-up is never held up by a missing Ollama.
 */
public interface OllamaProbe {

    /** How long the probe waits for a TCP connection: a local Ollama accepts at once. */
    Duration CONNECT_WITHIN = Duration.ofMillis(300);
    /** How long the probe waits for the model list, the connection included. */
    Duration ANSWER_WITHIN = Duration.ofMillis(500);

    List<Backend> detect();

    OllamaProbe NONE = List::of;

    /** The probe a product uses: waits {@link #CONNECT_WITHIN} and {@link #ANSWER_WITHIN}. */
    public static OllamaProbe fromEnvironment(Map<String, String> env) {
        return fromEnvironment(env, CONNECT_WITHIN, ANSWER_WITHIN);
    }

    /**
     * The probe with its own waits (tests on a loaded machine give it seconds); {@link #NONE} when
     * {@code YUANJIAN_OLLAMA_URL} is {@code off} or empty.
     */
    public static OllamaProbe fromEnvironment(Map<String, String> env, Duration connectWithin, Duration answerWithin) {
        String url = env.getOrDefault("YUANJIAN_OLLAMA_URL", "http://127.0.0.1:11434").strip();
        if (url.isEmpty() || url.equalsIgnoreCase("off")) {
            return NONE;
        }
        URI base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
        return () -> probe(base, connectWithin, answerWithin);
    }

    private static List<Backend> probe(URI base, Duration connectWithin, Duration answerWithin) {
        try (HttpClient client = HttpClient.newBuilder().connectTimeout(connectWithin).build()) {
            HttpResponse<byte[]> response = client.send(HttpRequest.newBuilder(URI.create(base + "/api/tags"))
                    .timeout(answerWithin).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                return List.of();
            }
            JsonNode models = new ObjectMapper().readTree(response.body()).path("models");
            List<Backend> found = new ArrayList<>();
            for (JsonNode m : models) {
                String name = m.path("name").asText(m.path("model").asText(""));
                if (!name.isBlank()) {
                    found.add(new Backend(name + "#ollama", name, Backend.Kind.OPENAI, URI.create(base + "/v1"), "",
                            name, 1, 0, Backend.Limits.NONE));
                }
            }
            return found;
        } catch (Exception nothingThere) {
            // No Ollama (or not answering like one): the app runs without a model and says how to add one.
            if (nothingThere instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return List.of();
        }
    }
}
