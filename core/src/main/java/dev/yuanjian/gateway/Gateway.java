package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.Router;
import dev.yuanjian.model.UpstreamClient;
import dev.yuanjian.model.UpstreamStream;
import dev.yuanjian.pipeline.Pipeline;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * OpenAI-compatible chat completions (streaming and not), legacy completions ({@link Completions}),
 * image generations, the model list, and the endpoints relayed as they are ({@link PassThrough}:
 * embeddings, moderations, audio) over the configured backends, with every output labelled and
 * logged by the one pipeline.
 *
 * <p>Request filters run before any backend is called; response filters (the visible label
 * first) run on each choice's text, whole or streamed. The final text of each choice, exactly as
 * returned, is then labelled as {@code completion.txt} (the plain text container keeps the label
 * beside the text, so the logged hash is the SHA-256 of exactly the returned text, and verify finds
 * it by that hash). Streams are relayed by {@link StreamRelay}, images made by {@link Images};
 * every output goes through {@link Outputs}.
 */
public final class Gateway implements AutoCloseable {
    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final Outputs outputs;
    private final StreamRelay relay;
    private final Images images;
    private final Responses responses;
    private final Completions completions;
    private final PassThrough passThrough;
    private final ObjectMapper json;
    private final ObjectReader strictReader;
    private final List<RequestFilter> requestFilters;
    private final List<ResponseFilter> responseFilters;

    /**
     * @param requestFilters  run in order on every chat request before routing
     * @param responseFilters run in order on every choice's text and tool-call arguments (restoring
     *                        personal data first, when on, then the visible label)
     */
    public Gateway(ModelConfig config, Pipeline pipeline, List<RequestFilter> requestFilters,
                   List<ResponseFilter> responseFilters, ObjectMapper json) {
        this.config = config;
        this.router = new Router(config);
        this.client = new UpstreamClient(config.timeouts(), json);
        this.outputs = new Outputs(pipeline);
        this.requestFilters = List.copyOf(requestFilters);
        this.responseFilters = List.copyOf(responseFilters);
        this.relay = new StreamRelay(outputs, responseFilters, json);
        this.images = new Images(config, router, client, outputs, json);
        this.responses = new Responses(config, router, client, outputs, requestFilters, responseFilters, json);
        this.passThrough = new PassThrough(config, router, client, outputs, json);
        this.json = json;
        this.strictReader = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        this.completions = new Completions(this, config, router, client, relay, json);
    }

    public ModelConfig config() {
        return config;
    }

