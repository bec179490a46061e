package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.label.Asset;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.label.LabelFormatException;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.OllamaProbe;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.Router;
import dev.yuanjian.model.SseReader;
import dev.yuanjian.model.UpstreamClient;
import dev.yuanjian.model.UpstreamStream;
import dev.yuanjian.pipeline.Labeller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * OpenAI-compatible chat completions (streaming and not), image generations and the model list
 * over the configured backends, with every output labelled and logged by the one pipeline.
 *
 * <p>Text: the final text of each choice is labelled as {@code completion.txt} (the text codec
 * keeps the label beside the text, so the logged hash is the SHA-256 of exactly the returned
 * text, and verify finds it by that hash). With the explicit label on, the returned text is the
 * labelled text. Images: each image's exact bytes are logged and a sealed label is returned beside
 * them; the marks inside the file (metadata, C2PA, watermark) come with the image codecs.
 */
public final class Gateway implements AutoCloseable {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final String NO_BACKEND = "No model backend is connected. Connect one with "
            + "YUANJIAN_OPENAI_BASE_URL, YUANJIAN_OPENAI_API_KEY and YUANJIAN_MODEL (any OpenAI-compatible server: "
            + "DeepSeek, Qwen, OpenAI, vLLM, llama.cpp, Ollama's /v1), or a 'models:' list in config.yaml "
            + "(see docs/gateway.md), or start Ollama on localhost:11434.";

    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final Labeller labeller;
    private final ExplicitLabel explicit;
    private final ObjectMapper json;
    private final ObjectReader strictReader;

