package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
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
 * response filters, then labels and logs the text as sent and sends the last chunk with its
 * {@code aigc} object. A chunk whose text no filter changed is forwarded byte for byte; one that a
 * filter changed is re-serialised with the new text. What filters hold back or append at the end
 * is sent as one more content chunk per choice.
 */
final class StreamRelay {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Outputs outputs;
    private final List<ResponseFilter> filters;
    private final ObjectMapper json;

    StreamRelay(Outputs outputs, List<ResponseFilter> filters, ObjectMapper json) {
        this.outputs = outputs;
        this.filters = List.copyOf(filters);
        this.json = json;
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

    Outcome relay(ChatRequest request, Routed.Served<UpstreamStream> served, StreamSink sink) {
        Map<Integer, List<ResponseFilter.AnswerFilter>> chains = new TreeMap<>();
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
                    boolean changed = false;
                    for (JsonNode choice : chunk.path("choices")) {
                        int index = choice.path("index").asInt(0);
                        JsonNode content = choice.path("delta").path("content");
                        StringBuilder text = texts.computeIfAbsent(index, k -> new StringBuilder());
                        if (content.isTextual()) {
                            List<ResponseFilter.AnswerFilter> chain = chains.computeIfAbsent(index,
                                    k -> filters.stream().map(f -> f.open(request)).toList());
                            String out = pass(chain, content.asText());
                            if (!out.equals(content.asText())) {
                                ((ObjectNode) choice.path("delta")).put("content", out);
                                changed = true;
                            }
                            text.append(out);
                        }
                        if (choice.path("finish_reason").isTextual()) {
                            sawFinish = true;
                        }
                    }
                    sink.send(changed ? event(chunk.toString()) : event(event.data()));
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
            template = json.createObjectNode().put("id", "chatcmpl-yuanjian").put("object", "chat.completion.chunk")
                    .put("created", System.currentTimeMillis() / 1000).put("model", request.model());
        }
        // Label and log whatever reached the client, finished or not: a partial answer is an output too.
        List<String> ids = new ArrayList<>();
        ObjectNode finalChunk = template.deepCopy();
        finalChunk.putArray("choices");
        ArrayNode perChoice = json.createArrayNode();
        long chars = 0;
        GatewayError refusal = null;
        if (problem == null) {
            for (Map.Entry<Integer, List<ResponseFilter.AnswerFilter>> e : chains.entrySet()) {
                try {
                    String tail = finish(e.getValue(), "");
                    if (!tail.isEmpty()) {
                        texts.get(e.getKey()).append(tail);
                        sink.send(contentChunk(template, e.getKey(), tail));
                    }
                } catch (GatewayError refused) {
                    refusal = refused;
                    problem = refused.getMessage();
                    break;
                } catch (IOException gone) {
                    clientGone = true;
                    problem = "the client disconnected before the last chunk";
                    break;
                }
            }
        }
        try {
            if (texts.isEmpty() && problem == null) {
                texts.put(0, new StringBuilder());
            }
            for (Map.Entry<Integer, StringBuilder> e : texts.entrySet()) {
                // The text exactly as streamed, filters' changes included.
                Pipeline.Result result = outputs.text(e.getValue().toString(), request.model(), request.prompt());
                chars += e.getValue().length();
                ObjectNode aigc = JsonViews.aigc(result);
                chains.getOrDefault(e.getKey(), List.of()).forEach(f -> f.annotate(aigc));
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
                    ObjectNode error = refusal != null ? refusal.toJson(json) : GatewayError.of(502, "upstream_error", "upstream_stream_broken",
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
        long tokens = usage > 0 ? usage : Outputs.estimateTokens(request.prompt().length() + chars);
        return new Outcome.Streamed(List.copyOf(ids), served.backend().id(), problem == null, problem, tokens);
    }

    private byte[] contentChunk(ObjectNode template, int index, String text) {
        ObjectNode chunk = template.deepCopy();
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", index);
        choice.putObject("delta").put("content", text);
        choice.putNull("finish_reason");
        return event(chunk.toString());
    }

    private static byte[] event(String data) {
        return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
