package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code output} a client has assembled from the Responses events passed on so far, for a
 * stream that ends before its terminal event: each item as added, its parts' text and refusal
 * deltas, function call arguments and reasoning summary deltas joined, and replaced by the whole
 * item when its {@code response.output_item.done} came. What the log records for a partial answer,
 * so that a refusal or a call sent before a break is covered like text.
 */
final class PartialOutput {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Map<String, ObjectNode> items = new LinkedHashMap<>();

    /** Takes one event as sent to the client. */
    void take(String type, JsonNode event) {
        if (type.equals("response.output_item.added") || type.equals("response.output_item.done")) {
            if (event.path("item").isObject()) {
                ObjectNode item = event.get("item").deepCopy();
                if (type.endsWith("added")) {
                    item.put("status", "incomplete");
                }
                items.put(item.path("id").asText(), item);
            }
            return;
        }
        String id = event.path("item_id").asText();
        switch (type) {
            case "response.content_part.added", "response.content_part.done" ->
                    set(parts(id, "content"), event.path("content_index").asInt(0), event.path("part").deepCopy());
            case "response.output_text.delta" -> append(part(id, event, "output_text"), "text", event.path("delta"));
            case "response.output_text.done" -> part(id, event, "output_text").set("text", event.path("text"));
            case "response.refusal.delta" -> append(part(id, event, "refusal"), "refusal", event.path("delta"));
            case "response.refusal.done" -> part(id, event, "refusal").set("refusal", event.path("refusal"));
            case "response.function_call_arguments.delta" -> append(item(id, "function_call"), "arguments",
                    event.path("delta"));
            case "response.function_call_arguments.done" -> item(id, "function_call").set("arguments",
                    event.path("arguments"));
            case "response.reasoning_summary_text.delta" -> append(summary(id, event), "text", event.path("delta"));
            case "response.reasoning_summary_text.done" -> summary(id, event).set("text", event.path("text"));
            default -> {
            }
        }
    }

    /** The items so far, in the order they were added. */
    ArrayNode output() {
        ArrayNode out = NODES.arrayNode();
        items.values().forEach(i -> out.add(i.deepCopy()));
        return out;
    }

    private ObjectNode item(String id, String type) {
        return items.computeIfAbsent(id, k -> {
            ObjectNode item = NODES.objectNode().put("id", k).put("type", type).put("status", "incomplete");
            if (type.equals("message")) {
                item.put("role", "assistant");
            }
            return item;
        });
    }

    private ArrayNode parts(String id, String member) {
        ObjectNode item = item(id, member.equals("content") ? "message" : "reasoning");
        return item.path(member).isArray() ? (ArrayNode) item.get(member) : item.putArray(member);
    }

    private ObjectNode part(String id, JsonNode event, String type) {
        ArrayNode parts = parts(id, "content");
        int index = event.path("content_index").asInt(0);
        if (index >= parts.size() || !parts.get(index).isObject()) {
            set(parts, index, NODES.objectNode().put("type", type));
        }
        return (ObjectNode) parts.get(index);
    }

    private ObjectNode summary(String id, JsonNode event) {
        ArrayNode parts = parts(id, "summary");
        int index = event.path("summary_index").asInt(0);
        if (index >= parts.size() || !parts.get(index).isObject()) {
            set(parts, index, NODES.objectNode().put("type", "summary_text"));
        }
        return (ObjectNode) parts.get(index);
    }

    private static void set(ArrayNode parts, int index, JsonNode value) {
        if (index < 0 || index > 64) {
            return; // not an index a real stream sends; nothing to place
        }
        while (parts.size() <= index) {
            parts.addNull();
        }
        parts.set(index, value);
    }

    private static void append(ObjectNode node, String member, JsonNode piece) {
        node.put(member, node.path(member).asText("") + piece.asText(""));
    }
}
