package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A validated chat completion request. {@code body} is the client's JSON as it will be forwarded
 * (unknown fields included; only {@code model} is replaced per backend and our own {@code aigc}
 * options removed).
 *
 * @param explicit  the visible label was asked for (or refused) by this request; empty = configured default
 * @param prompt    what is digested into the log entry: the messages as JSON
 * @param lastUser  the last user message's text, to choose the label's language before any output exists
 * @param caller    who sent it, in which conversation; what its request filters leave for its response filters
 */
public record ChatRequest(String model, boolean stream, ObjectNode body, Optional<Boolean> explicit, String prompt,
                          String lastUser, Caller caller) {

    /** This request as sent by {@code who} (requests are made for the local owner until the server says who called). */
    public ChatRequest withCaller(Caller who) {
        return new ChatRequest(model, stream, body, explicit, prompt, lastUser, who);
    }

    /**
     * Checks what the gateway itself relies on and leaves everything else to the upstream.
     *
     * @param explicitHeader the {@code X-AIGC-Explicit-Label} header, if sent
     * @throws GatewayError 400 for a request that is not a chat completion request
     */
    public static ChatRequest of(JsonNode root, Optional<Boolean> explicitHeader) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        JsonNode model = body.get("model");
        if (model == null || !model.isTextual() || model.asText().isBlank()) {
            throw GatewayError.invalid("model", "'model' is required and must be a non-empty string");
        }
        JsonNode messages = body.get("messages");
        if (messages == null || !messages.isArray() || messages.isEmpty()) {
            throw GatewayError.invalid("messages", "'messages' is required and must be a non-empty array");
        }
        String lastUser = "";
        for (int i = 0; i < messages.size(); i++) {
            JsonNode m = messages.get(i);
            if (!m.isObject()) {
                throw GatewayError.invalid("messages", "each message must be an object with 'role' and 'content'");
            }
            JsonNode content = m.get("content");
            // Anything else is no OpenAI message, and a shape no filter reads could carry text past them.
            if (content != null && !content.isTextual() && !content.isArray() && !content.isNull()) {
                String field = "messages[" + i + "].content";
                throw GatewayError.invalid(field, "'" + field + "' must be a string, an array of content parts or "
                        + "null, not " + (content.isObject() ? "an object" : content.isNumber() ? "a number" : "a boolean")
                        + "; send the text as a string");
            }
            if ("user".equals(m.path("role").asText()) && m.path("content").isTextual()) {
                lastUser = m.path("content").asText();
            }
        }
        JsonNode stream = body.get("stream");
        if (stream != null && !stream.isBoolean() && !stream.isNull()) {
            throw GatewayError.invalid("stream", "'stream' must be a boolean");
        }
        checkChoices(body);
        return new ChatRequest(model.asText(), stream != null && stream.asBoolean(), body,
                explicitOption(body, explicitHeader), messages.toString(), lastUser, Caller.local());
    }

    /** The most choices one request may ask for ({@code n}), as OpenAI's API allows. */
    static final int MAX_CHOICES = 128;

    /**
     * Checks {@code n}, which multiplies what the upstream generates and the gateway labels and logs.
     *
     * @throws GatewayError 400 unless absent, null or an integer from 1 to {@link #MAX_CHOICES}
     */
    static void checkChoices(JsonNode body) {
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.isIntegralNumber() || n.asLong() < 1 || n.asLong() > MAX_CHOICES)) {
            throw GatewayError.invalid("n", "'n' must be an integer from 1 to " + MAX_CHOICES + ", got " + n);
        }
    }

    /**
     * Removes our {@code aigc} options from {@code body} (they are not forwarded) and returns the
     * visible-label choice: the body's {@code explicit_label} over the header's.
     *
     * @throws GatewayError 400 when {@code aigc} is not an object with a boolean {@code explicit_label}
     */
    static Optional<Boolean> explicitOption(ObjectNode body, Optional<Boolean> explicitHeader) {
        JsonNode options = body.remove("aigc");
        if (options == null) {
            return explicitHeader;
        }
        JsonNode flag = options.get("explicit_label");
        if (!options.isObject() || (flag != null && !flag.isBoolean())) {
            throw GatewayError.invalid("aigc", "'aigc' must be an object like {\"explicit_label\": true}");
        }
        return flag != null ? Optional.of(flag.asBoolean()) : explicitHeader;
    }
}
