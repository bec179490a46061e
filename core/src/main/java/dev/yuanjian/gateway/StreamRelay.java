package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
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
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Relays one upstream stream to the client as it arrives, passing each choice's text through the
 * response filters; chunks are forwarded byte for byte unless a filter changed their text or the
 * chunk finishes a choice. What the filters release at a choice's end (the visible label at the
 * end) is added to that choice's finishing chunk (the one with its {@code finish_reason}), which
 * also carries the choice's {@code aigc} object: its text (or, for a tool-call turn, the message as
 * the client assembled it) labelled and logged exactly as sent. With {@code n > 1} each choice's
 * finishing chunk carries that choice's {@code aigc}, also inside the choice.
 *
 * <p>As OpenAI does, a chunk without choices (usage) is sent only to a client that asked for it
 * with {@code stream_options.include_usage}, and last, just before {@code [DONE]}: the quick-start
 * loop of every SDK reads {@code chunk.choices[0]}. Upstream comments are relayed as they came. A
 * failure after the first event ends the stream with {@code event: error} and OpenAI's error
 * object as its data, which the SDKs raise as an error.
 */
final class StreamRelay {
    /**
     * The most data a relayed stream may carry, in characters of its events: 16 Mi, some four
     * million tokens, beyond any real answer; what an upstream sends past it is cut with an error
     * event (the partial output logged), so that a stream that never ends cannot fill the heap.
     */
    static final long MAX_STREAMED_CHARS = 16L << 20;
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Outputs outputs;
    private final List<ResponseFilter> filters;
    private final ObjectMapper json;
    /** One JSON value and nothing after it: what follows a chunk's JSON would reach the client unchecked. */
    private final ObjectReader strict;

    StreamRelay(Outputs outputs, List<ResponseFilter> filters, ObjectMapper json) {
        this.outputs = outputs;
        this.filters = List.copyOf(filters);
        this.json = json;
        this.strict = json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }

    /** {@code piece} through every filter of {@code chain}, in order. */
    static String pass(List<ResponseFilter.AnswerFilter> chain, String piece) {
        String out = piece;
        for (ResponseFilter.AnswerFilter f : chain) {
            out = f.text(out);
        }
        return out;
    }

    /**
     * Ends every filter of {@code chain}: what one filter releases at its end passes through the
     * filters after it. Returns {@code sent} plus everything released.
     */
    static String finish(List<ResponseFilter.AnswerFilter> chain, String sent) {
        StringBuilder out = new StringBuilder(sent);
        for (int i = 0; i < chain.size(); i++) {
            out.append(pass(chain.subList(i + 1, chain.size()), chain.get(i).end()));
        }
        return out.toString();
    }

    /** A piece of tool call {@code call}'s arguments through every filter of {@code chain}, in order. */
    static String passArguments(List<ResponseFilter.AnswerFilter> chain, int call, String piece) {
        String out = piece;
        for (ResponseFilter.AnswerFilter f : chain) {
            out = f.arguments(call, out);
        }
        return out;
    }

