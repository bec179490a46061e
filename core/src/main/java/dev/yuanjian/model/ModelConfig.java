package dev.yuanjian.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The models the gateway can reach and how it treats them, from the {@code models:} list and the
 * {@code gateway:} section of {@code config.yaml}, or environment variables for the single-model
 * case, or a local Ollama found at start. See {@code docs/gateway.md} for the format.
 *
 * @param source       where the backends came from, so the app can tell users plainly
 * @param fallbacks    public name to the public names tried after all of its own backends failed
 * @param explicitText add the visible GB 45438 label to generated text unless a request says otherwise
 * @param imageFetch   limits on fetching images that a backend answers with as URLs
 */
public record ModelConfig(List<Backend> backends, Map<String, List<String>> fallbacks, Source source,
                          Timeouts timeouts, Retries retries, Breaker breaker, boolean explicitText,
                          long maxBodyBytes, ImageFetch imageFetch) {

    /** Where the model list came from. */
    public enum Source { CONFIG, ENVIRONMENT, OLLAMA, NONE }

    /**
     * @param connect   TCP (and TLS) connect
     * @param firstByte one attempt: for a stream until its first event, for a non-streaming call until
     *                  the whole answer (which starts only when generation is done); a slower backend
     *                  is abandoned for the next one
     * @param idle      longest silence between two events of a stream
     * @param total     a whole non-streaming call, retries and backoff included
     * @param keepAlive a stream's SSE comment interval while the client waits for the first event
     *                  (retries and fallbacks included), so proxies do not cut an idle connection;
     *                  zero sends none ({@code gateway.keepAliveSeconds}, default 5)
     */
    public record Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total, Duration keepAlive) {
        public static final Duration DEFAULT_KEEP_ALIVE = Duration.ofSeconds(5);

        /** With the default keep-alive interval. */
        public Timeouts(Duration connect, Duration firstByte, Duration idle, Duration total) {
            this(connect, firstByte, idle, total, DEFAULT_KEEP_ALIVE);
        }

        public Timeouts withKeepAlive(Duration every) {
            return new Timeouts(connect, firstByte, idle, total, every);
        }
    }

    /**
     * @param max           retries per backend after its first attempt, before falling back to the next
     * @param backoff       first backoff; doubles per retry, with full jitter, up to {@code maxBackoff}
     * @param maxRetryAfter a {@code Retry-After} longer than this skips to the next backend instead of waiting
     */
    public record Retries(int max, Duration backoff, Duration maxBackoff, Duration maxRetryAfter) {
    }

    /** {@code failures} consecutive failures open a backend's circuit for {@code openFor}. */
    public record Breaker(int failures, Duration openFor) {
    }

    /**
     * An image URL in a backend's answer is fetched with at most {@code maxBytes} of body within
     * {@code timeout} (all redirects included).
     */
    public record ImageFetch(long maxBytes, Duration timeout) {
    }

    public static final Timeouts DEFAULT_TIMEOUTS = new Timeouts(Duration.ofSeconds(5), Duration.ofSeconds(120),
            Duration.ofSeconds(120), Duration.ofSeconds(600));
    public static final Retries DEFAULT_RETRIES = new Retries(1, Duration.ofMillis(200), Duration.ofSeconds(2),
            Duration.ofSeconds(10));
    public static final Breaker DEFAULT_BREAKER = new Breaker(5, Duration.ofSeconds(30));
    public static final long DEFAULT_MAX_BODY = 8L << 20;
    public static final ImageFetch DEFAULT_IMAGE_FETCH = new ImageFetch(20L << 20, Duration.ofSeconds(30));

    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");

    public ModelConfig {
        backends = List.copyOf(backends);
        fallbacks = Map.copyOf(fallbacks);
    }

    /** The given backends with every default. */
    public static ModelConfig of(List<Backend> backends) {
        return new ModelConfig(backends, Map.of(), backends.isEmpty() ? Source.NONE : Source.CONFIG,
                DEFAULT_TIMEOUTS, DEFAULT_RETRIES, DEFAULT_BREAKER, false, DEFAULT_MAX_BODY, DEFAULT_IMAGE_FETCH);
    }

    public ModelConfig withBackends(List<Backend> list, Source from) {
        return new ModelConfig(list, fallbacks, from, timeouts, retries, breaker, explicitText, maxBodyBytes, imageFetch);
    }

    public ModelConfig withTimeouts(Timeouts t) {
        return new ModelConfig(backends, fallbacks, source, t, retries, breaker, explicitText, maxBodyBytes, imageFetch);
    }

    public ModelConfig withRetries(Retries r) {
        return new ModelConfig(backends, fallbacks, source, timeouts, r, breaker, explicitText, maxBodyBytes, imageFetch);
    }

    public ModelConfig withBreaker(Breaker b) {
        return new ModelConfig(backends, fallbacks, source, timeouts, retries, b, explicitText, maxBodyBytes, imageFetch);
    }

    public ModelConfig withFallbacks(Map<String, List<String>> f) {
        return new ModelConfig(backends, f, source, timeouts, retries, breaker, explicitText, maxBodyBytes, imageFetch);
    }

    public ModelConfig withExplicitText(boolean on) {
        return new ModelConfig(backends, fallbacks, source, timeouts, retries, breaker, on, maxBodyBytes, imageFetch);
    }

    public ModelConfig withImageFetch(ImageFetch f) {
        return new ModelConfig(backends, fallbacks, source, timeouts, retries, breaker, explicitText, maxBodyBytes, f);
    }

    /** Public names in configuration order, each once. */
    public List<String> publicNames() {
        return backends.stream().map(Backend::publicName).distinct().toList();
    }

    /**
     * Reads {@code configFile} (when it exists) and the environment. Precedence: a {@code models:}
     * list in the file; else {@code YUANJIAN_OPENAI_BASE_URL} (+ {@code YUANJIAN_OPENAI_API_KEY},
     * {@code YUANJIAN_MODEL}: one name or several separated by commas, each a model on that server
     * serving every endpoint) and {@code YUANJIAN_SD_WEBUI_URL}; else Ollama if {@code ollama} finds
     * one; else no backend (the rest of the app still works).
     */
    public static ModelConfig load(Path configFile, Map<String, String> env, OllamaProbe ollama) throws IOException {
        JsonNode root = Files.exists(configFile) ? new ObjectMapper(new YAMLFactory()).readTree(configFile.toFile()) : null;
        if (root == null || !root.isObject()) {
            root = new ObjectMapper().createObjectNode();
        }
        try {
            return parse(root, env, ollama);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid model configuration (" + configFile + " and YUANJIAN_* variables): "
                    + e.getMessage(), e);
        }
    }

    /**
     * The model list from an already parsed configuration (the mapping of config.yaml, or an empty
     * one) and the environment, with the precedence of {@link #load}.
     *
     * @throws IllegalArgumentException naming the key that is wrong
     */
    public static ModelConfig parse(JsonNode root, Map<String, String> env, OllamaProbe ollama) {
        JsonNode g = root.path("gateway");
        Timeouts t = new Timeouts(
                millis(g.at("/timeouts/connectMs"), DEFAULT_TIMEOUTS.connect()),
                millis(g.at("/timeouts/firstByteMs"), DEFAULT_TIMEOUTS.firstByte()),
                millis(g.at("/timeouts/idleMs"), DEFAULT_TIMEOUTS.idle()),
                millis(g.at("/timeouts/totalMs"), DEFAULT_TIMEOUTS.total()),
                keepAlive(g.path("keepAliveSeconds")));
        Retries r = new Retries(g.at("/retries/max").asInt(DEFAULT_RETRIES.max()),
                millis(g.at("/retries/backoffMs"), DEFAULT_RETRIES.backoff()),
                millis(g.at("/retries/maxBackoffMs"), DEFAULT_RETRIES.maxBackoff()),
                millis(g.at("/retries/maxRetryAfterMs"), DEFAULT_RETRIES.maxRetryAfter()));
        Breaker b = new Breaker(g.at("/breaker/failures").asInt(DEFAULT_BREAKER.failures()),
                millis(g.at("/breaker/openMs"), DEFAULT_BREAKER.openFor()));
        boolean explicit = g.path("explicitLabel").asBoolean(false);
        String explicitEnv = env.get("YUANJIAN_EXPLICIT_LABEL");
        if (explicitEnv != null && !explicitEnv.isBlank()) {
            explicit = Boolean.parseBoolean(explicitEnv.strip());
        }
        long maxBody = g.path("maxBodyMb").asLong(DEFAULT_MAX_BODY >> 20) << 20;
        long maxImage = g.at("/imageFetch/maxMb").asLong(DEFAULT_IMAGE_FETCH.maxBytes() >> 20) << 20;
        ImageFetch fetch = new ImageFetch(maxImage, millis(g.at("/imageFetch/timeoutMs"), DEFAULT_IMAGE_FETCH.timeout()));
        if (r.max() < 0 || b.failures() < 1 || maxBody < 1 || maxImage < 1 || maxImage > UpstreamClient.MAX_BODY) {
            throw new IllegalArgumentException("gateway.retries.max must be >= 0, gateway.breaker.failures >= 1, "
                    + "gateway.maxBodyMb >= 1, gateway.imageFetch.maxMb from 1 to " + (UpstreamClient.MAX_BODY >> 20));
        }
        Map<String, List<String>> fallbacks = new LinkedHashMap<>();
        g.path("fallbacks").fields().forEachRemaining(e -> {
            List<String> names = new ArrayList<>();
            e.getValue().forEach(n -> names.add(n.asText()));
            fallbacks.put(e.getKey(), names);
        });

        List<Backend> backends = new ArrayList<>();
        Source source = Source.NONE;
        JsonNode models = root.path("models");
        if (models.isArray() && !models.isEmpty()) {
            source = Source.CONFIG;
            int n = 0;
            for (JsonNode m : models) {
                backends.add(backend(m, env, n++));
            }
        } else if (!env.getOrDefault("YUANJIAN_OPENAI_BASE_URL", "").isBlank()
                || !env.getOrDefault("YUANJIAN_SD_WEBUI_URL", "").isBlank()) {
            source = Source.ENVIRONMENT;
            String base = env.getOrDefault("YUANJIAN_OPENAI_BASE_URL", "").strip();
            if (!base.isEmpty()) {
                // Several names, comma-separated: the chat model and, e.g., its embedding and speech models.
                List<String> names = java.util.Arrays.stream(env.getOrDefault("YUANJIAN_MODEL", "").split(","))
                        .map(String::strip).filter(n -> !n.isEmpty()).distinct().toList();
                if (names.isEmpty()) {
                    throw new IllegalArgumentException("YUANJIAN_OPENAI_BASE_URL is set but YUANJIAN_MODEL is not "
                            + "(the upstream model name, e.g. deepseek-chat; several separated by commas)");
                }
                for (String model : names) {
                    backends.add(new Backend(model + "#0", model, Backend.Kind.OPENAI, URI.create(base),
                            env.getOrDefault("YUANJIAN_OPENAI_API_KEY", ""), model, 1, 0, Backend.Limits.NONE));
                }
            }
            String sd = env.getOrDefault("YUANJIAN_SD_WEBUI_URL", "").strip();
            if (!sd.isEmpty()) {
                backends.add(new Backend("sd-webui#0", "sd-webui", Backend.Kind.SD_WEBUI, URI.create(sd), "",
                        "", 1, 0, Backend.Limits.NONE));
            }
        } else {
            List<Backend> found = ollama.detect();
            if (!found.isEmpty()) {
                source = Source.OLLAMA;
                backends.addAll(found);
            }
        }
        return new ModelConfig(backends, fallbacks, source, t, r, b, explicit, maxBody, fetch);
    }

    private static Backend backend(JsonNode m, Map<String, String> env, int n) {
        String name = m.path("name").asText("");
        String kindText = m.path("kind").asText("openai").toLowerCase(Locale.ROOT).replace('_', '-');
        Backend.Kind kind = switch (kindText) {
            case "openai" -> Backend.Kind.OPENAI;
            case "sd-webui", "sdwebui", "stable-diffusion-webui" -> Backend.Kind.SD_WEBUI;
            default -> throw new IllegalArgumentException("model " + name + ": kind must be openai or sd-webui, got "
                    + kindText);
        };
        String url = expand(m.path("baseUrl").asText(""), env);
        URI base;
        try {
            base = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("model " + name + ": baseUrl is not a URL: " + url);
        }
        JsonNode limits = m.path("limits");
        String apiText = m.path("api").asText("chat").toLowerCase(Locale.ROOT);
        Backend.Api api = switch (apiText) {
            case "chat" -> Backend.Api.CHAT;
            case "responses" -> Backend.Api.RESPONSES;
            default -> throw new IllegalArgumentException("model " + name + ": api must be chat or responses, got "
                    + apiText);
        };
        Set<Backend.Endpoint> endpoints = null;
        JsonNode serves = m.path("endpoints");
        if (!serves.isMissingNode() && !serves.isNull()) {
            if (!serves.isArray() || serves.isEmpty()) {
                throw new IllegalArgumentException("model " + name + ": endpoints must be a list such as [chat, embeddings]");
            }
            endpoints = EnumSet.noneOf(Backend.Endpoint.class);
            for (JsonNode e : serves) {
                try {
                    endpoints.add(Backend.Endpoint.parse(e.asText()));
                } catch (IllegalArgumentException wrong) {
                    throw new IllegalArgumentException("model " + name + ": " + wrong.getMessage());
                }
            }
        }
        Backend.ImageFormat imageFormat = null;
        JsonNode format = m.path("imageResponseFormat");
        if (!format.isMissingNode() && !format.isNull()) {
            try {
                imageFormat = Backend.ImageFormat.parse(format.asText());
            } catch (IllegalArgumentException wrong) {
                throw new IllegalArgumentException("model " + name + ": " + wrong.getMessage());
            }
        }
        return new Backend(name + "#" + n, name, kind, base, expand(m.path("apiKey").asText(""), env),
                m.path("upstreamModel").asText(name), m.path("weight").asInt(1), m.path("priority").asInt(0),
                new Backend.Limits(limits.path("maxConcurrent").asInt(0), limits.path("requestsPerMinute").asInt(0)),
                endpoints, imageFormat, api);
    }

    /** {@code ${VAR}} in a value is replaced by the environment variable, so keys stay out of the file. */
    static String expand(String value, Map<String, String> env) {
        Matcher m = VARIABLE.matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String v = env.get(m.group(1));
            if (v == null) {
                throw new IllegalArgumentException("${" + m.group(1) + "} is used in config.yaml but not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(v));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Duration keepAlive(JsonNode node) {
        if (node.isMissingNode() || node.isNull()) {
            return Timeouts.DEFAULT_KEEP_ALIVE;
        }
        if (!node.canConvertToLong() || node.asLong() < 0) {
            throw new IllegalArgumentException("gateway.keepAliveSeconds is whole seconds, 0 for none, got " + node);
        }
        return Duration.ofSeconds(node.asLong());
    }

    private static Duration millis(JsonNode node, Duration fallback) {
        if (node.isMissingNode() || node.isNull()) {
            return fallback;
        }
        if (!node.canConvertToLong() || node.asLong() < 1) {
            throw new IllegalArgumentException("durations are positive milliseconds, got " + node);
        }
        return Duration.ofMillis(node.asLong());
    }
}
