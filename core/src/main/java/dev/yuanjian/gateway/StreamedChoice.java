package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One choice of a relayed stream: its response filters, and the assistant message as the client
 * assembles it from the deltas sent (role, the text after the filters, tool calls with their
 * arguments concatenated), which is what the log records when the choice ends.
 */
final class StreamedChoice {
    final int index;
    final List<ResponseFilter.AnswerFilter> chain;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    private String role = "assistant";
    private boolean finished;

    private static final class Call {
        String id;
        String type;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    StreamedChoice(int index, List<ResponseFilter.AnswerFilter> chain) {
        this.index = index;
        this.chain = chain;
    }

    /** Takes one delta as received; returns the content to send for it (the filters' output), or null for none. */
    String take(JsonNode delta) {
        if (delta.path("role").isTextual()) {
            role = delta.path("role").asText();
        }
        for (JsonNode call : delta.path("tool_calls")) {
            Call c = calls.computeIfAbsent(call.path("index").asInt(calls.size()), k -> new Call());
            c.id = textOr(call.path("id"), c.id);
            c.type = textOr(call.path("type"), c.type);
            c.name = textOr(call.path("function").path("name"), c.name);
            if (call.path("function").path("arguments").isTextual()) {
                c.arguments.append(call.path("function").path("arguments").asText());
            }
        }
        JsonNode content = delta.path("content");
        if (!content.isTextual()) {
            return null;
        }
        String out = StreamRelay.pass(chain, content.asText());
        text.append(out);
        return out;
    }

    /**
     * Ends the filters; returns what they release at the end ("" for none), already part of the
     * text. A choice without text (a tool-call turn) gets none: nothing is ever added to it.
     *
     * @throws GatewayError when a filter refuses the answer
     */
    String end() {
        finished = true;
        String tail = StreamRelay.finish(chain, "");
        if (text.isEmpty()) {
            return "";
        }
        text.append(tail);
        return tail;
    }

    boolean finished() {
        return finished;
    }

    /** True when the client has received anything of this choice's answer: text or a tool call. */
    boolean produced() {
        return !text.isEmpty() || !calls.isEmpty();
    }

    long chars() {
        return text.length() + calls.values().stream().mapToLong(c -> c.arguments.length()).sum();
    }

    /** The message as the client assembled it: {@code role}, {@code content} (null without text), {@code tool_calls}. */
    ObjectNode message(ObjectMapper json) {
        ObjectNode m = json.createObjectNode();
        m.put("role", role);
        if (text.isEmpty()) {
            m.putNull("content");
        } else {
            m.put("content", text.toString());
        }
        if (!calls.isEmpty()) {
            ArrayNode list = m.putArray("tool_calls");
            for (Call c : calls.values()) {
                ObjectNode call = list.addObject();
                call.put("id", c.id);
                call.put("type", c.type == null ? "function" : c.type);
                call.putObject("function").put("name", c.name).put("arguments", c.arguments.toString());
            }
        }
        return m;
    }

    private static String textOr(JsonNode node, String previous) {
        return node.isTextual() && !node.asText().isEmpty() ? node.asText() : previous;
    }
}
