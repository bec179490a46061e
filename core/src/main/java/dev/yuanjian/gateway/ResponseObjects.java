package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.util.Set;
import java.util.HexFormat;

/**
 * The Responses API's objects as OpenAI shapes them (the fields the official SDKs require are always
 * present): the {@code response} object, its output items and usage, built from a translated chat
 * answer or stream.
 */
final class ResponseObjects {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Keys sorted at every depth: the same output always logs the same bytes. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ResponseObjects() {
    }

    /** A new id with OpenAI's prefix ({@code resp}, {@code msg}, {@code fc}) and 24 random bytes in hex. */
    static String id(String prefix) {
        byte[] b = new byte[24];
        RANDOM.nextBytes(b);
        return prefix + "_" + HexFormat.of().formatHex(b);
    }

    /**
     * A {@code response} object with {@code status} and an empty output, echoing the request's
     * settings as OpenAI does ({@code store} is false: nothing is stored).
     */
    static ObjectNode response(ResponsesRequest request, String id, long createdAt, String model, String status) {
        ObjectNode body = request.body();
        ObjectNode r = NODES.objectNode();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", createdAt);
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        r.set("instructions", body.path("instructions").isTextual() ? body.get("instructions") : NODES.nullNode());
        r.set("max_output_tokens", body.path("max_output_tokens").isNumber() ? body.get("max_output_tokens")
                : NODES.nullNode());
        r.put("model", model);
        r.putArray("output");
        r.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
        r.putNull("previous_response_id");
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.set("effort", body.path("reasoning").path("effort").isTextual()
                ? body.path("reasoning").get("effort") : NODES.nullNode());
        reasoning.putNull("summary");
        r.put("store", false);
        r.set("temperature", body.path("temperature").isNumber() ? body.get("temperature") : NODES.numberNode(1.0));
        ObjectNode text = r.putObject("text");
        text.set("format", body.path("text").path("format").isObject() ? body.path("text").get("format")
                : NODES.objectNode().put("type", "text"));
        r.set("tool_choice", body.has("tool_choice") && !body.get("tool_choice").isNull() ? body.get("tool_choice")
                : NODES.textNode("auto"));
        r.set("tools", body.path("tools").isArray() ? body.get("tools") : NODES.arrayNode());
        r.set("top_p", body.path("top_p").isNumber() ? body.get("top_p") : NODES.numberNode(1.0));
        r.put("truncation", "disabled");
        r.putNull("usage");
        r.set("user", body.path("user").isTextual() ? body.get("user") : NODES.nullNode());
        r.set("metadata", body.path("metadata").isObject() ? body.get("metadata") : NODES.objectNode());
        return r;
    }

    /** An assistant message item; {@code text} null for one whose text part is still empty. */
    static ObjectNode message(String id, String status, String text) {
        ObjectNode m = NODES.objectNode();
        m.put("type", "message");
        m.put("id", id);
        m.put("status", status);
        m.put("role", "assistant");
        ArrayNode content = m.putArray("content");
        if (text != null) {
            content.add(textPart(text));
        }
        return m;
    }

    static ObjectNode textPart(String text) {
        ObjectNode part = NODES.objectNode();
        part.put("type", "output_text");
        part.put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    /** A message's refusal part, as OpenAI's Responses API gives a model's refusal. */
    static ObjectNode refusalPart(String refusal) {
        return NODES.objectNode().put("type", "refusal").put("refusal", refusal);
    }

    static ObjectNode functionCall(String id, String callId, String name, String arguments, String status) {
        ObjectNode f = NODES.objectNode();
        f.put("type", "function_call");
        f.put("id", id);
        f.put("call_id", callId);
        f.put("name", name);
        f.put("arguments", arguments);
        f.put("status", status);
        return f;
    }

    /** Responses usage from chat usage ({@code prompt_tokens}, {@code completion_tokens}); null when there is none. */
    static ObjectNode usage(JsonNode chat) {
        if (chat == null || !chat.isObject() || !chat.has("prompt_tokens")) {
            return null;
        }
        long in = chat.path("prompt_tokens").asLong(0);
        long out = chat.path("completion_tokens").asLong(0);
        ObjectNode u = NODES.objectNode();
        u.put("input_tokens", in);
        u.putObject("input_tokens_details").put("cached_tokens",
                chat.path("prompt_tokens_details").path("cached_tokens").asLong(0));
        u.put("output_tokens", out);
        u.putObject("output_tokens_details").put("reasoning_tokens",
                chat.path("completion_tokens_details").path("reasoning_tokens").asLong(0));
        u.put("total_tokens", chat.path("total_tokens").asLong(in + out));
        return u;
    }

    /**
     * A chat {@code finish_reason} as a response's status and incomplete details: {@code length}
     * and {@code content_filter} leave the response incomplete, as OpenAI reports them.
     */
    static void finish(ObjectNode response, String finishReason) {
        String reason = switch (finishReason == null ? "" : finishReason) {
            case "length" -> "max_output_tokens";
            case "content_filter" -> "content_filter";
            default -> null;
        };
        if (reason == null) {
            response.put("status", "completed");
        } else {
            response.put("status", "incomplete");
            response.putObject("incomplete_details").put("reason", reason);
        }
    }

    /** Keys sorted, no white space: what an output without text is logged as. */
    static String canonical(JsonNode node) {
        try {
            // As maps and lists, so that the mapper sorts every object's keys when it writes them.
            return CANONICAL.writeValueAsString(CANONICAL.treeToValue(node, Object.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Output item types whose content the log can cover, as text or canonical JSON. */
    private static final Set<String> LOGGABLE = Set.of("message", "function_call", "custom_tool_call", "reasoning");

    /**
     * True when {@code output} holds only messages made of {@code output_text} parts: then each
     * message is logged as its text; anything else (function calls, refusals, reasoning) makes the
     * log record the canonical JSON of the whole output instead, so the hash covers all of it.
     */
    static boolean textOnly(JsonNode output) {
        for (JsonNode item : output) {
            if (!"message".equals(item.path("type").asText())) {
                return false;
            }
            for (JsonNode part : item.path("content")) {
                if (!"output_text".equals(part.path("type").asText())) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * The error for an upstream output item the gateway cannot label (an {@code
     * image_generation_call}'s base64 image, any type it does not know): 502, naming the type.
     * Null when {@code item} is one it can log.
     */
    static GatewayError unlabelable(JsonNode item) {
        String type = item.path("type").asText("(no type)");
        if (LOGGABLE.contains(type)) {
            return null;
        }
        return GatewayError.of(502, "server_error", "unlabelable_output", "the upstream's response holds an output item "
                + "of type '" + type + "', which the gateway cannot label, so the answer was not returned"
                + (type.startsWith("image_generation") ? "; generate images with /v1/images/generations, which labels them"
                : "; ask without the tool that produces it"));
    }
}
