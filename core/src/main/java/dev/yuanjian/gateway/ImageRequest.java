package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A validated image generation request ({@code /v1/images/generations}). {@code model} may be
 * empty: the first configured image backend then serves it.
 *
 * @param asUrl the client asked for {@code response_format: url}; the gateway answers with a
 *              {@code data:} URL, because it returns exactly the bytes it logged and hosts no files
 */
public record ImageRequest(String model, String prompt, int n, int width, int height, boolean asUrl, ObjectNode body) {

    public static ImageRequest of(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        JsonNode prompt = body.get("prompt");
        if (prompt == null || !prompt.isTextual() || prompt.asText().isBlank()) {
            throw GatewayError.invalid("prompt", "'prompt' is required and must be a non-empty string");
        }
        JsonNode model = body.get("model");
        if (model != null && !model.isTextual() && !model.isNull()) {
            throw GatewayError.invalid("model", "'model' must be a string");
        }
        JsonNode n = body.get("n");
        if (n != null && !n.isNull() && (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() < 1 || n.asInt() > 10)) {
            throw GatewayError.invalid("n", "'n' must be an integer from 1 to 10");
        }
        int width = 1024;
        int height = 1024;
        JsonNode size = body.get("size");
        if (size != null && !size.isNull()) {
            String[] parts = size.asText().split("x");
            try {
                if (!size.isTextual() || parts.length != 2) {
                    throw new NumberFormatException();
                }
                width = Integer.parseInt(parts[0]);
                height = Integer.parseInt(parts[1]);
                if (width < 64 || height < 64 || width > 4096 || height > 4096) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw GatewayError.invalid("size", "'size' must be WIDTHxHEIGHT, each 64 to 4096, e.g. \"1024x1024\"");
            }
        }
        JsonNode format = body.get("response_format");
        if (format != null && !format.isNull() && !format.asText().equals("url") && !format.asText().equals("b64_json")) {
            throw GatewayError.invalid("response_format", "'response_format' must be \"url\" or \"b64_json\"");
        }
        boolean asUrl = format != null && "url".equals(format.asText());
        return new ImageRequest(model == null || model.isNull() ? "" : model.asText(), prompt.asText(),
                n == null || n.isNull() ? 1 : n.asInt(), width, height, asUrl, body);
    }
}
