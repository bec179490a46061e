package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Routed;
import java.io.IOException;
import java.util.Optional;

/** Routing outcomes that end without an answer, as OpenAI-shaped errors. */
final class Failures {
    static final String NO_BACKEND = "No model backend is connected. Connect one with "
            + "YUANJIAN_OPENAI_BASE_URL, YUANJIAN_OPENAI_API_KEY and YUANJIAN_MODEL (any OpenAI-compatible server: "
            + "DeepSeek, Qwen, OpenAI, vLLM, llama.cpp, Ollama's /v1), or a 'models:' list in config.yaml "
            + "(see docs/gateway.md), or start Ollama on localhost:11434.";

    private Failures() {
    }

    static Outcome noBackend() {
        return new Outcome.Failed(GatewayError.of(503, "server_error", "no_backend", NO_BACKEND));
    }

    /**
     * The error for a routing outcome that is not an answer.
     *
     * @throws IllegalArgumentException for {@link Routed.Served}, which is no failure
     */
    static GatewayError of(ObjectMapper json, Routed<?> routed) {
        return switch (routed) {
            case Routed.Rejected<?> r -> rejected(json, r.failure());
            case Routed.Exhausted<?> e -> exhausted(e);
            case Routed.UnknownModel<?> u -> unknownModel(u);
            case Routed.Served<?> served -> throw new IllegalArgumentException("an answer is not a failure");
        };
    }

    static GatewayError rejected(ObjectMapper json, Attempt.Failure f) {
        ObjectNode upstream = null;
        try {
            JsonNode node = f.body().length == 0 ? null : json.readTree(f.body());
            if (node != null && node.isObject() && node.path("error").isObject()) {
                upstream = (ObjectNode) node;
            }
        } catch (IOException notJson) {
            // wrapped below
        }
        return new GatewayError(f.status(), "invalid_request_error", "upstream_rejected", null,
                f.message(), Optional.empty(), upstream);
    }

    static GatewayError exhausted(Routed.Exhausted<?> e) {
        Attempt.Failure last = e.last();
        String tried = e.tried().isEmpty() ? "" : " Tried: " + String.join("; ", e.tried());
        return switch (last.kind()) {
            case RATE_LIMITED -> new GatewayError(429, "rate_limit_error", "upstream_rate_limited", null,
                    "every backend is rate limited." + tried, last.retryAfter(), null);
            case TIMEOUT -> GatewayError.of(504, "server_error", "upstream_timeout", "no backend answered in time." + tried);
            case UNAVAILABLE -> GatewayError.of(503, "server_error", "backends_unavailable",
                    "every backend is at its limits or has its circuit open." + tried);
            default -> GatewayError.of(502, "server_error", "upstream_error", "no backend gave a usable answer." + tried);
        };
    }

    static GatewayError unknownModel(Routed.UnknownModel<?> u) {
        return new GatewayError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + u.model() + "' does not exist here. Models: "
                        + (u.known().isEmpty() ? "(none)" : String.join(", ", u.known())), Optional.empty(), null);
    }
}
