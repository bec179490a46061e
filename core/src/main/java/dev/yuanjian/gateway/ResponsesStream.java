package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.SseReader;
import dev.yuanjian.model.UpstreamStream;
import dev.yuanjian.pipeline.Pipeline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One streamed {@code /v1/responses} answer, as the Responses API's server-sent events: each event
 * has an {@code event:} line naming its {@code type} and a {@code sequence_number} counted from 0.
 * {@link #translate} makes them from a chat completion stream; {@link #relay} passes a Responses
 * backend's own events on. Either way each output text goes through the response filters as it
 * arrives (what they add at the end is one more {@code response.output_text.delta} before
 * {@code response.output_text.done}), the texts are logged as sent, and the terminal event's
 * response carries the {@code aigc} object of the first output.
 *
 * <p>A failure after the first event (the upstream broke, went silent, sent garbage, or a filter
 * refused the answer) logs what was sent and ends the stream with {@code response.failed} (the
 * partial output and its {@code aigc}) and then an {@code error} event, whose data has OpenAI's
 * documented fields ({@code code}, {@code message}, {@code param}) and the {@code error} object that
 * the official SDKs raise as an exception. Upstream comments (keep-alives) are passed on.
 * Used once, on the request's thread.
 */
final class ResponsesStream {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ResponsesRequest request;
    private final Outputs outputs;
    private final List<ResponseFilter> filters;
    private final ObjectMapper json;
    private final StreamSink sink;
    private final List<String> contentIds = new ArrayList<>();
    private int sequence;
    private boolean clientGone;

    ResponsesStream(ResponsesRequest request, Outputs outputs, List<ResponseFilter> filters, ObjectMapper json,
                    StreamSink sink) {
        this.request = request;
        this.outputs = outputs;
        this.filters = filters;
        this.json = json;
        this.sink = sink;
    }

    /** Why the stream ended early, and what the client is told; {@code refusal} when a filter refused it. */
    private record Problem(String message, boolean upstreamFault, GatewayError refusal) {
    }

    // ------------------------------------------------------------------------------ translation

    /**
     * One open output message of a translated stream: a text part (through the filters) and a
     * refusal part, each opened when its first piece comes, numbered in that order.
     */
    private final class Message {
        final String id = ResponseObjects.id("msg");
        final int index;
        final AnswerChain chain = new AnswerChain(filters, request.chat());
        final StringBuilder refusal = new StringBuilder();
        int textIndex = -1;
        int refusalIndex = -1;

        Message(int index) {
            this.index = index;
        }

        ObjectNode at(String type, int contentIndex) {
            return NODES.objectNode().put("type", type).put("item_id", id).put("output_index", index)
                    .put("content_index", contentIndex);
        }

        void text(String piece) throws IOException {
            if (textIndex < 0) {
                textIndex = refusalIndex < 0 ? 0 : 1;
                send(at("response.content_part.added", textIndex).set("part", ResponseObjects.textPart("")));
            }
            delta(chain.text(piece));
        }

        void delta(String text) throws IOException {
            if (!text.isEmpty()) {
                ObjectNode e = at("response.output_text.delta", textIndex).put("delta", text);
                e.putArray("logprobs");
                send(e);
            }
        }

        void refuse(String piece) throws IOException {
            if (refusalIndex < 0) {
                refusalIndex = textIndex < 0 ? 0 : 1;
                send(at("response.content_part.added", refusalIndex).set("part", ResponseObjects.refusalPart("")));
            }
            refusal.append(piece);
            send(at("response.refusal.delta", refusalIndex).put("delta", piece));
        }

        /** The item with its parts as sent so far. */
        ObjectNode item(String status) {
            ObjectNode item = ResponseObjects.message(id, status, null);
            ObjectNode[] parts = new ObjectNode[(textIndex < 0 ? 0 : 1) + (refusalIndex < 0 ? 0 : 1)];
            if (textIndex >= 0) {
                parts[textIndex] = ResponseObjects.textPart(chain.sent());
            }
            if (refusalIndex >= 0) {
                parts[refusalIndex] = ResponseObjects.refusalPart(refusal.toString());
            }
            ((ArrayNode) item.get("content")).addAll(java.util.Arrays.asList(parts));
            return item;
        }
    }

    /** One function call of a translated stream, by its chat {@code tool_calls} index. */
    private final class Call {
        final String id = ResponseObjects.id("fc");
        final int index;
        final String callId;
        final String name;
        final StringBuilder arguments = new StringBuilder();
        /** The arguments through the response filters (restoring personal data), as a chat stream's are. */
        final AnswerChain chain = new AnswerChain(filters, request.chat());

        Call(int index, String callId, String name) {
            this.index = index;
            this.callId = callId;
            this.name = name;
        }
    }

    /** Chat completion chunks as Responses events; the first choice is the answer. */
    Outcome translate(Routed.Served<UpstreamStream> served) {
        ObjectNode response = ResponseObjects.response(request, ResponseObjects.id("resp"),
                System.currentTimeMillis() / 1000, request.model(), "in_progress");
        ArrayNode output = (ArrayNode) response.get("output");
        List<Message> messages = new ArrayList<>();
        Message open = null;
        Map<Integer, Call> calls = new LinkedHashMap<>();
        Call openCall = null;
        String finish = null;
        JsonNode usage = null;
        Problem problem = null;
        boolean done = false;
        try (UpstreamStream upstream = served.value()) {
            try {
                sink.open();
                send(wrap("response.created", response));
                send(wrap("response.in_progress", response));
                SseReader.Event event;
                while ((event = upstream.next()) != null) {
                    if (event.data() == null) {
                        comment(event.comment());
                        continue;
                    }
                    if (event.isDone()) {
                        done = true;
                        break;
                    }
                    JsonNode chunk = parse(event.data());
                    if (chunk == null) {
                        problem = new Problem("the upstream sent an event that is not a JSON object", true, null);
                        break;
                    }
                    if (chunk.has("error")) {
                        problem = new Problem("the upstream reported an error mid-stream: "
                                + chunk.path("error").path("message").asText("(no message)"), false, null);
                        break;
                    }
                    if (chunk.path("usage").isObject()) {
                        usage = chunk.get("usage");
                    }
                    for (JsonNode choice : chunk.path("choices")) {
                        if (choice.path("index").asInt(0) != 0) {
                            continue; // n > 1 is not a Responses API request; only the first choice is the answer
                        }
                        JsonNode delta = choice.path("delta");
                        String content = delta.path("content").asText("");
                        String refusal = delta.path("refusal").asText("");
                        if (!content.isEmpty() || !refusal.isEmpty()) {
                            if (openCall != null) {
                                closeCall(openCall, output);
                                openCall = null;
                            }
                            if (open == null) {
                                open = openMessage(output.size());
                                messages.add(open);
                            }
                            if (!content.isEmpty()) {
                                open.text(content);
                            }
                            if (!refusal.isEmpty()) {
                                open.refuse(refusal);
                            }
                        }
                        for (JsonNode tc : delta.path("tool_calls")) {
                            int index = tc.path("index").asInt(0);
                            Call call = calls.get(index);
                            if (call == null) {
                                if (open != null) {
                                    closeMessage(open, output, "completed");
                                    open = null;
                                }
                                if (openCall != null) {
                                    closeCall(openCall, output);
                                }
                                call = new Call(output.size(), tc.path("id").asText(ResponseObjects.id("call")),
                                        tc.path("function").path("name").asText(""));
                                calls.put(index, call);
                                openCall = call;
                                ObjectNode added = NODES.objectNode().put("type", "response.output_item.added")
                                        .put("output_index", call.index);
                                added.set("item", ResponseObjects.functionCall(call.id, call.callId, call.name, "",
                                        "in_progress"));
                                send(added);
                            }
                            String piece = call.chain.arguments(0, tc.path("function").path("arguments").asText(""));
                            argumentsDelta(call, piece);
                        }
                        if (choice.path("finish_reason").isTextual()) {
                            finish = choice.path("finish_reason").asText();
                        }
                    }
                }
                if (problem == null && !done && finish == null) {
                    problem = new Problem("the upstream ended the stream without finishing it", true, null);
                }
                if (problem == null) {
                    ResponseObjects.finish(response, finish);
                    String status = response.path("status").asText().equals("completed") ? "completed" : "incomplete";
                    if (openCall != null) {
                        closeCall(openCall, output);
                    }
                    if (open == null && output.isEmpty()) {
                        open = openMessage(0); // an empty answer is still one (empty) message
                        open.text("");
                        messages.add(open);
                    }
                    if (open != null) {
                        closeMessage(open, output, status);
                    }
                }
            } catch (IOException e) {
                problem = broken(e);
            } catch (GatewayError refused) { // a filter refused the answer at the end of a message
                problem = new Problem(refused.getMessage(), false, refused);
            }
        } finally {
            served.release(problem == null || !problem.upstreamFault());
        }
        if (problem != null && problem.refusal() == null) {
            // The item still open when the stream broke (at most one), as sent so far: the partial output.
            if (open != null && !contains(output, open.id)) {
                output.add(open.item("incomplete"));
            }
            if (openCall != null && !contains(output, openCall.id)) {
                output.add(ResponseObjects.functionCall(openCall.id, openCall.callId, openCall.name,
                        openCall.arguments.toString(), "incomplete"));
            }
        }
        ObjectNode u = ResponseObjects.usage(usage);
        if (u != null) {
            response.set("usage", u);
        }
        List<String> texts = messages.stream().map(m -> m.chain.sent()).toList();
        List<AnswerChain> chains = messages.stream().filter(m -> m.textIndex >= 0).map(m -> m.chain).toList();
        return end(served, response, texts, chains, problem, u == null ? 0 : u.path("total_tokens").asLong());
    }

    private static boolean contains(ArrayNode output, String id) {
        for (JsonNode item : output) {
            if (id.equals(item.path("id").asText())) {
                return true;
            }
        }
        return false;
    }

    private Message openMessage(int index) throws IOException {
        Message m = new Message(index);
        ObjectNode added = NODES.objectNode().put("type", "response.output_item.added").put("output_index", index);
        added.set("item", ResponseObjects.message(m.id, "in_progress", null));
        send(added);
        return m;
    }

    /**
     * Ends a message: for its text the filters' tail and the done events, for its refusal
     * response.refusal.done and its part's done event; the item joins {@code output}.
     */
    private void closeMessage(Message m, ArrayNode output, String status) throws IOException {
        ObjectNode item = m.item(status); // before the text's tail, for the part order; its texts are set below
        for (int i = 0; i < item.get("content").size(); i++) {
            if (i == m.textIndex) {
                m.delta(m.chain.end());
                String text = m.chain.sent();
                ObjectNode done = m.at("response.output_text.done", i).put("text", text);
                done.putArray("logprobs");
                send(done);
                ObjectNode part = ResponseObjects.textPart(text);
                ((ArrayNode) item.get("content")).set(i, part);
                send(m.at("response.content_part.done", i).set("part", part.deepCopy()));
            } else {
                send(m.at("response.refusal.done", i).put("refusal", m.refusal.toString()));
                send(m.at("response.content_part.done", i).set("part", item.get("content").get(i).deepCopy()));
            }
        }
        ObjectNode itemDone = NODES.objectNode().put("type", "response.output_item.done").put("output_index", m.index);
        itemDone.set("item", item);
        send(itemDone);
        output.add(item);
    }

    private void argumentsDelta(Call call, String piece) throws IOException {
        if (!piece.isEmpty()) {
            call.arguments.append(piece);
            send(NODES.objectNode().put("type", "response.function_call_arguments.delta")
                    .put("item_id", call.id).put("output_index", call.index).put("delta", piece));
        }
    }

    private void closeCall(Call c, ArrayNode output) throws IOException {
        argumentsDelta(c, c.chain.argumentsEnd(0));
        send(NODES.objectNode().put("type", "response.function_call_arguments.done").put("item_id", c.id)
                .put("output_index", c.index).put("arguments", c.arguments.toString()));
        ObjectNode item = ResponseObjects.functionCall(c.id, c.callId, c.name, c.arguments.toString(), "completed");
        ObjectNode itemDone = NODES.objectNode().put("type", "response.output_item.done").put("output_index", c.index);
        itemDone.set("item", item);
        send(itemDone);
        output.add(item);
    }

    // ------------------------------------------------------------------------------ pass-through

    /**
     * A Responses backend's events, passed on in order with sequence numbers of our own: output text
     * deltas and the texts of the done events and of the final response as the filters made them.
     */
    Outcome relay(Routed.Served<UpstreamStream> served) {
        Map<String, AnswerChain> chains = new LinkedHashMap<>(); // by item id and content index
        Map<String, String> finalTexts = new HashMap<>();
        ObjectNode response = null; // the latest snapshot, for a failure the upstream did not report
        boolean terminal = false;
        Problem problem = null;
        List<String> texts = new ArrayList<>();
        List<AnswerChain> logged = new ArrayList<>();
        PartialOutput sent = new PartialOutput(); // what the client has, should the stream end early
        try (UpstreamStream upstream = served.value()) {
            try {
                sink.open();
                SseReader.Event event;
                events:
                while (!terminal && (event = upstream.next()) != null) {
                    if (event.data() == null) {
                        comment(event.comment());
                        continue;
                    }
                    if (event.isDone()) {
                        break;
                    }
                    JsonNode parsed = parse(event.data());
                    if (parsed == null) {
                        problem = new Problem("the upstream sent an event that is not a JSON object", true, null);
                        break;
                    }
                    ObjectNode e = (ObjectNode) parsed;
                    String type = e.path("type").asText("");
                    if (type.equals("error") || e.path("error").isObject() && !e.has("response")) {
                        problem = new Problem("the upstream reported an error mid-stream: " + (e.path("message")
                                .isTextual() ? e.path("message").asText() : e.path("error").path("message")
                                .asText("(no message)")), false, null);
                        break;
                    }
                    String key = e.path("item_id").asText() + "/" + e.path("content_index").asInt(0);
                    refuseUnlabelable(type, e);
                    switch (type) {
                        case "response.output_text.delta" -> {
                            String out = chains.computeIfAbsent(key, k -> new AnswerChain(filters, request.chat()))
                                    .text(e.path("delta").asText(""));
                            if (out.isEmpty()) {
                                continue;
                            }
                            e.put("delta", out);
                        }
                        case "response.output_text.done" -> {
                            AnswerChain chain = chains.computeIfAbsent(key, k -> new AnswerChain(filters,
                                    request.chat()));
                            String tail = chain.end(); // a refusal ends the stream (caught below)
                            if (!tail.isEmpty()) {
                                ObjectNode d = NODES.objectNode().put("type", "response.output_text.delta");
                                d.set("item_id", e.get("item_id"));
                                d.set("output_index", e.get("output_index"));
                                d.set("content_index", e.get("content_index"));
                                d.put("delta", tail);
                                d.putArray("logprobs");
                                send(d);
                            }
                            finalTexts.put(key, chain.sent());
                            e.put("text", chain.sent());
                        }
                        case "response.content_part.done" -> replacePart(e.path("part"), key, finalTexts);
                        case "response.output_item.done" -> replaceItem(e.path("item"), finalTexts);
                        case "response.created", "response.in_progress" -> {
                            if (e.path("response").isObject()) {
                                response = (ObjectNode) e.get("response");
                            }
                        }
                        case "response.completed", "response.incomplete", "response.failed" -> {
                            if (!e.path("response").isObject()) {
                                problem = new Problem("the upstream sent " + type + " without a response", true, null);
                                break events;
                            }
                            response = (ObjectNode) e.get("response");
                            if (type.equals("response.failed")) {
                                problem = new Problem("the upstream failed the response: " + response.path("error")
                                        .path("message").asText("(no message)"), false, null);
                            }
                            for (JsonNode item : response.path("output")) {
                                GatewayError unlabelable = ResponseObjects.unlabelable(item);
                                if (unlabelable != null) {
                                    throw unlabelable;
                                }
                                replaceItem(item, finalTexts);
                            }
                            collect(response, chains, texts, logged);
                            ObjectNode aigc = log(texts, logged, response.path("output"));
                            response.set("aigc", aigc);
                            terminal = true; // logged: whatever happens to the send, nothing more is logged
                        }
                        default -> {
                        }
                    }
                    send(e);
                    sent.take(type, e);
                }
                if (problem == null && !terminal) {
                    problem = new Problem("the upstream ended the stream without finishing it", true, null);
                }
            } catch (IOException e) {
                problem = broken(e);
            } catch (GatewayError refused) {
                problem = new Problem(refused.getMessage(), false, refused);
            }
        } finally {
            served.release(problem == null || !problem.upstreamFault());
        }
        if (terminal) {
            // Logged and sent with the terminal event.
            long tokens = response.path("usage").path("total_tokens").asLong(0);
            return outcome(served, problem, tokens, texts);
        }
        if (response == null) {
            response = ResponseObjects.response(request, ResponseObjects.id("resp"),
                    System.currentTimeMillis() / 1000, request.model(), "in_progress");
        }
        // Ended early: the output as the client assembled it so far is the partial output (logged as
        // each text part's text when it is text only, else as a whole).
        texts.clear();
        logged.clear();
        for (AnswerChain c : chains.values()) {
            texts.add(c.sent());
            logged.add(c);
        }
        response.set("output", sent.output());
        return end(served, response, texts, logged, problem, 0);
    }

    /**
     * Throws the 502 for an event that would pass on an output item the gateway cannot label (its
     * output_item.added or .done, or the item's own events, such as an image generation's partial
     * images), before it reaches the client.
     */
    private static void refuseUnlabelable(String type, JsonNode event) {
        GatewayError unlabelable = null;
        if (event.path("item").isObject()) {
            unlabelable = ResponseObjects.unlabelable(event.get("item"));
        } else if (type.startsWith("response.image_generation_call")) {
            unlabelable = ResponseObjects.unlabelable(NODES.objectNode().put("type", "image_generation_call"));
        }
        if (unlabelable != null) {
            throw unlabelable;
        }
    }

    /** The final text of each message's output_text parts, in output order, with the chains that made them. */
    private void collect(ObjectNode response, Map<String, AnswerChain> chains, List<String> texts,
                         List<AnswerChain> logged) {
        for (JsonNode item : response.path("output")) {
            if (!"message".equals(item.path("type").asText())) {
                continue;
            }
            StringBuilder text = new StringBuilder();
            int i = 0;
            for (JsonNode part : item.path("content")) {
                AnswerChain chain = chains.get(item.path("id").asText() + "/" + i++);
                if ("output_text".equals(part.path("type").asText())) {
                    if (chain == null) { // a text that came only whole, with no deltas: filtered whole
                        chain = new AnswerChain(filters, request.chat());
                        String out = chain.text(part.path("text").asText(""));
                        ((ObjectNode) part).put("text", out + chain.end());
                    }
                    text.append(part.path("text").asText(""));
                    logged.add(chain);
                }
            }
            texts.add(text.toString());
        }
    }

    private static void replaceItem(JsonNode item, Map<String, String> finalTexts) {
        if (!"message".equals(item.path("type").asText())) {
            return;
        }
        int i = 0;
        for (JsonNode part : item.path("content")) {
            replacePart(part, item.path("id").asText() + "/" + i++, finalTexts);
        }
    }

    private static void replacePart(JsonNode part, String key, Map<String, String> finalTexts) {
        String text = finalTexts.get(key);
        if (text != null && part.isObject() && "output_text".equals(part.path("type").asText())) {
            ((ObjectNode) part).put("text", text);
        }
    }

    // ------------------------------------------------------------------------------ shared

    /**
     * Logs the texts (or, with none, the canonical output), and sends the terminal events: {@code
     * response.completed} (or {@code .incomplete}) with {@code aigc}, or on a problem {@code
     * response.failed} and {@code error}.
     */
    private Outcome end(Routed.Served<UpstreamStream> served, ObjectNode response, List<String> texts,
                        List<AnswerChain> chains, Problem problem, long tokens) {
        ObjectNode aigc = log(texts, chains, response.path("output"));
        response.set("aigc", aigc);
        if (!clientGone) {
            try {
                if (problem == null) {
                    String status = response.path("status").asText();
                    response.put("status", status.equals("in_progress") ? "completed" : status);
                    send(wrap(status.equals("incomplete") ? "response.incomplete" : "response.completed", response));
                } else {
                    GatewayError error = problem.refusal() != null ? problem.refusal()
                            : GatewayError.of(502, "server_error", "upstream_stream_broken", problem.message()
                            + " (the partial output was logged as " + aigc.path("contentId").asText() + ")");
                    ObjectNode body = error.toJson(json);
                    JsonNode inner = body.path("error");
                    response.put("status", "failed");
                    response.putObject("error").put("code", inner.path("code").asText("server_error"))
                            .put("message", inner.path("message").asText(problem.message()));
                    send(wrap("response.failed", response));
                    ObjectNode e = NODES.objectNode().put("type", "error");
                    e.set("code", inner.path("code"));
                    e.set("message", inner.path("message"));
                    e.set("param", inner.has("param") ? inner.get("param") : NODES.nullNode());
                    e.set("error", inner);
                    send(e);
                }
            } catch (IOException gone) {
                problem = problem != null ? problem : new Problem("the client disconnected before the last event",
                        false, null);
            }
        }
        return outcome(served, problem, tokens, texts);
    }

    /** Logs each text as sent (none, or an output with more than text: the canonical output) and returns the first one's {@code aigc}. */
    private ObjectNode log(List<String> texts, List<AnswerChain> chains, JsonNode output) {
        // Text alone is logged as sent; an output with more (function calls, refusals, reasoning) as a whole.
        List<String> logged = texts.isEmpty() || !ResponseObjects.textOnly(output)
                ? List.of(ResponseObjects.canonical(output)) : texts;
        ObjectNode first = null;
        for (String text : logged) {
            Pipeline.Result result = outputs.text(text, request.model(), request.chat().prompt());
            contentIds.add(result.contentId());
            if (first == null) {
                first = JsonViews.aigc(result);
                ObjectNode aigc = first;
                chains.forEach(c -> c.annotate(aigc));
            }
        }
        return first;
    }

    private Outcome outcome(Routed.Served<UpstreamStream> served, Problem problem, long tokens, List<String> texts) {
        long chars = texts.stream().mapToLong(String::length).sum();
        long t = tokens > 0 ? tokens : Outputs.estimateTokens(request.chat().prompt().length() + chars);
        return new Outcome.Streamed(List.copyOf(contentIds), served.backend().id(), problem == null,
                problem == null ? null : problem.message(), t);
    }

    private Problem broken(IOException e) {
        if (e instanceof Gateway.ClientGone) {
            clientGone = true;
            return new Problem("the client disconnected; the upstream request was cancelled", false, null);
        }
        if (e instanceof InterruptedIOException) {
            return new Problem("the server is stopping; the stream was ended early", false, null);
        }
        return new Problem("the upstream stream broke: " + e.getMessage(), true, null);
    }

    private JsonNode parse(String data) {
        try {
            JsonNode node = json.readTree(data);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static ObjectNode wrap(String type, ObjectNode response) {
        ObjectNode e = NODES.objectNode().put("type", type);
        e.set("response", response.deepCopy());
        return e;
    }

    private void comment(String text) throws IOException {
        sink.send((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Ends a stream whose response was already committed by keep-alive comments when no backend
     * could serve it: one {@code error} event with the failure, as a stream that broke ends.
     */
    Outcome failedAfterComments(GatewayError failure) {
        JsonNode inner = failure.toJson(json).path("error");
        ObjectNode e = NODES.objectNode().put("type", "error");
        e.set("code", inner.path("code"));
        e.set("message", inner.path("message"));
        e.set("param", inner.has("param") ? inner.get("param") : NODES.nullNode());
        e.set("error", inner);
        try {
            send(e);
        } catch (IOException gone) {
            // the client left while waiting; nothing more to tell
        }
        return new Outcome.Streamed(List.of(), "(none)", false, failure.getMessage(), 0);
    }

    /** One event: {@code event: <type>} and the data with our next sequence number. */
    private void send(ObjectNode event) throws IOException {
        event.put("sequence_number", sequence++);
        String type = event.path("type").asText();
        sink.send(("event: " + type + "\ndata: " + json.writeValueAsString(event) + "\n\n")
                .getBytes(StandardCharsets.UTF_8));
    }
}
