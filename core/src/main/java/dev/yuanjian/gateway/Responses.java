package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /v1/responses} (OpenAI's Responses API), streaming and not, over the same router,
 * limits and backends as chat completions. A backend configured with {@code api: responses} gets the
 * request as the client sent it ({@code /responses}); every other backend gets its translation to a
 * chat completion, and its answer is translated back into a {@code response} object or the
 * Responses stream events. Either way each output message's text goes through the response filters
 * (the visible label, unless the request asked for structured output) and is logged exactly as
 * returned; an answer that is only function calls is logged as the canonical JSON of its output.
 * The response carries the {@code aigc} object of its first output.
 *
 * <p>Request filters run on the chat form. When one rewrote it, or one would rewrite the client's
 * body ({@link RequestFilter#passesThrough}), the request reaches a Responses backend through its
 * chat completions too, so the rewrite holds whichever backend serves it.
 */
final class Responses {
    private final ModelConfig config;
    private final Router router;
    private final UpstreamClient client;
    private final Outputs outputs;
    private final List<RequestFilter> requestFilters;
    private final List<ResponseFilter> responseFilters;
    private final ObjectMapper json;

    Responses(ModelConfig config, Router router, UpstreamClient client, Outputs outputs,
              List<RequestFilter> requestFilters, List<ResponseFilter> responseFilters, ObjectMapper json) {
        this.config = config;
        this.router = router;
        this.client = client;
        this.outputs = outputs;
        this.requestFilters = List.copyOf(requestFilters);
        this.responseFilters = List.copyOf(responseFilters);
        this.json = json;
    }

    /** Runs the request filters; true when the request may go to a Responses backend as the client sent it. */
    private boolean filter(ResponsesRequest request) {
        ObjectNode before = request.chat().body().deepCopy();
        for (RequestFilter f : requestFilters) {
            f.filter(request.chat());
        }
        return before.equals(request.chat().body())
                && requestFilters.stream().allMatch(f -> f.passesThrough(request.body(), request.chat()));
    }

    private static boolean passesThrough(Backend backend, boolean unchanged) {
        return unchanged && backend.api() == Backend.Api.RESPONSES;
    }

    /** A whole answer: a {@code response} object with {@code aigc}. */
    Outcome create(ResponsesRequest request) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        boolean unchanged = filter(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode chat = request.chat().body();
        chat.put("stream", false);
        Routed<JsonNode> routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.CHAT), deadline, backend -> {
            Duration left = Duration.ofNanos(Math.max(1, deadline - System.nanoTime()));
            if (passesThrough(backend, unchanged)) {
                Attempt<JsonNode> a = client.postJson(backend, "/responses",
                        bytes(request.passThrough(backend.upstreamModel())), left);
                if (a instanceof Attempt.Answered<JsonNode> ok && !ok.value().path("output").isArray()) {
                    return invalid(backend, "an 'output' array");
                }
                return a;
            }
            chat.put("model", backend.upstreamModel());
            Attempt<JsonNode> a = client.postJson(backend, "/chat/completions", bytes(chat), left);
            if (a instanceof Attempt.Answered<JsonNode> ok && !ok.value().path("choices").isArray()) {
                return invalid(backend, "a 'choices' array");
            }
            return a;
        });
        chat.put("model", request.model());
        return switch (routed) {
            case Routed.Served<JsonNode> served -> {
                try {
                    ObjectNode answer = (ObjectNode) served.value();
                    yield passesThrough(served.backend(), unchanged) ? labelled(request, answer, served.backend())
                            : translated(request, answer, served.backend());
                } finally {
                    served.release(true);
                }
            }
            default -> new Outcome.Failed(Failures.of(json, routed));
        };
    }

    /**
     * A streamed answer as Responses events ({@code event:} lines, {@code sequence_number} from 0),
     * ending in {@code response.completed} whose response carries {@code aigc}. Until the first
     * upstream event the router may still retry and fall back; after it a failure ends the stream
     * with {@code response.failed} and an {@code error} event.
     */
    Outcome stream(ResponsesRequest request, StreamSink sink) {
        if (config.backends().isEmpty()) {
            return Failures.noBackend();
        }
        boolean unchanged = filter(request);
        long deadline = System.nanoTime() + config.timeouts().total().toNanos();
        ObjectNode chat = request.chat().body();
        chat.put("stream", true);
        chat.putObject("stream_options").put("include_usage", true); // for the usage of response.completed
        // Comments while the router waits, as for chat streams: the 200 goes out only when the first is due.
        KeepAlive waiting = new KeepAlive(sink, config.timeouts().keepAlive());
        Routed<UpstreamStream> routed;
        waiting.startTicking();
        try {
            routed = router.route(request.model(), b -> b.serves(Backend.Endpoint.CHAT), deadline, backend -> {
                if (passesThrough(backend, unchanged)) {
                    return client.openStream(backend, "/responses", bytes(request.passThrough(backend.upstreamModel())));
                }
                chat.put("model", backend.upstreamModel());
                return client.openStream(backend, "/chat/completions", bytes(chat));
            });
        } finally {
            waiting.stopTicking();
        }
        chat.put("model", request.model());
        ResponsesStream relay = new ResponsesStream(request, outputs, responseFilters, json, waiting);
        if (routed instanceof Routed.Served<UpstreamStream> served) {
            return passesThrough(served.backend(), unchanged) ? relay.relay(served) : relay.translate(served);
        }
        GatewayError failure = Failures.of(json, routed);
        return waiting.opened() ? relay.failedAfterComments(failure) : new Outcome.Failed(failure);
    }

    private static <T> Attempt<T> invalid(Backend backend, String what) {
        return Attempt.failed(Attempt.Failure.Kind.INVALID_RESPONSE, 200, Optional.empty(),
                backend.id() + " answered without " + what, new byte[0]);
    }

    /** A chat completion as a {@code response}: its first choice's text and tool calls as output items. */
    private Outcome translated(ResponsesRequest request, ObjectNode answer, Backend backend) {
        JsonNode choice = answer.path("choices").path(0);
        JsonNode message = choice.path("message");
        String model = answer.path("model").asText(request.model());
        ObjectNode response = ResponseObjects.response(request, ResponseObjects.id("resp"),
                answer.path("created").asLong(System.currentTimeMillis() / 1000), model, "completed");
        ResponseObjects.finish(response, choice.path("finish_reason").asText(null));
        String itemStatus = response.path("status").asText().equals("completed") ? "completed" : "incomplete";
        ArrayNode output = (ArrayNode) response.get("output");
        JsonNode calls = message.path("tool_calls");
        boolean hasText = message.path("content").isTextual() && !message.path("content").asText().isEmpty();
        boolean refused = message.path("refusal").isTextual() && !message.path("refusal").asText().isEmpty();
        boolean called = calls.isArray() && !calls.isEmpty();
        AnswerChain chain = null;
        if (hasText || refused || !called) {
            // As OpenAI's Responses API: a refusal is a part of type refusal; a text part only with text
            // (or when there is nothing else: an empty answer is one empty message).
            ObjectNode item = ResponseObjects.message(ResponseObjects.id("msg"), itemStatus, null);
            if (hasText || !refused) {
                chain = new AnswerChain(responseFilters, request.chat());
                String out = chain.text(message.path("content").asText(""));
                out += chain.end();
                ((ArrayNode) item.get("content")).add(ResponseObjects.textPart(out));
            }
            if (refused) {
                ((ArrayNode) item.get("content")).add(ResponseObjects.refusalPart(message.path("refusal").asText()));
            }
            output.add(item);
        }
        AnswerChain arguments = chain != null ? chain : new AnswerChain(responseFilters, request.chat());
        int index = 0;
        for (JsonNode call : calls) {
            int i = index++;
            String filtered = arguments.arguments(i, call.path("function").path("arguments").asText(""))
                    + arguments.argumentsEnd(i);
            output.add(ResponseObjects.functionCall(ResponseObjects.id("fc"), call.path("id").asText(),
                    call.path("function").path("name").asText(), filtered, "completed"));
        }
        ObjectNode usage = ResponseObjects.usage(answer.path("usage"));
        if (usage != null) {
            response.set("usage", usage);
        }
        String logged = ResponseObjects.textOnly(output) ? chain.sent() : ResponseObjects.canonical(output);
        Pipeline.Result result = outputs.text(logged, request.model(), request.chat().prompt());
        ObjectNode aigc = JsonViews.aigc(result);
        if (chain != null) {
            chain.annotate(aigc);
        }
        response.set("aigc", aigc);
        long tokens = usage != null ? usage.path("total_tokens").asLong()
                : Outputs.estimateTokens(request.chat().prompt().length() + logged.length());
        return new Outcome.Completed(response, result.label().toBareJson(), List.of(result), backend.id(), tokens);
    }

    /**
     * A Responses backend's own {@code response}: each output_text part through the filters; each
     * message logged as its parts' text when the output is only text, else the whole output logged
     * once as its canonical JSON (function calls, refusals, reasoning summaries are generated content
     * the client gets too).
     *
     * @throws GatewayError 502 when an output item is one the gateway cannot label (an image)
     */
    private Outcome labelled(ResponsesRequest request, ObjectNode response, Backend backend) {
        for (JsonNode item : response.get("output")) {
            GatewayError unlabelable = ResponseObjects.unlabelable(item);
            if (unlabelable != null) {
                return new Outcome.Failed(unlabelable);
            }
        }
        List<Pipeline.Result> results = new ArrayList<>();
        List<ObjectNode> messages = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<List<AnswerChain>> chainsByMessage = new ArrayList<>();
        for (JsonNode item : response.get("output")) {
            if (!"message".equals(item.path("type").asText()) || !item.path("content").isArray()) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            List<AnswerChain> chains = new ArrayList<>();
            for (JsonNode part : item.get("content")) {
                if ("output_text".equals(part.path("type").asText()) && part.path("text").isTextual()) {
                    AnswerChain chain = new AnswerChain(responseFilters, request.chat());
                    String out = chain.text(part.path("text").asText());
                    out += chain.end();
                    ((ObjectNode) part).put("text", out);
                    text.append(out);
                    chains.add(chain);
                }
            }
            messages.add((ObjectNode) item);
            texts.add(text.toString());
            chainsByMessage.add(chains);
        }
        long chars = 0;
        if (messages.isEmpty() || !ResponseObjects.textOnly(response.get("output"))) {
            String logged = ResponseObjects.canonical(response.get("output"));
            Pipeline.Result result = outputs.text(logged, request.model(), request.chat().prompt());
            ObjectNode aigc = JsonViews.aigc(result);
            chainsByMessage.forEach(chains -> chains.forEach(c -> c.annotate(aigc)));
            response.set("aigc", aigc);
            results.add(result);
            chars = logged.length();
        } else {
            for (int i = 0; i < messages.size(); i++) {
                Pipeline.Result result = outputs.text(texts.get(i), request.model(), request.chat().prompt());
                ObjectNode aigc = JsonViews.aigc(result);
                chainsByMessage.get(i).forEach(c -> c.annotate(aigc));
                messages.get(i).set("aigc", aigc);
                results.add(result);
                chars += texts.get(i).length();
            }
            response.set("aigc", messages.getFirst().get("aigc").deepCopy());
            if (messages.size() == 1) {
                messages.getFirst().remove("aigc"); // one message: its label is the response's
            }
        }
        long tokens = response.path("usage").path("total_tokens").asLong(0);
        if (tokens <= 0) {
            tokens = Outputs.estimateTokens(request.chat().prompt().length() + chars);
        }
        return new Outcome.Completed(response, results.getFirst().label().toBareJson(), List.copyOf(results),
                backend.id(), tokens);
    }

    private byte[] bytes(JsonNode node) {
        try {
            return json.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