    /** One plain sentence on how models are connected, for start-up messages. */
    public String describeBackends() {
        return switch (config.source()) {
            case NONE -> Failures.NO_BACKEND;
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
            // Only where: Jackson's message quotes the text around the fault, which may be personal data.
            var at = e.getLocation();
            throw GatewayError.invalid(null, "the request body is not valid JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")") + "; send one JSON object");
        } catch (IOException e) {
            // Not e.getMessage(): a decoding error may quote the bytes it could not read.
            throw GatewayError.invalid(null, "the request body could not be read as UTF-8 JSON; send one JSON object");
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

    /**
     * {@code GET /v1/models/{id}}: the model object as in {@link #models()}, empty for a name that is
     * not configured (the caller answers 404 {@code model_not_found}).
     */
    public Optional<ObjectNode> model(String id) {
        return models().path("data").valueStream().filter(m -> m.path("id").asText().equals(id))
                .map(m -> (ObjectNode) m).findFirst();
    }

    /** Embeddings, moderations and audio, relayed to the backends that serve them. */
    public PassThrough passThrough() {
        return passThrough;
    }

    /** The names of the filters in force, request filters first: for start-up messages and docs. */
    public List<String> filterNames() {
        List<String> names = new ArrayList<>();
        requestFilters.forEach(f -> names.add("request:" + f.name()));
        responseFilters.forEach(f -> names.add("response:" + f.name()));
        return names;
    }

    /**
     * Runs every request filter over the body of a request relayed as it is (embeddings,
     * moderations), before any backend is called: {@link RequestFilter#filterRelayed}.
     */
    public void filterRelayed(JsonNode body, Caller caller) {
        if (body instanceof ObjectNode object) {
            for (RequestFilter filter : requestFilters) {
                filter.filterRelayed(object, caller);
            }
        }
    }

    void runRequestFilters(ChatRequest request) {
        for (RequestFilter filter : requestFilters) {
            filter.filter(request);
        }
    }

    // ---------------------------------------------------------------------------------- chat

    /** A non-streaming chat completion. */
    public Outcome chat(ChatRequest request) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        runRequestFilters(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", false);
        Routed<JsonNode> routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.CHAT), deadline,
                backend -> postForChoices(backend, "/chat/completions", body, deadline));
        body.put("model", request.model());
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    yield completed(request, (ObjectNode) served.value(), served.backend());
                } finally {
                    served.release(true);
                }
            }
            default -> new Outcome.Failed(Failures.of(json, routed));
        };
    }

    /**
     * One non-streaming attempt at {@code path} with {@code body} (its {@code model} set to the
     * backend's) whose answer must carry a non-empty {@code choices} array, as chat and legacy
     * completions do; one without is the backend's invalid answer, so the router tries the next.
     */
    Attempt<JsonNode> postForChoices(Backend backend, String path, ObjectNode body, long deadline) {
        body.put("model", backend.upstreamModel());
        Attempt<JsonNode> a = client.postJson(backend, path, bytes(body),
                java.time.Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
        if (a instanceof Attempt.Answered<JsonNode> ok) {
            String wrong = wrongChoices(ok.value().path("choices"), path.equals("/completions"));
            if (wrong != null) {
                // Nothing here could be labelled or logged as it would reach the client: the backend's fault.
                return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                        backend.id() + " answered with " + wrong, new byte[0]);
            }
        }
        return a;
    }

    /**
     * What is wrong with an answer's {@code choices}, or null: at least one, each an object holding
     * its output where it is labelled from ({@code message} an object for chat, {@code text} a string
     * for legacy completions), and no output beside it ({@code text} in chat, {@code message} in
     * completions).
     */
    static String wrongChoices(JsonNode choices, boolean legacy) {
        if (!choices.isArray() || choices.isEmpty()) {
            return "no choice (a 'choices' array with at least one)";
        }
        for (JsonNode c : choices) {
            boolean shaped = c.isObject() && (legacy
                    ? c.path("text").isTextual() && !c.has("message")
                    : c.path("message").isObject() && !c.has("text"));
            if (!shaped) {
                return "a choice that is not " + (legacy ? "an object with a 'text' string" : "an object with a 'message' object");
            }
        }
        return null;
    }

    /** Labels and logs each choice of a chat-shaped answer (also legacy completions, reshaped by {@link Completions}). */
    Outcome.Completed completed(ChatRequest request, ObjectNode answer, Backend backend) {
        ArrayNode choices = (ArrayNode) answer.get("choices");
        List<Pipeline.Result> ids = new ArrayList<>();
        String header = null;
        long completionChars = 0;
        for (JsonNode c : choices) {
            if (!c.isObject()) {
                continue;
            }
            ObjectNode choice = (ObjectNode) c;
            JsonNode message = choice.path("message");
            List<ResponseFilter.AnswerFilter> chain = open(request);
            filterArguments(chain, message.path("tool_calls"));
            JsonNode content = message.path("content");
            if (content.isTextual()) {
                String text = content.asText();
                String filtered = StreamRelay.finish(chain, StreamRelay.pass(chain, text));
                if (!filtered.equals(text)) {
                    ((ObjectNode) message).put("content", filtered);
                }
            } else {
                // No text (a tool-call turn): nothing is added to it, but every filter still ends.
                StreamRelay.finish(chain, "");
            }
            String logged = Outputs.loggedForm(message);
            Pipeline.Result result = outputs.text(logged, request.model(), request.prompt());
            completionChars += logged.length();
            ObjectNode aigc = JsonViews.aigc(result);
            chain.forEach(f -> f.annotate(aigc));
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
            tokens = Outputs.estimateTokens(request.prompt().length() + completionChars);
        }
        return new Outcome.Completed(answer, header, List.copyOf(ids), backend.id(), tokens);
    }

    /** Each whole tool call's {@code function.arguments} through {@code chain}, numbered by position. */
    static void filterArguments(List<ResponseFilter.AnswerFilter> chain, JsonNode calls) {
        int i = 0;
        for (JsonNode call : calls) {
            JsonNode function = call.path("function");
            int index = i++;
            if (function.path("arguments").isTextual()) {
                String arguments = function.path("arguments").asText();
                String out = StreamRelay.passArguments(chain, index, arguments) + StreamRelay.finishArguments(chain, index);
                if (!out.equals(arguments)) {
                    ((ObjectNode) function).put("arguments", out);
                }
            }
        }
    }

    private List<ResponseFilter.AnswerFilter> open(ChatRequest request) {
        return responseFilters.stream().map(f -> f.open(request)).toList();
    }

    /**
     * A streaming chat completion. Events are relayed as they arrive; nothing is buffered, so the
     * time to first token is the upstream's plus one write. Each choice's finishing chunk carries its
     * {@code aigc} object (the text labelled and logged as sent), then {@code [DONE]}. Until the
     * first event arrives the router may still retry and fall back, while the client gets
     * {@code : keep-alive} comments every {@code gateway.keepAliveSeconds}; after it, an upstream
     * failure ends the stream with an {@code event: error}.
     *
     * @return {@link Outcome.Failed} only when nothing was sent yet (an ordinary error answer is
     *         still possible); once a comment committed the response, a failure is reported in the
     *         stream and the outcome is an unfinished {@link Outcome.Streamed}
     */
    public Outcome stream(ChatRequest request, StreamSink sink) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        runRequestFilters(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", true);
        KeepAlive waiting = new KeepAlive(sink, config.timeouts().keepAlive());
        Routed<UpstreamStream> routed;
        waiting.startTicking();
        try {
            routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.CHAT), deadline, backend -> {
                body.put("model", backend.upstreamModel());
                return client.openStream(backend, "/chat/completions", bytes(body));
            });
        } finally {
            waiting.stopTicking();
        }
        body.put("model", request.model());
        if (routed instanceof Routed.Served<UpstreamStream> served) {
            return relay.relay(request, served, waiting);
        }
        GatewayError failure = Failures.of(json, routed);
        return waiting.opened() ? relay.failedAfterComments(failure, waiting) : new Outcome.Failed(failure);
    }

    /** Thrown by a {@link StreamSink} whose client has gone, to tell it from an upstream failure. */
    public static final class ClientGone extends IOException {
        public ClientGone(Throwable cause) {
            super("the client disconnected", cause);
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An image generation: each image's exact bytes are logged, and a label returned beside each. */
    public Outcome images(ImageRequest request) {
        return images.generate(request);
    }

    /**
     * {@code POST /v1/responses}, not streamed: a {@code response} object with {@code aigc}, the
     * label header and a log entry per output message ({@link Responses}).
     */
    public Outcome responses(ResponsesRequest request) {
        return responses.create(request);
    }

    /** {@code POST /v1/responses} streamed as the Responses API's events ({@link ResponsesStream}). */
    public Outcome responsesStream(ResponsesRequest request, StreamSink sink) {
        return responses.stream(request, sink);
    }

    /**
     * A legacy text completion ({@code /v1/completions}, request from {@link #completionRequest}),
     * labelled and logged like a chat answer: non-streaming when {@code sink} is empty.
     */
    public Outcome completions(ChatRequest request, Optional<StreamSink> sink) {
        return sink.isPresent() ? completions.stream(request, sink.get()) : completions.complete(request);
    }

    /**
     * A legacy completions request ({@code model}, {@code prompt}) as the chat machinery takes it.
     *
     * @throws GatewayError 400 naming the wrong field
     */
    public static ChatRequest completionRequest(JsonNode root, Optional<Boolean> explicitHeader) {
        return Completions.request(root, explicitHeader);
    }

    @Override
    public void close() {
        client.close();
    }
}
