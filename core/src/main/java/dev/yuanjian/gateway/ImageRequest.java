package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.c2pa.C2paMark;
import dev.yuanjian.label.ExplicitLabelMark;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A validated image generation request ({@code /v1/images/generations}). {@code model} may be
 * empty: the first configured image backend then serves it.
 *
 * @param asUrl         the client asked for {@code response_format: url}; the gateway answers with a
 *                      {@code data:} URL, because it returns exactly the bytes it logged and hosts no files
 * @param explicitLabel the visible corner label asked for by this request ({@code aigc.explicit_label},
 *                      else the {@code X-AIGC-Explicit-Label} header); empty: the gateway's setting
 * @param c2pa          false when the request asked for no C2PA Content Credentials ({@code aigc.c2pa: false})
 * @param watermark     false when the request asked for no invisible watermark ({@code aigc.watermark: false})
 * @param body          the request without our {@code aigc} options, which are never forwarded
 */
public record ImageRequest(String model, String prompt, int n, int width, int height, boolean asUrl,
                           Optional<Boolean> explicitLabel, boolean c2pa, boolean watermark, ObjectNode body) {

    /**
     * Validates an image generation body and takes our options out of it: {@code "aigc":
     * {"explicit_label": false, "c2pa": false, "watermark": false}} (each optional). The GB 45438 metadata label and the
     * log entry are not options: every image carries and gets them.
     *
     * @param explicitHeader the {@code X-AIGC-Explicit-Label} header's choice; the body's wins
     * @throws GatewayError 400 naming the field that is missing or malformed
     */
    public static ImageRequest of(JsonNode root, Optional<Boolean> explicitHeader) {
        if (root == null || !root.isObject()) {
            throw GatewayError.invalid(null, "the request body must be a JSON object");
        }
        ObjectNode body = (ObjectNode) root;
        JsonNode options = body.remove("aigc");
        Optional<Boolean> explicit = flag(options, "explicit_label").or(() -> explicitHeader);
        boolean c2pa = flag(options, "c2pa").orElse(true);
        boolean watermark = flag(options, "watermark").orElse(true);
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
                n == null || n.isNull() ? 1 : n.asInt(), width, height, asUrl, explicit, c2pa, watermark, body);
    }

    /**
     * The names of the marks this request leaves out ({@link dev.yuanjian.pipeline.Pipeline.Request#omit}):
     * the visible label unless asked for (by the request, else {@code visibleByDefault}), and C2PA when refused.
     */
    public Set<String> omit(boolean visibleByDefault) {
        Set<String> omit = new HashSet<>();
        if (!explicitLabel.orElse(visibleByDefault)) {
            omit.add(ExplicitLabelMark.NAME);
        }
        if (!c2pa) {
            omit.add(C2paMark.NAME);
        }
        if (!watermark) {
            omit.add(dev.yuanjian.watermark.WatermarkMark.NAME);
        }
        return Set.copyOf(omit);
    }

    private static Optional<Boolean> flag(JsonNode options, String name) {
        if (options == null || options.isNull()) {
            return Optional.empty();
        }
        JsonNode flag = options.get(name);
        if (!options.isObject() || flag != null && !flag.isBoolean()) {
            throw GatewayError.invalid("aigc", "'aigc' must be an object like {\"explicit_label\": false, \"c2pa\": false, \"watermark\": false}"
                    + " (each optional, true or false)");
        }
        return flag == null ? Optional.empty() : Optional.of(flag.asBoolean());
    }
}
