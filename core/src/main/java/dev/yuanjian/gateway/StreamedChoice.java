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
 * assembles it from the deltas sent, which is what the log records when the choice ends: role, the
 * text after the filters, tool calls with their arguments concatenated, the {@code refusal}, the
 * reasoning ({@code reasoning_content}, or {@code reasoning} as some servers name it) and the
 * {@code audio} ({@code id}, {@code expires_at}, {@code transcript} and {@code data} concatenated),
 * so that a streamed answer logs the same message as the same answer whole.
 */
final class StreamedChoice {
    final int index;
    final List<ResponseFilter.AnswerFilter> chain;
    private final StringBuilder text = new StringBuilder();
    private final Map<Integer, Call> calls = new TreeMap<>();
    /** Text pieces that are not {@code content}, concatenated, by member name: refusal, reasoning. */
    private final Map<String, StringBuilder> texts = new TreeMap<>();
    private Audio audio;
    private String role = "assistant";
    private boolean finished;
    /** The last {@link #take} changed a tool call's arguments in its delta. */
    private boolean rewrote;
    /** What the filters released of each tool call's arguments at the end, by call index. */
    private final Map<Integer, String> argumentTails = new TreeMap<>();

    private static final class Call {
        String id;
        String type;
        String name;
        final StringBuilder arguments = new StringBuilder();
    }

    private static final class Audio {
        String id;
        JsonNode expiresAt;
        final StringBuilder transcript = new StringBuilder();
        final StringBuilder data = new StringBuilder();
    }

    /** Delta members whose string pieces the client concatenates, beside {@code content}. */
    private static final List<String> PIECES = List.of("refusal", "reasoning_content", "reasoning");

    StreamedChoice(int index, List<ResponseFilter.AnswerFilter> chain) {
        this.index = index;
        this.chain = chain;
    }

    /** Takes one delta as received; returns the content to send for it (the filters' output), or null for none. */
    String take(JsonNode delta) {
        if (delta.path("role").isTextual()) {
            role = delta.path("role").asText();
        }
        rewrote = false;
        for (JsonNode call : delta.path("tool_calls")) {
            int key = call.path("index").asInt(calls.size());
            Call c = calls.computeIfAbsent(key, k -> new Call());
            c.id = textOr(call.path("id"), c.id);
            c.type = textOr(call.path("type"), c.type);
            c.name = textOr(call.path("function").path("name"), c.name);
            if (call.path("function").path("arguments").isTextual()) {
                String piece = call.path("function").path("arguments").asText();
                String out = StreamRelay.passArguments(chain, key, piece);
                if (!out.equals(piece)) {
                    ((ObjectNode) call.get("function")).put("arguments", out); // the chunk is re-serialised
                    rewrote = true;
                }
                c.arguments.append(out);
            }
        }
        for (String name : PIECES) {
            if (delta.path(name).isTextual() && !delta.path(name).asText().isEmpty()) {
                texts.computeIfAbsent(name, k -> new StringBuilder()).append(delta.path(name).asText());
            }
        }
        JsonNode a = delta.path("audio");
        if (a.isObject()) {
            audio = audio == null ? new Audio() : audio;
            audio.id = textOr(a.path("id"), audio.id);
            if (!a.path("expires_at").isMissingNode() && !a.path("expires_at").isNull()) {
                audio.expiresAt = a.get("expires_at");
            }
            audio.transcript.append(a.path("transcript").asText(""));
            audio.data.append(a.path("data").asText(""));
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
        for (Map.Entry<Integer, Call> c : calls.entrySet()) {
            String released = StreamRelay.finishArguments(chain, c.getKey());
            if (!released.isEmpty()) {
                c.getValue().arguments.append(released);
                argumentTails.put(c.getKey(), released);
            }
        }
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

    /** Whether the last {@link #take} rewrote a tool call's arguments in the delta it was given. */
    boolean rewroteArguments() {
        return rewrote;
    }

    /** Whether the filters released a tail of some tool call's arguments at the end, not yet added to a delta. */
    boolean hasArgumentTails() {
        return !argumentTails.isEmpty();
    }

    /**
     * Adds to {@code delta} what the filters released of each tool call's arguments when the choice
     * ended (a held-back tail), as {@code tool_calls} pieces by index; false when there was none.
     */
    boolean addArgumentTails(ObjectNode delta) {
        if (argumentTails.isEmpty()) {
            return false;
        }
        ArrayNode list = delta.has("tool_calls") && delta.get("tool_calls").isArray()
                ? (ArrayNode) delta.get("tool_calls") : delta.putArray("tool_calls");
        argumentTails.forEach((index, tail) -> list.addObject().put("index", index).putObject("function")
                .put("arguments", tail));
        argumentTails.clear();
        return true;
    }

    /** True when the client has received anything of this choice's answer: text, a tool call, a refusal, reasoning, audio. */
    boolean produced() {
        return !text.isEmpty() || !calls.isEmpty() || !texts.isEmpty() || audio != null;
    }

    long chars() {
        return text.length() + calls.values().stream().mapToLong(c -> c.arguments.length()).sum()
                + texts.values().stream().mapToLong(StringBuilder::length).sum()
                + (audio == null ? 0 : audio.transcript.length());
    }

    /**
     * The message as the client assembled it: {@code role}, {@code content} (null without text),
     * {@code tool_calls}, and the refusal, reasoning and {@code audio} when any came.
     */
    ObjectNode message(ObjectMapper json) {
        ObjectNode m = json.createObjectNode();
        m.put("role", role);
        if (text.isEmpty()) {
            m.putNull("content");
        } else {
            m.put("content", text.toString());
        }
        texts.forEach((name, value) -> m.put(name, value.toString()));
        if (audio != null) {
            ObjectNode a = m.putObject("audio");
            a.put("id", audio.id);
            a.put("data", audio.data.toString());
            a.set("expires_at", audio.expiresAt);
            a.put("transcript", audio.transcript.toString());
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
