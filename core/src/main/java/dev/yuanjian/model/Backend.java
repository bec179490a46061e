package dev.yuanjian.model;

import java.net.URI;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

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
 * @param endpoints     what this backend serves; null = everything its {@code kind} speaks ({@link Kind#endpoints})
 * @param imageFormat   the {@code response_format} sent with image requests; null = chosen by
 *                      {@link ImageFormat#defaultFor} from {@code upstreamModel}
 * @param api           which OpenAI API serves {@code POST /v1/responses} on this backend (chat requests always
 *                      use chat completions)
 */
public record Backend(String id, String publicName, Kind kind, URI baseUrl, String apiKey, String upstreamModel,
                      int weight, int priority, Limits limits, Set<Endpoint> endpoints, ImageFormat imageFormat,
                      Api api) {

    /**
     * How the gateway's {@code /v1/responses} reaches an OpenAI-kind backend: {@link #CHAT} translates
     * to {@code /chat/completions} and back (every OpenAI-compatible server), {@link #RESPONSES} passes
     * the request to the backend's own {@code /responses} (OpenAI itself, and servers that implement it).
     */
    public enum Api { CHAT, RESPONSES }

    /** The protocol an upstream speaks. */
    public enum Kind {
        /** OpenAI-compatible: /chat/completions (stream and not), /images/generations, /models. */
        OPENAI,
        /** Stable Diffusion WebUI (AUTOMATIC1111 / Forge): /sdapi/v1/txt2img, images only. */
        SD_WEBUI;


        /** Everything this protocol speaks: all OpenAI endpoints; SD WebUI only images. */
        public Set<Endpoint> endpoints() {
            return this == OPENAI ? EnumSet.allOf(Endpoint.class) : EnumSet.of(Endpoint.IMAGES);
        }
    }

    /** An OpenAI API a backend may serve, named in config.yaml as {@link #configName()} (e.g. {@code embeddings}). */
    public enum Endpoint {
        /** {@code /chat/completions} */
        CHAT,
        /** {@code /completions}, the legacy text completions */
        COMPLETIONS,
        /** {@code /embeddings} */
        EMBEDDINGS,
        /** {@code /moderations} */
        MODERATIONS,
        /** {@code /audio/transcriptions} */
        TRANSCRIPTIONS,
        /** {@code /audio/speech} */
        SPEECH,
        /** {@code /images/generations} (or SD WebUI's txt2img) */
        IMAGES;

        public String configName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** @throws IllegalArgumentException naming the accepted values */
        public static Endpoint parse(String name) {
            for (Endpoint e : values()) {
                if (e.configName().equals(name.strip().toLowerCase(Locale.ROOT))) {
                    return e;
                }
            }
            throw new IllegalArgumentException("unknown endpoint '" + name + "'; use chat, completions, embeddings, "
                    + "moderations, transcriptions, speech or images");
        }
    }

    /**
     * What an OpenAI image backend is asked to return. gpt-image models refuse the parameter
     * (400 {@code unknown_parameter}) and always return base64; dall-e models take it; other servers
     * differ, so it is set per model.
     */
    public enum ImageFormat {
        /** Send {@code response_format: "b64_json"}. */
        B64_JSON,
        /** Send {@code response_format: "url"}; the gateway fetches each URL. */
        URL,
        /** Send no {@code response_format}: the model's own default (base64 or a URL), both accepted. */
        NONE;

        /** gpt-image-* (and chatgpt-image-*): none; anything else (dall-e-*, other servers): b64_json. */
        public static ImageFormat defaultFor(String upstreamModel) {
            String m = upstreamModel.toLowerCase(Locale.ROOT);
            return m.startsWith("gpt-image") || m.startsWith("chatgpt-image") ? NONE : B64_JSON;
        }

        /** @throws IllegalArgumentException naming the accepted values */
        public static ImageFormat parse(String name) {
            return switch (name.strip().toLowerCase(Locale.ROOT)) {
                case "b64_json" -> B64_JSON;
                case "url" -> URL;
                case "none" -> NONE;
                default -> throw new IllegalArgumentException("imageResponseFormat must be b64_json, url or none, got '"
                        + name + "'");
            };
        }
    }

    /**
     * A backend serving everything its kind speaks, with the default image format for its model, whose
     * {@code /v1/responses} is translated to chat completions.
     */
    public Backend(String id, String publicName, Kind kind, URI baseUrl, String apiKey, String upstreamModel,
                   int weight, int priority, Limits limits) {
        this(id, publicName, kind, baseUrl, apiKey, upstreamModel, weight, priority, limits, null, null, Api.CHAT);
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
        endpoints = Set.copyOf(endpoints == null ? kind.endpoints() : endpoints);
        if (endpoints.isEmpty() || !kind.endpoints().containsAll(endpoints)) {
            throw new IllegalArgumentException("model " + publicName + ": a " + kind.name().toLowerCase(Locale.ROOT)
                    + " backend serves some of " + kind.endpoints().stream().map(Endpoint::configName).sorted().toList()
                    + ", got " + endpoints.stream().map(Endpoint::configName).sorted().toList());
        }
        imageFormat = imageFormat == null ? ImageFormat.defaultFor(upstreamModel) : imageFormat;
        String url = baseUrl.toString();
        baseUrl = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    }

    /** True when this backend serves {@code endpoint}. */
    public boolean serves(Endpoint endpoint) {
        return endpoints.contains(endpoint);
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
