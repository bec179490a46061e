package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.Backend.Endpoint;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.Router;
import dev.yuanjian.model.UpstreamClient;
import dev.yuanjian.model.UpstreamClient.Reply;
import dev.yuanjian.pipeline.Pipeline;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * The endpoints relayed to a backend as they are: embeddings, moderations and audio transcriptions
 * (not generated content, so neither labelled nor logged) and speech (generated audio: its exact
 * bytes are recorded in the log and returned unchanged, its label going in the response headers
 * until audio files carry one). Each is routed like chat, over the backends that serve it
 * ({@link Backend#serves}), with retries, fallbacks and the circuit breaker; only {@code model} is
 * replaced by the backend's upstream model. The caller's key is charged with the upstream's
 * {@code usage}, or an estimate where there is none ({@link Relayed.Answered#tokens}).
 */
public final class PassThrough {
    private static final String JSON_TYPE = "application/json";

    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final Outputs outputs;
    private final ObjectMapper json;

    PassThrough(ModelConfig config, Router router, UpstreamClient client, Outputs outputs, ObjectMapper json) {
        this.config = config;
        this.router = router;
        this.client = client;
        this.outputs = outputs;
        this.json = json;
    }

    /** What one backend is sent: the body and its {@code Content-Type}. */
    private record Request(byte[] body, String contentType) {
    }

    /** {@code POST /v1/embeddings}: {@code model} and {@code input} required; charged by {@code usage}. */
    public Relayed embeddings(JsonNode root) {
        ObjectNode body = object(root);
        String model = model(body, Endpoint.EMBEDDINGS);
        long inputChars = required(body, "input").toString().length();
        return relay(Endpoint.EMBEDDINGS, "/embeddings", model, b -> jsonFor(body, b),
                jsonWith("data"), reply -> usage(reply, inputChars), reply -> Optional.empty());
    }

    /**
     * {@code POST /v1/moderations}: {@code input} required; without {@code model} (OpenAI then uses
     * its latest moderation model) the gateway picks one ({@link #moderationModel}). OpenAI reports
     * no usage here: charged by estimate.
     */
    public Relayed moderations(JsonNode root) {
        ObjectNode body = object(root);
        String model = body.hasNonNull("model") ? model(body, Endpoint.MODERATIONS) : moderationModel();
        long inputChars = required(body, "input").toString().length();
        return relay(Endpoint.MODERATIONS, "/moderations", model, b -> jsonFor(body, b),
                jsonWith("results"), reply -> usage(reply, inputChars), reply -> Optional.empty());
    }

    /**
     * {@code POST /v1/audio/transcriptions}: the multipart form as the client sent it (read whole by
     * the caller, within {@code gateway.maxBodyMb}), {@code model} replaced per backend. Charged by
     * {@code usage.total_tokens}, else an estimate from the transcript's length.
     *
     * @param contentType the request's {@code Content-Type}, with its boundary
     */
    public Relayed transcriptions(byte[] body, String contentType) {
        Multipart form = Multipart.parse(body, contentType);
        Multipart.Part model = form.field("model").orElseThrow(() ->
                GatewayError.invalid("model", "'model' is required: a form field naming the transcription model"));
        if (model.text().isBlank()) {
            throw GatewayError.invalid("model", "'model' must be a non-empty model name");
        }
        if (form.field("file").isEmpty()) {
            throw GatewayError.invalid("file", "'file' is required: the audio as a file field of the form");
        }
        return relay(Endpoint.TRANSCRIPTIONS, "/audio/transcriptions", model.text().strip(), b -> {
            Multipart forward = form.with("model", b.upstreamModel());
            return new Request(forward.bytes(), forward.contentType());
        }, reply -> null, reply -> usage(reply, reply.body().length), reply -> Optional.empty());
    }

    /**
     * {@code POST /v1/audio/speech}: generated audio. The bytes come back exactly as the upstream
     * sent them, and exactly those bytes are recorded in the log ({@code mediaType} from
     * {@code response_format}: mp3 audio/mpeg by default); the label is {@link Relayed.Answered#output}.
     * Charged by estimate from the input's length.
     */
    public Relayed speech(JsonNode root) {
        ObjectNode body = object(root);
        String model = model(body, Endpoint.SPEECH);
        JsonNode input = required(body, "input");
        if (!input.isTextual()) {
            throw GatewayError.invalid("input", "'input' must be the text to speak");
        }
        if ("sse".equals(body.path("stream_format").asText())) {
            throw GatewayError.invalid("stream_format", "stream_format \"sse\" is not supported by this gateway: "
                    + "the audio is recorded in the log whole; leave stream_format out or send \"audio\"");
        }
        String format = body.path("response_format").asText("mp3").toLowerCase(Locale.ROOT);
        String mediaType = switch (format) {
            case "mp3" -> "audio/mpeg";
            case "opus" -> "audio/ogg";
            case "aac" -> "audio/aac";
            case "flac" -> "audio/flac";
            case "wav" -> "audio/wav";
            case "pcm" -> "audio/pcm";
            default -> throw GatewayError.invalid("response_format",
                    "'response_format' must be mp3, opus, aac, flac, wav or pcm");
        };
        String prompt = input.asText();
        return relay(Endpoint.SPEECH, "/audio/speech", model, b -> jsonFor(body, b), reply -> {
            String type = reply.contentType().toLowerCase(Locale.ROOT);
            if (reply.body().length == 0) {
                return "answered with no audio";
            }
            return type.startsWith("application/json") || type.startsWith("text/")
                    ? "answered " + reply.contentType() + " instead of audio" : null;
        }, reply -> Outputs.estimateTokens(prompt.length()),
                reply -> Optional.of(outputs.recorded("speech." + format, reply.body(), mediaType, model, prompt)));
    }

    private Relayed relay(Endpoint endpoint, String path, String model, Function<Backend, Request> request,
                          Function<Reply, String> problem, ToLongFunction<Reply> tokens,
                          Function<Reply, Optional<Pipeline.Result>> record) {
        if (config.backends().isEmpty()) {
            return new Relayed.Failed(((Outcome.Failed) Failures.noBackend()).error());
        }
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        Routed<Reply> routed = router.route(model, b -> b.serves(endpoint), deadline, backend -> {
            Request r = request.apply(backend);
            Attempt<Reply> a = client.post(backend, path, r.body(), r.contentType(),
                    Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (a instanceof Attempt.Answered<Reply> ok) {
                String wrong = problem.apply(ok.value());
                if (wrong != null) {
                    return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                            backend.id() + " " + wrong, new byte[0]);
                }
            }
            return a;
        });
        return switch (routed) {
            case Routed.Served<Reply> served -> {
                try {
                    Reply reply = served.value();
                    String type = reply.contentType().isEmpty() ? "application/octet-stream" : reply.contentType();
                    yield new Relayed.Answered(reply.body(), type, served.backend().id(), tokens.applyAsLong(reply),
                            record.apply(reply));
                } finally {
                    served.release(true);
                }
            }
            default -> new Relayed.Failed(Failures.of(json, routed));
        };
    }

    private static ObjectNode object(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        return (ObjectNode) root;
    }

    private static String model(ObjectNode body, Endpoint endpoint) {
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("model", "'model' is required and must be a non-empty string (a model that "
                    + "serves " + endpoint.configName() + "; GET /v1/models lists them)");
        }
        return model.asText();
    }

    private static JsonNode required(ObjectNode body, String field) {
        JsonNode value = body.get(field);
        if (value == null || value.isNull()) {
            throw GatewayError.invalid(field, "'" + field + "' is required");
        }
        return value;
    }

    /**
     * The model for a moderation request that names none: the first whose upstream model is a
     * moderation model by name ({@code omni-moderation-latest}, {@code text-moderation-stable}), else
     * the first that serves moderations but not chat (declared for it), else the first that serves
     * moderations at all. Every OpenAI backend serves every endpoint unless told otherwise, and a
     * chat model sent to a moderation API would only be refused.
     */
    private String moderationModel() {
        List<Backend> serving = config.backends().stream().filter(b -> b.serves(Endpoint.MODERATIONS)).toList();
        return serving.stream().filter(b -> b.upstreamModel().toLowerCase(Locale.ROOT).contains("moderation")).findFirst()
                .or(() -> serving.stream().filter(b -> !b.serves(Endpoint.CHAT)).findFirst())
                .or(() -> serving.stream().findFirst())
                .map(Backend::publicName)
                .orElse(""); // none: the router answers model_not_found, listing none
    }

    /** The client's JSON with the backend's model name, everything else as sent. */
    private Request jsonFor(ObjectNode body, Backend backend) {
        ObjectNode forward = body.deepCopy();
        forward.put("model", backend.upstreamModel());
        try {
            return new Request(json.writeValueAsBytes(forward), JSON_TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A check that the answer is a JSON object with an array {@code field} (embeddings' data, moderations' results). */
    private Function<Reply, String> jsonWith(String field) {
        return reply -> {
            JsonNode node = parsed(reply);
            return node != null && node.path(field).isArray() ? null : "answered without a '" + field + "' array";
        };
    }

    private JsonNode parsed(Reply reply) {
        try {
            return json.readTree(reply.body());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * {@code usage.total_tokens} (else {@code prompt_tokens}) of a JSON answer, else an estimate of
     * four characters a token over {@code chars}.
     */
    private long usage(Reply reply, long chars) {
        if (reply.contentType().toLowerCase(Locale.ROOT).contains("json")) {
            JsonNode usage = Optional.ofNullable(parsed(reply)).map(n -> n.path("usage")).orElse(null);
            if (usage != null) {
                for (String field : new String[] {"total_tokens", "prompt_tokens"}) {
                    if (usage.path(field).canConvertToLong() && usage.path(field).asLong() > 0) {
                        return usage.path(field).asLong();
                    }
                }
            }
        }
        return Outputs.estimateTokens(chars);
    }
}
