package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.label.ExplicitLabel;
import dev.yuanjian.model.Routed;
import dev.yuanjian.model.SseReader;
import dev.yuanjian.model.UpstreamStream;
import dev.yuanjian.pipeline.Labeller;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Relays one upstream stream to the client as it arrives, then labels and logs the text and sends
 * the last chunk with its {@code aigc} object. The visible label, when asked for, is sent as a chunk
 * of its own and is part of the logged text; the codec is then not asked to add another.
 */
final class StreamRelay {
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final Outputs outputs;
    private final ObjectMapper json;

    StreamRelay(Outputs outputs, ObjectMapper json) {
        this.outputs = outputs;
        this.json = json;
    }

    Outcome relay(ChatRequest request, Routed.Served<UpstreamStream> served, StreamSink sink, boolean visible) {
        ExplicitLabel explicit = outputs.explicit();
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
                if (e instanceof Gateway.ClientGone) {
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
                Labeller.Result result = outputs.text(e.getValue().toString(), false, request.model(), request.prompt());
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
        long tokens = usage > 0 ? usage : Outputs.estimateTokens(request.prompt().length() + chars);
        return new Outcome.Streamed(List.copyOf(ids), served.backend().id(), problem == null, problem, tokens);
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
}
