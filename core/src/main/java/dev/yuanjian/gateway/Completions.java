package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.model.Attempt;
import dev.yuanjian.model.Backend;
import dev.yuanjian.model.ModelConfig;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.Router;
import dev.yuanjian.model.UpstreamClient;
import dev.yuanjian.model.UpstreamStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Legacy text completions ({@code /v1/completions}), labelled and logged by the chat machinery
 * itself rather than a copy of it: a backend's answer, and each chunk of its stream, is read in the
 * chat shape ({@code choices[i].text} as {@code message.content} or {@code delta.content}) and
 * written back in the legacy shape, so each choice's text passes through the same response filters
 * (visible label per choice), gets the same {@code aigc} object and the same log entry as a chat
 * answer. Only the names of the fields differ on the wire.
 */
final class Completions {
    private final Gateway gateway;
    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final StreamRelay relay;
    private final ObjectMapper json;

    Completions(Gateway gateway, ModelConfig config, Router router, UpstreamClient client, StreamRelay relay,
                ObjectMapper json) {
        this.gateway = gateway;
        this.config = config;
        this.router = router;
        this.client = client;
        this.relay = relay;
        this.json = json;
    }

    /**
     * A validated completions request as the chat machinery takes it: {@code prompt} (a string, an
     * array of strings, or token arrays) is what is digested into log entries, and its first text
     * chooses the visible label's language as the last user message does in chat.
     *
     * @throws GatewayError 400 for a request that is not a completions request
     */
    static ChatRequest request(JsonNode root, Optional<Boolean> explicitHeader) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("model", "'model' is required and must be a non-empty string");
        }
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !(prompt.isTextual() || prompt.isArray())) {
            throw GatewayError.invalid("prompt", "'prompt' is required: a string, an array of strings, or token arrays");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw GatewayError.invalid("stream", "'stream' must be a boolean");
        }
        ChatRequest.checkChoices(body);
        Optional<Boolean> explicit = ChatRequest.explicitOption(body, explicitHeader);
        String firstText = prompt.isTextual() ? prompt.asText()
                : prompt.path(0).isTextual() ? prompt.path(0).asText() : "";
        return new ChatRequest(model.asText(), stream != null && stream.asBoolean(), body, explicit, prompt.toString(),
                firstText, Caller.local());
    }

    /** A non-streaming completion: OpenAI's answer with each choice's text labelled, plus {@code aigc}. */
    Outcome complete(ChatRequest request) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        gateway.runRequestFilters(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", false);
        Routed<JsonNode> routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.COMPLETIONS), deadline,
                backend -> gateway.postForChoices(backend, "/completions", body, deadline));
        body.put("model", request.model());
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    ObjectNode answer = (ObjectNode) served.value();
                    reshape(answer, false);
                    Outcome done = gateway.completed(request, answer, served.backend());
                    reshape(answer, true);
                    yield done;
                } finally {
                    served.release(true);
                }
            }
            default -> new Outcome.Failed(Failures.of(json, routed));
        };
    }

    /**
     * A streaming completion, relayed by the chat stream relay: the upstream's chunks are read as
     * chat chunks and every event sent is written back as a legacy chunk ({@code object}
     * {@code text_completion}, each choice's {@code text}).
     */
    Outcome stream(ChatRequest request, StreamSink sink) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        gateway.runRequestFilters(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode body = request.body();
        body.put("stream", true);
        Routed<UpstreamStream> routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.COMPLETIONS),
                deadline, backend -> {
                    body.put("model", backend.upstreamModel());
                    Attempt<UpstreamStream> a = client.openStream(backend, "/completions", bytes(body));
                    return a instanceof Attempt.Answered<UpstreamStream> ok
                            ? new Attempt.Answered<>(ok.value().mapped(data -> chunk(data, false))) : a;
                });
        body.put("model", request.model());
        return switch (routed) {
            case Routed.Served<UpstreamStream> served -> relay.relay(request, served, new LegacySink(sink));
            default -> new Outcome.Failed(Failures.of(json, routed));
        };
    }

    /**
     * Renames each choice's text field in place, keeping the order of the fields: to chat
     * ({@code text} → {@code message.content}, or {@code delta.content} in a stream) or back.
     */
    private void reshape(ObjectNode answer, boolean toLegacy) {
        reshapeChoices(answer, toLegacy ? "message" : "text", toLegacy ? "text" : "message");
    }

    private void reshapeChoices(ObjectNode answer, String from, String to) {
        JsonNode choices = answer.path("choices");
        if (!choices.isArray()) {
            return;
        }
        ArrayNode array = (ArrayNode) choices;
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i) instanceof ObjectNode choice) {
                array.set(i, renamed(choice, from, to));
            }
        }
    }

    /** {@code choice} with {@code from} replaced by {@code to} at the same place (text or an object holding it as content). */
    private ObjectNode renamed(ObjectNode choice, String from, String to) {
        boolean intoObject = !to.equals("text");
        ObjectNode out = json.createObjectNode();
        boolean found = false;
        for (var e : choice.properties()) {
            if (e.getKey().equals(from)) {
                found = true;
                if (intoObject) {
                    out.putObject(to).set("content", e.getValue());
                } else {
                    JsonNode content = e.getValue().path("content");
                    out.set(to, content.isMissingNode() || content.isNull() ? json.getNodeFactory().textNode("") : content);
                }
            } else {
                out.set(e.getKey(), e.getValue());
            }
        }
        if (!intoObject) {
            if (!found) {
                out.put("text", ""); // an empty delta: legacy choices always have text
            }
            if (!out.has("logprobs")) {
                out.set("logprobs", NullNode.getInstance()); // chunks of ours (a label, the end) lack it
            }
        }
        return out;
    }

    /**
     * One event's data between the shapes: a legacy chunk as a chat chunk ({@code toLegacy} false),
     * or a chat chunk as a legacy one. Anything that is not a chunk (an error) is left as it is.
     */
    private String chunk(String data, boolean toLegacy) {
        JsonNode node;
        try {
            node = json.readTree(data);
        } catch (JsonProcessingException e) {
            return data; // the relay reports it
        }
        if (!(node instanceof ObjectNode chunk) || !chunk.path("choices").isArray()) {
            return data;
        }
        reshapeChoices(chunk, toLegacy ? "delta" : "text", toLegacy ? "text" : "delta");
        if (toLegacy && "chat.completion.chunk".equals(chunk.path("object").asText())) {
            chunk.put("object", "text_completion");
        }
        return chunk.toString();
    }

    /** Writes each event the relay sends as a legacy event: every {@code data:} line holding a chunk is reshaped. */
    private final class LegacySink implements StreamSink {
        private final StreamSink sink;

        LegacySink(StreamSink sink) {
            this.sink = sink;
        }

        @Override
        public void open() throws IOException {
            sink.open();
        }

        @Override
        public void send(byte[] event) throws IOException {
            String text = new String(event, StandardCharsets.UTF_8);
            if (!text.contains("\"choices\"")) {
                sink.send(event); // comments, errors, [DONE]
                return;
            }
            StringBuilder out = new StringBuilder(text.length() + 32);
            for (String line : text.split("\n", -1)) {
                if (!out.isEmpty()) {
                    out.append('\n');
                }
                out.append(line.startsWith("data: {") ? "data: " + chunk(line.substring(6), true) : line);
            }
            sink.send(out.toString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