    public Gateway(ModelConfig config, Labeller labeller, ExplicitLabel explicit, ObjectMapper json) {
        this.config = config;
        this.router = new Router(config);
        this.client = new UpstreamClient(config.timeouts(), json);
        this.labeller = labeller;
        this.explicit = explicit;
        this.json = json;
        this.strictReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** The gateway of an opened product: models from its config.yaml and the environment. */
    public static Gateway open(Yuanjian app, Map<String, String> env) throws IOException {
        ModelConfig config = ModelConfig.load(app.home().resolve("config.yaml"), env, OllamaProbe.fromEnvironment(env));
        return new Gateway(config, app.labeller(), app.settings().explicit(), JsonViews.mapper());
    }

    public ModelConfig config() {
        return config;
    }

    /** One plain sentence on how models are connected, for start-up messages. */
    public String describeBackends() {
        return switch (config.source()) {
            case NONE -> NO_BACKEND;
            case OLLAMA -> "Models from the local Ollama: " + String.join(", ", config.publicNames());
            case ENVIRONMENT -> "Models from YUANJIAN_* variables: " + String.join(", ", config.publicNames());
            case CONFIG -> "Models from config.yaml: " + String.join(", ", config.publicNames());
        };
    }

    /**
     * Parses a request body as strict JSON (one value, valid UTF-8).
     *
     * @throws GatewayError 400 with what was wrong
     */
    public JsonNode parse(byte[] body) {
        if (body.length == 0) {
            throw GatewayError.invalid(null, "the request body is empty; send a JSON object");
        }
        try {
            return strictReader.readTree(body);
        } catch (JsonProcessingException e) {
            throw GatewayError.invalid(null, "the request body is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw GatewayError.invalid(null, "the request body could not be read: " + e.getMessage());
        }
    }

    /** {@code GET /v1/models}. */
    public ObjectNode models() {
        ObjectNode root = json.createObjectNode();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        for (String name : config.publicNames()) {
            ObjectNode m = data.addObject();
            m.put("id", name);
            m.put("object", "model");
            m.put("created", 0);
            m.put("owned_by", "yuanjian");
        }
        return root;
    }

    private boolean explicitFor(Optional<Boolean> requested) {
        return requested.orElse(config.explicitText());
    }

    // ---------------------------------------------------------------------------------- chat

    /** A non-streaming chat completion. */
    public Outcome chat(ChatRequest request) {
        if (config.backends().isEmpty()) {
            return noBackend();
        }
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", false);
        Routed<JsonNode> routed = router.route(request.model(), b -> b.kind().chat(), deadline, backend -> {
            body.put("model", backend.upstreamModel());
            Attempt<JsonNode> a = client.postJson(backend, "/chat/completions", bytes(body),
                    java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            if (a instanceof Attempt.Answered<JsonNode> ok && !ok.value().path("choices").isArray()) {
                return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                        backend.id() + " answered without a 'choices' array", new byte[0]);
            }
            return a;
        });
        body.put("model", request.model());
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    yield completed(request, (ObjectNode) served.value(), served.backend());
                } finally {
                    served.release(true);
                }
            }
            case Routed.Rejected<JsonNode> r -> new Outcome.Failed(rejected(r.failure()));
            case Routed.Exhausted<JsonNode> e -> new Outcome.Failed(exhausted(e));
            case Routed.UnknownModel<JsonNode> u -> new Outcome.Failed(unknownModel(u));
        };
    }

    private Outcome completed(ChatRequest request, ObjectNode answer, Backend backend) {
        boolean visible = explicitFor(request.explicit());
        ArrayNode choices = (ArrayNode) answer.get("choices");
        List<Labeller.Result> ids = new ArrayList<>();
        String header = null;
        long completionChars = 0;
        for (JsonNode c : choices) {
            if (!c.isObject()) {
                continue;
            }
            ObjectNode choice = (ObjectNode) c;
            JsonNode message = choice.path("message");
            String text = message.path("content").isTextual() ? message.path("content").asText() : "";
            Labeller.Result result = labelText(text, visible, request.model(), request.prompt());
            String labelled = new String(result.labelled().bytes(), StandardCharsets.UTF_8);
            if (visible && message.isObject()) {
                ((ObjectNode) message).put("content", labelled);
            }
            completionChars += labelled.length();
            ObjectNode aigc = JsonViews.aigc(result);
            if (header == null) {
                header = result.label().toBareJson();
                answer.set("aigc", aigc);
            }
            if (choices.size() > 1) {
                choice.set("aigc", aigc.deepCopy());
            }
            ids.add(result);
        }
        if (header == null) {
            // No choice at all: the upstream answered nothing, and nothing is logged.
            header = "";
        }
        long tokens = answer.path("usage").path("total_tokens").asLong(0);
        if (tokens <= 0) {
            tokens = estimateTokens(request.prompt().length() + completionChars);
        }
        return new Outcome.Completed(answer, header, List.copyOf(ids), backend.id(), tokens);
    }

    /**
     * A streaming chat completion. Events are relayed as they arrive; nothing is buffered, so the
     * time to first token is the upstream's plus one write. At the end the text is labelled and
     * logged and one last chunk carries its {@code aigc} object (with the content id), then
     * {@code [DONE]}. Until the first event arrives the router may still retry and fall back;
     * after it, an upstream failure ends the stream with an error event.
     */
    public Outcome stream(ChatRequest request, StreamSink sink) {
        if (config.backends().isEmpty()) {
            return noBackend();
        }
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", true);
        Routed<UpstreamStream> routed = router.route(request.model(), b -> b.kind().chat(), deadline, backend -> {
            body.put("model", backend.upstreamModel());
            return client.openStream(backend, "/chat/completions", bytes(body));
        });
        body.put("model", request.model());
        return switch (routed) {
            case Routed.Served<UpstreamStream> served -> relay(request, served, sink);
            case Routed.Rejected<UpstreamStream> r -> new Outcome.Failed(rejected(r.failure()));
            case Routed.Exhausted<UpstreamStream> e -> new Outcome.Failed(exhausted(e));
            case Routed.UnknownModel<UpstreamStream> u -> new Outcome.Failed(unknownModel(u));
        };
    }

    private Outcome relay(ChatRequest request, Routed.Served<UpstreamStream> served, StreamSink sink) {
        boolean visible = explicitFor(request.explicit());
        String startWording = visible && explicit.position() == ExplicitLabel.Position.START
                ? explicit.wordingFor(request.lastUser()) + "\n\n" : null;
        Map<Integer, StringBuilder> texts = new TreeMap<>();
        ObjectNode template = null; // id, created, model of the upstream's chunks, for the chunks we add
        long usage = 0;
        boolean sawFinish = false;
        boolean done = false;
        String problem = null;
        boolean clientGone = false;
        boolean healthy = true;
        try (UpstreamStream upstream = served.value()) {
            try {
                sink.open();
                SseReader.Event event;
                while ((event = upstream.next()) != null) {
                    if (event.data() == null) {
                        sink.send((": " + event.comment() + "\n\n").getBytes(StandardCharsets.UTF_8));
                        continue;
                    }
                    if (event.isDone()) {
                        done = true;
                        break;
                    }
                    JsonNode chunk;
                    try {
                        chunk = json.readTree(event.data());
                    } catch (JsonProcessingException e) {
                        problem = "the upstream sent an event that is not JSON";
                        healthy = false;
                        break;
                    }
                    if (chunk == null || !chunk.isObject()) {
                        problem = "the upstream sent an event that is not a JSON object";
                        healthy = false;
                        break;
                    }
                    if (chunk.has("error")) {
                        sink.send(event(event.data()));
                        problem = "the upstream reported an error mid-stream";
                        break;
                    }
                    if (template == null) {
                        template = json.createObjectNode();
                        template.set("id", chunk.path("id"));
                        template.put("object", "chat.completion.chunk");
                        template.set("created", chunk.path("created"));
                        template.set("model", chunk.path("model"));
                    }
                    boolean firstContentHere = startWording != null && hasContent(chunk);
                    if (firstContentHere) {
                        sink.send(contentChunk(template, startWording));
                        texts.computeIfAbsent(0, k -> new StringBuilder()).append(startWording);
                        startWording = null;
                    }
                    sink.send(event(event.data()));
                    for (JsonNode choice : chunk.path("choices")) {
                        int index = choice.path("index").asInt(0);
                        JsonNode content = choice.path("delta").path("content");
                        StringBuilder text = texts.computeIfAbsent(index, k -> new StringBuilder());
                        if (content.isTextual()) {
                            text.append(content.asText());
                        }
                        if (choice.path("finish_reason").isTextual()) {
                            sawFinish = true;
                        }
                    }
                    if (startWording != null && !chunk.path("choices").isEmpty()) {
                        // The first chunk carried only the role: the label goes right after it.
                        sink.send(contentChunk(template, startWording));
                        texts.computeIfAbsent(0, k -> new StringBuilder()).append(startWording);
                        startWording = null;
                    }
                    JsonNode u = chunk.path("usage").path("total_tokens");
                    if (u.canConvertToLong() && u.asLong() > 0) {
                        usage = u.asLong();
                    }
                }
                if (problem == null && !done && !sawFinish) {
                    problem = "the upstream ended the stream without finishing it";
                    healthy = false;
                }
            } catch (IOException e) {
                if (e instanceof ClientGone) {
                    clientGone = true;
                    problem = "the client disconnected; the upstream request was cancelled";
                } else {
                    problem = "the upstream stream broke: " + e.getMessage();
                    healthy = false;
                }
            }
        } finally {
            served.release(healthy);
        }
        if (template == null) {
            template = json.createObjectNode().put("id", "chatcmpl-yuanjian").put("object", "chat.completion.chunk")
                    .put("created", System.currentTimeMillis() / 1000).put("model", request.model());
        }
        // Label and log whatever reached the client, finished or not: a partial answer is an output too.
        List<String> ids = new ArrayList<>();
        ObjectNode finalChunk = template.deepCopy();
        finalChunk.putArray("choices");
        ArrayNode perChoice = json.createArrayNode();
        long chars = 0;
        if (problem == null && visible && explicit.position() == ExplicitLabel.Position.END) {
            StringBuilder text = texts.computeIfAbsent(0, k -> new StringBuilder());
            String wording = "\n\n" + explicit.wordingFor(text);
            text.append(wording);
            try {
                sink.send(contentChunk(template, wording));
            } catch (IOException e) {
                clientGone = true;
                problem = "the client disconnected before the last chunk";
            }
        }
        try {
            if (texts.isEmpty() && problem == null) {
                texts.put(0, new StringBuilder());
            }
            for (Map.Entry<Integer, StringBuilder> e : texts.entrySet()) {
                // The visible label, if any, is already in the text as streamed; the codec must not add another.
                Labeller.Result result = labelText(e.getValue().toString(), false, request.model(), request.prompt());
                chars += e.getValue().length();
                ObjectNode aigc = JsonViews.aigc(result);
                aigc.put("index", e.getKey());
                if (ids.isEmpty()) {
                    finalChunk.set("aigc", aigc);
                }
                perChoice.add(aigc);
                ids.add(result.contentId());
            }
            if (perChoice.size() > 1) {
                finalChunk.set("aigc_choices", perChoice);
            }
            if (!clientGone) {
                if (problem != null) {
                    ObjectNode error = GatewayError.of(502, "upstream_error", "upstream_stream_broken",
                            problem + (ids.isEmpty() ? "" : " (the partial output was logged as " + ids.getFirst() + ")"))
                            .toJson(json);
                    error.set("aigc", finalChunk.get("aigc"));
                    sink.send(event(error.toString()));
                } else {
                    sink.send(event(finalChunk.toString()));
                    sink.send(DONE);
                }
            }
        } catch (IOException e) {
            clientGone = true;
            problem = problem != null ? problem : "the client disconnected before the last chunk";
        }
        long tokens = usage > 0 ? usage : estimateTokens(request.prompt().length() + chars);
        return new Outcome.Streamed(List.copyOf(ids), served.backend().id(), problem == null, problem, tokens);
    }

    /** Thrown by a {@link StreamSink} whose client has gone, to tell it from an upstream failure. */
    public static final class ClientGone extends IOException {
        public ClientGone(Throwable cause) {
            super("the client disconnected", cause);
        }
    }

    private static boolean hasContent(JsonNode chunk) {
        for (JsonNode choice : chunk.path("choices")) {
            JsonNode content = choice.path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                return true;
            }
        }
        return false;
    }

    private byte[] contentChunk(ObjectNode template, String text) {
        ObjectNode chunk = template.deepCopy();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        choice.putObject("delta").put("content", text);
        choice.putNull("finish_reason");
        return event(chunk.toString());
    }

    private static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    // -------------------------------------------------------------------------------- images

    /** An image generation: each image's exact bytes are logged, and a label returned beside each. */
    public Outcome images(ImageRequest request) {
        List<Backend> imageBackends = config.backends();
        if (imageBackends.isEmpty()) {
            return noBackend();
        }
        String model = request.model();
        if (model.isEmpty()) {
            model = imageBackends.stream().filter(b -> b.kind() == Backend.Kind.SD_WEBUI).findFirst()
                    .orElse(imageBackends.getFirst()).publicName();
        }
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        Routed<JsonNode> routed = router.route(model, b -> true, deadline, backend -> {
            java.time.Duration left = java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            Attempt<JsonNode> a;
            if (backend.kind() == Backend.Kind.SD_WEBUI) {
                ObjectNode sd = json.createObjectNode();
                sd.put("prompt", request.prompt());
                sd.put("width", request.width());
                sd.put("height", request.height());
                sd.put("batch_size", request.n());
                sd.put("n_iter", 1);
                JsonNode steps = body.get("steps");
                if (steps != null && steps.canConvertToInt()) {
                    sd.put("steps", steps.asInt());
                }
                JsonNode negative = body.get("negative_prompt");
                if (negative != null && negative.isTextual()) {
                    sd.put("negative_prompt", negative.asText());
                }
                a = client.postJson(backend, "/sdapi/v1/txt2img", bytes(sd), left);
                if (a instanceof Attempt.Answered<JsonNode> ok) {
                    a = fromWebUi(backend, ok.value());
                }
            } else {
                ObjectNode forward = body.deepCopy();
                forward.put("model", backend.upstreamModel());
                forward.put("response_format", "b64_json");
                a = client.postJson(backend, "/images/generations", bytes(forward), left);
                if (a instanceof Attempt.Answered<JsonNode> ok && !allBase64(ok.value())) {
                    a = Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                            backend.id() + " answered without base64 images in 'data'", new byte[0]);
                }
            }
            return a;
        });
        String publicName = model;
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    yield imagesCompleted(request, publicName, (ObjectNode) served.value(), served.backend());
                } finally {
                    served.release(true);
                }
            }
            case Routed.Rejected<JsonNode> r -> new Outcome.Failed(rejected(r.failure()));
            case Routed.Exhausted<JsonNode> e -> new Outcome.Failed(exhausted(e));
            case Routed.UnknownModel<JsonNode> u -> new Outcome.Failed(unknownModel(u));
        };
    }

    private Attempt<JsonNode> fromWebUi(Backend backend, JsonNode answer) {
        JsonNode images = answer.path("images");
        if (!images.isArray() || images.isEmpty()) {
            return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                    backend.id() + " (SD WebUI) answered without 'images'", new byte[0]);
        }
        ObjectNode out = json.createObjectNode();
        out.put("created", System.currentTimeMillis() / 1000);
        ArrayNode data = out.putArray("data");
        for (JsonNode image : images) {
            String b64 = image.asText();
            int comma = b64.indexOf(',');
            if (b64.startsWith("data:") && comma > 0) {
                b64 = b64.substring(comma + 1);
            }
            data.addObject().put("b64_json", b64);
        }
        return allBase64(out) ? new Attempt.Answered<>(out) : Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE,
                200, Optional.empty(), backend.id() + " (SD WebUI) answered with images that are not base64", new byte[0]);
    }

    private static boolean allBase64(JsonNode answer) {
        JsonNode data = answer.path("data");
        if (!data.isArray() || data.isEmpty()) {
            return false;
        }
        for (JsonNode d : data) {
            if (!d.path("b64_json").isTextual()) {
                return false;
            }
            try {
                Base64.getMimeDecoder().decode(d.path("b64_json").asText());
            } catch (IllegalArgumentException e) {
                return false;
            }
        }
        return true;
    }

    private Outcome imagesCompleted(ImageRequest request, String model, ObjectNode answer, Backend backend) {
        List<Labeller.Result> ids = new ArrayList<>();
        String header = "";
        int n = 0;
        for (JsonNode d : answer.path("data")) {
            ObjectNode item = (ObjectNode) d;
            byte[] bytes = Base64.getMimeDecoder().decode(item.path("b64_json").asText());
            String mediaType = imageType(bytes);
            Labeller.Result result = labeller.record("image-" + n++ + extension(mediaType), bytes, mediaType, model,
                    Optional.of(request.prompt()));
            ObjectNode aigc = JsonViews.aigc(result);
            // The bytes returned are exactly the bytes logged: re-encoded without line breaks.
            String b64 = Base64.getEncoder().encodeToString(bytes);
            if (request.asUrl()) {
                item.remove("b64_json");
                item.put("url", "data:" + mediaType + ";base64," + b64);
            } else {
                item.put("b64_json", b64);
            }
            item.set("aigc", aigc);
            if (ids.isEmpty()) {
                header = result.label().toBareJson();
                answer.set("aigc", aigc.deepCopy());
            }
            ids.add(result);
        }
        return new Outcome.Completed(answer, header, List.copyOf(ids), backend.id(), 0);
    }

    static String imageType(byte[] b) {
        if (b.length > 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
            return "image/png";
        }
        if (b.length > 3 && (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8) {
            return "image/jpeg";
        }
        if (b.length > 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
            return "image/webp";
        }
        return "application/octet-stream";
    }

    private static String extension(String mediaType) {
        return switch (mediaType) {
            case "image/png" -> ".png";
            case "image/jpeg" -> ".jpg";
            case "image/webp" -> ".webp";
            default -> ".bin";
        };
    }

    // ------------------------------------------------------------------------------- helpers

    private Labeller.Result labelText(String text, boolean visible, String model, String prompt) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            return labeller.label(new Labeller.Request(Asset.of("completion.txt", bytes),
                    visible ? Optional.of(explicit) : Optional.empty(), model, Optional.of(prompt)));
        } catch (LabelFormatException e) {
            // Text that starts like a PDF or ZIP file ("%PDF-", "PK\3\4") is refused by format
            // detection. It is still an output: log its exact bytes and return the label beside it.
            return labeller.record("completion.txt", bytes, "text/plain", model, Optional.of(prompt));
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static long estimateTokens(long chars) {
        return Math.max(1, (chars + 3) / 4);
    }

    private static Outcome noBackend() {
        return new Outcome.Failed(GatewayError.of(503, "server_error", "no_backend", NO_BACKEND));
    }

    private GatewayError rejected(Attempt.Failure f) {
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

    private static GatewayError exhausted(Routed.Exhausted<?> e) {
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

    private static GatewayError unknownModel(Routed.UnknownModel<?> u) {
        return new GatewayError(404, "invalid_request_error", "model_not_found", "model",
                "The model '" + u.model() + "' does not exist here. Models: "
                        + (u.known().isEmpty() ? "(none)" : String.join(", ", u.known())), Optional.empty(), null);
    }

    @Override
    public void close() {
        client.close();
    }
}
