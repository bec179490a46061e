package dev.yuanjian.model;

import java.net.URI;
import java.util.Objects;

/**
 * One upstream model behind a public name. Several backends may share a public name: the router
 * tries lower {@code priority} first and balances by {@code weight} among equal priorities.
 *
 * @param id            unique, for logs and the circuit breaker: {@code name#n} in configuration order
 * @param publicName    what clients send as {@code model}
 * @param kind          the protocol the upstream speaks
 * @param baseUrl       e.g. {@code https://api.deepseek.com/v1} (OpenAI) or {@code http://127.0.0.1:7860} (SD WebUI)
 * @param apiKey        sent as {@code Authorization: Bearer}; empty for none
 * @param upstreamModel the {@code model} value the upstream expects
 * @param api           which OpenAI API serves {@code POST /v1/responses} on this backend (chat requests always
 *                      use chat completions)
 */
public record Backend(String id, String publicName, Kind kind, URI baseUrl, String apiKey, String upstreamModel,
                      int weight, int priority, Limits limits, Api api) {

    /**
     * How the gateway's {@code /v1/responses} reaches an OpenAI-kind backend: {@link #CHAT} translates
     * to {@code /chat/completions} and back (every OpenAI-compatible server), {@link #RESPONSES} passes
     * the request to the backend's own {@code /responses} (OpenAI itself, and servers that implement it).
     */
    public enum Api { CHAT, RESPONSES }

    /** A backend whose {@code /v1/responses} is translated to chat completions. */
    public Backend(String id, String publicName, Kind kind, URI baseUrl, String apiKey, String upstreamModel,
                   int weight, int priority, Limits limits) {
        this(id, publicName, kind, baseUrl, apiKey, upstreamModel, weight, priority, limits, Api.CHAT);
    }

    /** The protocol an upstream speaks. */
    public enum Kind {
        /** OpenAI-compatible: /chat/completions (stream and not), /images/generations, /models. */
        OPENAI,
        /** Stable Diffusion WebUI (AUTOMATIC1111 / Forge): /sdapi/v1/txt2img, images only. */
        SD_WEBUI;

        public boolean chat() {
            return this == OPENAI;
        }
    }

    /**
     * Per-backend protection of the upstream: at most {@code maxConcurrent} requests in flight and
     * {@code requestsPerMinute} started per minute (0 = unlimited). A backend at its limit is skipped
     * like an unhealthy one, so traffic spills to the next.
     */
    public record Limits(int maxConcurrent, int requestsPerMinute) {
        public static final Limits NONE = new Limits(0, 0);

        public Limits {
            if (maxConcurrent < 0 || requestsPerMinute < 0) {
                throw new IllegalArgumentException("limits must not be negative");
            }
        }
    }

    public Backend {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(api, "api");
        if (publicName == null || publicName.isBlank()) {
            throw new IllegalArgumentException("a model needs a name (what clients send as \"model\")");
        }
        if (baseUrl == null || !(("http".equals(baseUrl.getScheme()) || "https".equals(baseUrl.getScheme())))
                || baseUrl.getHost() == null) {
            throw new IllegalArgumentException("model " + publicName + ": baseUrl must be an http(s) URL, got " + baseUrl);
        }
        if (weight < 1) {
            throw new IllegalArgumentException("model " + publicName + ": weight must be at least 1");
        }
        apiKey = apiKey == null ? "" : apiKey;
        upstreamModel = upstreamModel == null || upstreamModel.isBlank() ? publicName : upstreamModel;
        String url = baseUrl.toString();
        baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** {@code baseUrl + path}; {@code path} starts with a slash. */
    public URI resolve(String path) {
        return URI.create(baseUrl + path);
    }

    /** For messages: never the key. */
    @Override
    public String toString() {
        return id + " (" + kind.name().toLowerCase(java.util.Locale.ROOT) + " " + baseUrl + " model " + upstreamModel + ")";
    }
}