    /** Ends tool call {@code call}'s arguments in every filter, as {@link #finish} ends the text; returns what they release. */
    static String finishArguments(List<ResponseFilter.AnswerFilter> chain, int call) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < chain.size(); i++) {
            String released = chain.get(i).argumentsEnd(call);
            for (ResponseFilter.AnswerFilter f : chain.subList(i + 1, chain.size())) {
                released = f.arguments(call, released);
            }
            out.append(released);
        }
        return out.toString();
    }

    Outcome relay(ChatRequest request, Routed.Served<UpstreamStream> served, StreamSink sink) {
        Map<Integer, StreamedChoice> choices = new TreeMap<>();
        boolean includeUsage = request.body().path("stream_options").path("include_usage").asBoolean(false);
        List<byte[]> usageChunks = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        ObjectNode template = null; // id, created, model of the upstream's chunks, for the chunks we add
        long usage = 0;
        boolean done = false;
        String problem = null;
        GatewayError refusal = null;
        boolean clientGone = false;
        boolean told = false; // the upstream's own error event was relayed: nothing more to send
        boolean healthy = true;
        long received = 0; // characters of data events, against MAX_STREAMED_CHARS
        try (UpstreamStream upstream = served.value()) {
            try {
                sink.open();
                SseReader.Event event;
                while ((event = upstream.next()) != null) {
                    if (event.data() == null) {
                        received += event.comment().length();
                        if (received > MAX_STREAMED_CHARS) {
                            problem = "the upstream's stream passed " + (MAX_STREAMED_CHARS >> 20) + " M characters; it was cut there";
                            healthy = false;
                            break;
                        }
                        sink.send(comment(event.comment()));
                        continue;
                    }
                    if (event.isDone()) {
                        done = true;
                        break;
                    }
                    JsonNode chunk;
                    try {
                        chunk = strict.readTree(event.data());
                    } catch (JsonProcessingException e) {
                        chunk = null;
                    }
                    if (chunk == null || !chunk.isObject()) {
                        problem = "the upstream sent an event that is not a JSON object";
                        healthy = false;
                        break;
                    }
                    if (chunk.has("error")) {
                        sink.send(errorEvent(oneLine(event.data(), chunk)));
                        problem = "the upstream reported an error mid-stream";
                        told = true;
                        break;
                    }
                    if (template == null) {
                        template = template(chunk, request);
                    }
                    JsonNode u = chunk.path("usage").path("total_tokens");
                    if (u.canConvertToLong() && u.asLong() > 0) {
                        usage = u.asLong();
                    }
                    received += event.data().length();
                    if (received > MAX_STREAMED_CHARS) {
                        problem = "the upstream's stream passed " + (MAX_STREAMED_CHARS >> 20) + " M characters; it was cut there";
                        healthy = false;
                        break;
                    }
                    JsonNode list = chunk.path("choices");
                    if (!list.isArray() || list.isEmpty()) {
                        if (includeUsage) {
                            usageChunks.add(event(oneLine(event.data(), chunk)));
                        }
                        continue;
                    }
                    byte[] out;
                    try {
                        out = relayed((ObjectNode) chunk, event.data(), choices, request, ids);
                    } catch (ProtocolViolation v) {
                        problem = v.getMessage(); // the chunk is not sent: nothing of it reaches the client
                        healthy = false;
                        break;
                    }
                    sink.send(out);
                }
                if (problem == null && !done && !choices.isEmpty()
                        && choices.values().stream().allMatch(StreamedChoice::finished)) {
                    done = true; // every choice finished; only the [DONE] line is missing
                }
                if (problem == null && !done) {
                    problem = "the upstream ended the stream without finishing it";
                    healthy = false;
                }
            } catch (GatewayError refused) {
                refusal = refused;
                problem = refused.getMessage();
            } catch (IOException e) {
                if (e instanceof Gateway.ClientGone) {
                    clientGone = true;
                    problem = "the client disconnected; the upstream request was cancelled";
                } else if (e instanceof InterruptedIOException) {
                    problem = "the server is stopping; the stream was ended early"; // not the backend's fault
                } else {
                    problem = "the upstream stream broke: " + e.getMessage();
                    healthy = false;
                }
            }
        } finally {
            served.release(healthy);
        }
        if (template == null) {
            template = template(json.createObjectNode(), request);
        }
        try {
            if (problem == null) {
                try {
                    for (StreamedChoice choice : choices.values()) {
                        if (!choice.finished()) {
                            // [DONE] without this choice's finish_reason: its label and log entry still come.
                            sink.send(event(closing(template, choice, request, ids).toString()));
                        }
                    }
                } catch (GatewayError refused) {
                    refusal = refused;
                    problem = refused.getMessage();
                }
            }
            // Whatever reached the client and was not logged yet is logged as it stands: a partial answer is an output too.
            ObjectNode partial = null;
            if (problem != null) {
                for (StreamedChoice choice : choices.values()) {
                    if (!choice.finished() && choice.produced()) {
                        ObjectNode aigc = record(request, choice, ids);
                        partial = partial == null ? aigc : partial;
                    }
                }
            }
            if (problem == null) {
                for (byte[] u : usageChunks) {
                    sink.send(u);
                }
                sink.send(DONE);
            } else if (!clientGone && !told) {
                GatewayError error = refusal != null ? refusal : GatewayError.of(502, "server_error",
                        "upstream_stream_broken", problem + (partial == null ? ""
                                : " (the partial output was logged as " + partial.path("contentId").asText() + ")"));
                ObjectNode data = error.toJson(json);
                if (partial != null) {
                    data.set("aigc", partial);
                }
                sink.send(errorEvent(data.toString()));
            }
        } catch (IOException e) {
            problem = problem != null ? problem : "the client disconnected before the last chunk";
        }
        long chars = choices.values().stream().mapToLong(StreamedChoice::chars).sum();
        long tokens = usage > 0 ? usage : Outputs.estimateTokens(request.prompt().length() + chars);
        return new Outcome.Streamed(List.copyOf(ids), served.backend().id(), problem == null, problem, tokens);
    }

    /**
     * Routing failed after keep-alive comments had committed the response: the failure is told in
     * the stream, as an error event, and the stream ends.
     */
    Outcome failedAfterComments(GatewayError failure, StreamSink sink) {
        try {
            sink.send(errorEvent(failure.toJson(json).toString()));
        } catch (IOException gone) {
            // the client left while waiting; nothing more to tell
        }
        return new Outcome.Streamed(List.of(), "(none)", false, failure.getMessage(), 0);
    }

    /**
     * One upstream chunk with choices, as the client gets it: the raw event when nothing changed;
     * otherwise re-serialised with the filters' text, and for each choice it finishes the text the
     * filters release at the end and the choice's {@code aigc}.
     */
    /** An upstream chunk that would carry output past the label and the log: the stream ends there. */
    private static final class ProtocolViolation extends RuntimeException {
        ProtocolViolation(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Refuses a choice entry the client could read output from that the assembly below would not
     * see: not an object, a delta that is not an object, text beside the delta ({@code message},
     * {@code text}), or output for a choice that already finished (in an earlier chunk or earlier in
     * this one).
     */
    private static void check(JsonNode entry, StreamedChoice state) {
        if (!entry.isObject()) {
            throw new ProtocolViolation("the upstream sent a choice that is not an object");
        }
        JsonNode delta = entry.path("delta");
        if (!delta.isMissingNode() && !delta.isNull() && !delta.isObject()) {
            throw new ProtocolViolation("the upstream sent a delta that is not an object");
        }
        if (entry.has("message") || entry.has("text")) {
            throw new ProtocolViolation("the upstream sent 'message' or 'text' in a stream chunk's choice");
        }
        if (state != null && state.finished()) {
            for (Map.Entry<String, JsonNode> field : delta.properties()) {
                JsonNode v = field.getValue();
                boolean empty = v.isNull() || (v.isTextual() && v.asText().isEmpty()) || (v.isContainerNode() && v.isEmpty());
                if (!field.getKey().equals("role") && !empty) {
                    throw new ProtocolViolation("the upstream sent more output for choice " + state.index
                            + " after finishing it");
                }
            }
        }
    }

    private byte[] relayed(ObjectNode chunk, String raw, Map<Integer, StreamedChoice> choices, ChatRequest request,
                           List<String> ids) {
        boolean changed = false;
        ObjectNode chunkAigc = null;
        boolean perChoice = request.body().path("n").asInt(1) > 1;
        for (JsonNode c : chunk.path("choices")) {
            check(c, c.isObject() ? choices.get(c.path("index").asInt(0)) : null);
            ObjectNode choice = (ObjectNode) c;
            StreamedChoice state = choices.computeIfAbsent(choice.path("index").asInt(0),
                    k -> new StreamedChoice(k, filters.stream().map(f -> f.open(request)).toList()));
            JsonNode delta = choice.path("delta");
            String received = delta.path("content").isTextual() ? delta.path("content").asText() : null;
            String out = delta.isObject() ? state.take(delta) : null;
            changed |= delta.isObject() && state.rewroteArguments();
            boolean finishing = choice.path("finish_reason").isTextual() && !state.finished();
            if (finishing) {
                String tail = state.end();
                if (!tail.isEmpty()) {
                    out = (out == null ? "" : out) + tail;
                }
                if (!delta.isObject() && state.hasArgumentTails()) {
                    delta = choice.putObject("delta");
                }
                changed |= delta.isObject() && state.addArgumentTails((ObjectNode) delta);
            }
            if (out != null && !out.equals(received)) {
                (delta.isObject() ? (ObjectNode) delta : choice.putObject("delta")).put("content", out);
                changed = true;
            }
            if (finishing) {
                ObjectNode aigc = record(request, state, ids);
                if (perChoice) {
                    choice.set("aigc", aigc.deepCopy());
                }
                chunkAigc = chunkAigc == null ? aigc : chunkAigc;
                changed = true;
            }
        }
        if (chunkAigc != null) {
            chunk.set("aigc", chunkAigc);
        }
        return changed ? event(chunk.toString()) : event(oneLine(raw, chunk));
    }

    /**
     * The upstream's data as it came when it is one line, else its JSON re-serialised. A client's
     * SSE parser breaks lines at CR as well as LF: a CR or LF inside relayed data or a comment
     * would let the upstream start an event of its own that no filter, label or log entry saw.
     */
    private static String oneLine(String raw, JsonNode parsed) {
        return raw.indexOf('\r') < 0 && raw.indexOf('\n') < 0 ? raw : parsed.toString();
    }

    /** A finishing chunk of our own for a choice the upstream never finished: its released text and its {@code aigc}. */
    private ObjectNode closing(ObjectNode template, StreamedChoice state, ChatRequest request, List<String> ids) {
        String tail = state.end();
        ObjectNode chunk = template.deepCopy();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", state.index);
        ObjectNode delta = choice.putObject("delta");
        if (!tail.isEmpty()) {
            delta.put("content", tail);
        }
        state.addArgumentTails(delta);
        choice.putNull("finish_reason");
        ObjectNode aigc = record(request, state, ids);
        if (request.body().path("n").asInt(1) > 1) {
            choice.set("aigc", aigc.deepCopy());
        }
        chunk.set("aigc", aigc);
        return chunk;
    }

    /** Labels and logs one choice as the client has it; returns its {@code aigc} object. */
    private ObjectNode record(ChatRequest request, StreamedChoice choice, List<String> ids) {
        Pipeline.Result result = outputs.text(Outputs.loggedForm(choice.message(json)), request.model(),
                request.prompt());
        ObjectNode aigc = JsonViews.aigc(result);
        choice.chain.forEach(f -> f.annotate(aigc));
        aigc.put("index", choice.index);
        ids.add(result.contentId());
        return aigc;
    }

    private ObjectNode template(JsonNode chunk, ChatRequest request) {
        ObjectNode t = json.createObjectNode();
        t.set("id", chunk.has("id") ? chunk.get("id") : json.getNodeFactory().textNode("chatcmpl-yuanjian"));
        t.put("object", "chat.completion.chunk");
        if (chunk.has("created")) {
            t.set("created", chunk.get("created"));
        } else {
            t.put("created", System.currentTimeMillis() / 1000);
        }
        if (chunk.has("model")) {
            t.set("model", chunk.get("model"));
        } else {
            t.put("model", request.model());
        }
        return t;
    }

    /**
     * An upstream comment as it came: each of its lines after its colon. A CR inside a line ends
     * that line here too, so that every part stays a comment (see {@link #oneLine}).
     */
    private static byte[] comment(String text) {
        StringBuilder out = new StringBuilder();
        for (String line : text.split("\r\n|\r|\n", -1)) {
            out.append(':').append(line).append('\n');
        }
        return out.append('\n').toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** OpenAI's mid-stream error: an {@code error} event whose data is {@code {"error":{...}}}. */
    private static byte[] errorEvent(String data) {
        return ("event: error\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
