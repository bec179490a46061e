package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code POST /v1/responses} request (OpenAI's Responses API), with its translation to a
 * chat completion request. The translation is what the request filters see and what chat-only
 * backends get; a backend that speaks the Responses API gets {@link #passThrough()}. Both forms
 * carry the same conversation, so a model whose backends mix the two APIs falls back between them.
 *
 * <p>Only stateless use is served: the gateway stores no response, so {@code previous_response_id},
 * {@code conversation} and {@code background} are refused (400), and {@code store} is ignored (the
 * upstream is asked to store nothing). Tools are function tools only; built-in tools ({@code
 * web_search}, {@code file_search}...) are refused. Reasoning items sent back as input are dropped
 * for chat backends (they cannot use them).
 *
 * @param body the client's JSON without our {@code aigc} options (echoed fields are read from it)
 * @param chat the same request as a chat completion (messages, tools, response_format...)
 */
public record ResponsesRequest(String model, boolean stream, ObjectNode body, ChatRequest chat) {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Fields translated, echoed or harmlessly ignored; any other is refused like OpenAI refuses one. */
    private static final Set<String> KNOWN = Set.of("model", "input", "instructions", "tools", "tool_choice",
            "temperature", "top_p", "max_output_tokens", "text", "stream", "metadata", "store", "parallel_tool_calls",
            "reasoning", "user", "include", "truncation", "service_tier", "prompt_cache_key", "safety_identifier",
            "top_logprobs", "max_tool_calls", "stream_options", "previous_response_id", "conversation", "background",
            "prompt", "aigc");

    /**
     * Checks and translates a Responses API request.
     *
     * @param explicitHeader the {@code X-AIGC-Explicit-Label} header, if sent
     * @throws GatewayError 400 naming the field that is wrong or not supported, and what to do
     */
    public static ResponsesRequest of(JsonNode root, Optional<Boolean> explicitHeader) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!KNOWN.contains(name)) {
                throw new GatewayError(400, "invalid_request_error", "unknown_parameter", name,
                        "Unknown parameter: '" + name + "'. This gateway's /v1/responses takes: " + String.join(", ",
                                KNOWN.stream().sorted().toList()), Optional.empty(), null);
            }
        }
        refuseState(body);
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("model", "'model' is required and must be a non-empty string");
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw GatewayError.invalid("stream", "'stream' must be a boolean");
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
            throw GatewayError.invalid("metadata", "'metadata' must be an object of strings");
        }

        ObjectNode chat = NODES.objectNode();
        chat.put("model", model.asText());
        ArrayNode messages = chat.putArray("messages");
        JsonNode instructions = body.get("instructions");
        if (instructions != null && !instructions.isNull()) {
            if (!instructions.isTextual()) {
                throw GatewayError.invalid("instructions", "'instructions' must be a string");
            }
            messages.addObject().put("role", "system").put("content", instructions.asText());
        }
        input(body.get("input"), messages);
        tools(body, chat);
        number(body, "temperature", chat, "temperature");
        number(body, "top_p", chat, "top_p");
        JsonNode max = body.get("max_output_tokens");
        if (max != null && !max.isNull()) {
            if (!max.canConvertToInt() || max.asInt() < 1) {
                throw GatewayError.invalid("max_output_tokens", "'max_output_tokens' must be a positive integer");
            }
            chat.put("max_tokens", max.asInt());
        }
        JsonNode parallel = body.get("parallel_tool_calls");
        if (parallel != null && parallel.isBoolean() && chat.has("tools")) {
            chat.put("parallel_tool_calls", parallel.asBoolean());
        }
        JsonNode effort = body.path("reasoning").path("effort");
        if (effort.isTextual()) {
            chat.put("reasoning_effort", effort.asText());
        }
        format(body.path("text").path("format"), chat);
        JsonNode aigc = body.remove("aigc");
        if (aigc != null) {
            chat.set("aigc", aigc);
        }
        return new ResponsesRequest(model.asText(), stream != null && stream.asBoolean(), body,
                ChatRequest.of(chat, explicitHeader));
    }

    /** This request as sent by {@code who} (see {@link ChatRequest#withCaller}). */
    public ResponsesRequest withCaller(Caller who) {
        return new ResponsesRequest(model, stream, body, chat.withCaller(who));
    }

    /**
     * The body for a backend that speaks the Responses API: the client's, with the backend's model
     * name, asked to store nothing (the gateway promises it keeps no conversation).
     */
    public ObjectNode passThrough(String upstreamModel) {
        ObjectNode forward = body.deepCopy();
        forward.put("model", upstreamModel);
        forward.put("store", false);
        forward.put("stream", stream);
        return forward;
    }

    private static void refuseState(ObjectNode body) {
        for (String field : new String[] {"previous_response_id", "conversation", "prompt"}) {
            JsonNode v = body.get(field);
            if (v != null && !v.isNull()) {
                String what = field.equals("prompt") ? "Stored prompt templates are not available here"
                        : "This gateway stores no responses or conversations, so '" + field + "' cannot be resolved";
                throw GatewayError.invalid(field, what + ". Send the whole conversation in 'input' instead "
                        + "(earlier output items included).");
            }
        }
        if (body.path("background").asBoolean(false)) {
            throw GatewayError.invalid("background", "background responses need stored state, which this gateway "
                    + "does not keep; send the request without 'background' (stream it if it is long)");
        }
    }

    /** {@code input} (a string, or a list of items) appended to {@code messages} in chat form. */
    private static void input(JsonNode input, ArrayNode messages) {
        if (input == null || input.isNull()) {
            throw GatewayError.invalid("input", "'input' is required: a string or a list of input items");
        }
        if (input.isTextual()) {
            messages.addObject().put("role", "user").put("content", input.asText());
            return;
        }
        if (!input.isArray() || input.isEmpty()) {
            throw GatewayError.invalid("input", "'input' must be a string or a non-empty list of input items");
        }
        int i = 0;
        for (JsonNode item : input) {
            String where = "input[" + i++ + "]";
            if (!item.isObject()) {
                throw GatewayError.invalid(where, where + " must be an object (a message or a function call item)");
            }
            String type = item.path("type").asText(item.has("role") ? "message" : "");
            switch (type) {
                case "message" -> message(item, where, messages);
                case "function_call" -> functionCall(item, where, messages);
                case "function_call_output" -> {
                    ObjectNode tool = messages.addObject();
                    tool.put("role", "tool");
                    tool.put("tool_call_id", text(item, "call_id", where));
                    JsonNode output = item.get("output");
                    tool.put("content", output != null && output.isTextual() ? output.asText() : joined(output, where));
                }
                case "reasoning" -> {
                    // A reasoning model's hidden state from an earlier turn: a chat backend cannot use it.
                }
                default -> throw GatewayError.invalid(where, where + " has type '" + type + "', which this gateway "
                        + "does not take; input items are messages, function_call and function_call_output");
            }
        }
    }

    private static void message(JsonNode item, String where, ArrayNode messages) {
        String role = item.path("role").asText("");
        String chatRole = switch (role) {
            case "user", "assistant", "system" -> role;
            case "developer" -> "system"; // most chat servers know only system
            default -> throw GatewayError.invalid(where + ".role",
                    where + ".role must be user, assistant, system or developer, got '" + role + "'");
        };
        JsonNode content = item.get("content");
        ObjectNode m = messages.addObject();
        m.put("role", chatRole);
        if (content != null && content.isTextual()) {
            m.put("content", content.asText());
            return;
        }
        if (content == null || !content.isArray()) {
            throw GatewayError.invalid(where + ".content", where + ".content must be a string or a list of parts");
        }
        boolean onlyText = true;
        for (JsonNode part : content) {
            onlyText &= !"input_image".equals(part.path("type").asText());
        }
        if (onlyText || !role.equals("user")) {
            m.put("content", joined(content, where + ".content"));
            return;
        }
        ArrayNode parts = m.putArray("content");
        for (JsonNode part : content) {
            if ("input_image".equals(part.path("type").asText())) {
                JsonNode url = part.get("image_url");
                if (url == null || !url.isTextual()) {
                    throw GatewayError.invalid(where + ".content", "an input_image needs 'image_url' (an https or data "
                            + "URL); uploaded files (file_id) are not available here");
                }
                ObjectNode image = parts.addObject().put("type", "image_url").putObject("image_url");
                image.put("url", url.asText());
                if (part.path("detail").isTextual()) {
                    image.put("detail", part.path("detail").asText());
                }
            } else {
                parts.addObject().put("type", "text").put("text", partText(part, where + ".content"));
            }
        }
    }

    /** A function call from an earlier turn joins the assistant message just before it, as chat expects. */
    private static void functionCall(JsonNode item, String where, ArrayNode messages) {
        ObjectNode last = messages.isEmpty() ? null : (ObjectNode) messages.get(messages.size() - 1);
        ObjectNode assistant;
        if (last != null && "assistant".equals(last.path("role").asText())) {
            assistant = last;
        } else {
            assistant = messages.addObject();
            assistant.put("role", "assistant");
            assistant.putNull("content");
        }
        ArrayNode calls = assistant.has("tool_calls") ? (ArrayNode) assistant.get("tool_calls")
                : assistant.putArray("tool_calls");
        ObjectNode call = calls.addObject();
        call.put("id", text(item, "call_id", where));
        call.put("type", "function");
        call.putObject("function").put("name", text(item, "name", where))
                .put("arguments", item.path("arguments").asText(""));
    }

    private static String text(JsonNode item, String field, String where) {
        JsonNode v = item.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw GatewayError.invalid(where + "." + field, where + " needs '" + field + "' (a string)");
        }
        return v.asText();
    }

    /** The text of a list of text parts, in order. */
    private static String joined(JsonNode parts, String where) {
        if (parts == null || !parts.isArray()) {
            throw GatewayError.invalid(where, where + " must be a string or a list of text parts");
        }
        StringBuilder out = new StringBuilder();
        for (JsonNode part : parts) {
            out.append(partText(part, where));
        }
        return out.toString();
    }

    private static String partText(JsonNode part, String where) {
        String type = part.path("type").asText("");
        return switch (type) {
            case "input_text", "output_text", "text" -> {
                if (!part.path("text").isTextual()) {
                    throw GatewayError.invalid(where, "a " + type + " part needs 'text' (a string)");
                }
                yield part.path("text").asText();
            }
            case "refusal" -> part.path("refusal").asText("");
            default -> throw GatewayError.invalid(where, "content parts of type '" + type + "' are not available here; "
                    + "use input_text, output_text or (in user messages) input_image");
        };
    }

    private static void tools(ObjectNode body, ObjectNode chat) {
        JsonNode tools = body.get("tools");
        if (tools != null && !tools.isNull()) {
            if (!tools.isArray()) {
                throw GatewayError.invalid("tools", "'tools' must be a list of function tools");
            }
            if (!tools.isEmpty()) {
                ArrayNode out = chat.putArray("tools");
                int i = 0;
                for (JsonNode tool : tools) {
                    String where = "tools[" + i++ + "]";
                    String type = tool.path("type").asText("");
                    if (type.isEmpty()) {
                        throw GatewayError.invalid(where, where + " must be a function tool: {\"type\": \"function\", "
                                + "\"name\": ..., \"parameters\": {...}}");
                    }
                    if (!type.equals("function")) {
                        throw GatewayError.invalid(where, "the built-in tool '" + type + "' is not available through "
                                + "this gateway (its backends are chat models); declare your own function tools instead");
                    }
                    ObjectNode function = out.addObject().put("type", "function").putObject("function");
                    function.put("name", text(tool, "name", where));
                    for (String field : new String[] {"description", "parameters", "strict"}) {
                        if (tool.has(field) && !tool.get(field).isNull()) {
                            function.set(field, tool.get(field));
                        }
                    }
                }
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (choice == null || choice.isNull()) {
            return;
        }
        if (choice.isTextual() && Set.of("none", "auto", "required").contains(choice.asText())) {
            chat.put("tool_choice", choice.asText());
        } else if (choice.isObject() && "function".equals(choice.path("type").asText())) {
            chat.putObject("tool_choice").put("type", "function").putObject("function")
                    .put("name", text(choice, "name", "tool_choice"));
        } else {
            throw GatewayError.invalid("tool_choice", "'tool_choice' must be none, auto, required or "
                    + "{\"type\": \"function\", \"name\": ...}");
        }
    }

    private static void format(JsonNode format, ObjectNode chat) {
        if (format.isMissingNode() || format.isNull()) {
            return;
        }
        String type = format.path("type").asText("");
        switch (type) {
            case "text" -> {
            }
            case "json_object" -> chat.putObject("response_format").put("type", "json_object");
            case "json_schema" -> {
                ObjectNode schema = chat.putObject("response_format").put("type", "json_schema")
                        .putObject("json_schema");
                schema.put("name", text(format, "name", "text.format"));
                if (!format.path("schema").isObject()) {
                    throw GatewayError.invalid("text.format.schema", "a json_schema format needs 'schema' (an object)");
                }
                schema.set("schema", format.get("schema"));
                for (String field : new String[] {"description", "strict"}) {
                    if (format.has(field) && !format.get(field).isNull()) {
                        schema.set(field, format.get(field));
                    }
                }
            }
            default -> throw GatewayError.invalid("text.format.type",
                    "'text.format.type' must be text, json_object or json_schema, got '" + type + "'");
        }
    }

    private static void number(ObjectNode from, String field, ObjectNode to, String as) {
        JsonNode v = from.get(field);
        if (v == null || v.isNull()) {
            return;
        }
        if (!v.isNumber()) {
            throw GatewayError.invalid(field, "'" + field + "' must be a number");
        }
        to.set(as, v);
    }
}
