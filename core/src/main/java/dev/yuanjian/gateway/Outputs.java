package dev.yuanjian.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.container.Asset;
import dev.yuanjian.container.FormatException;
import dev.yuanjian.label.ExplicitLabelMark;
import dev.yuanjian.pipeline.Pipeline;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every output through the one pipeline: text is labelled as {@code completion.txt} (the plain
 * text container keeps the label beside the text, so the log records the SHA-256 of exactly the
 * returned text; its visible label, if any, was added by {@link ExplicitLabelFilter}); PNG, JPEG and
 * WebP images are marked by the pipeline (metadata label, C2PA Content Credentials, and on PNG and
 * JPEG the visible corner label when asked for: WebP pixels cannot be decoded here) and the marked
 * bytes are what the client gets; other images (unknown formats, or bytes a container refuses as
 * corrupt) are recorded by their exact bytes, label only in the envelope; so is audio (speech),
 * whose label is in the response headers.
 */
final class Outputs {
    private static final Set<String> NO_VISIBLE = Set.of(ExplicitLabelMark.NAME);
    /** Keys sorted at every depth, no white space: the same message always serialises to the same bytes. */
    private static final ObjectMapper CANONICAL = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final Pipeline pipeline;

    Outputs(Pipeline pipeline) {
        this.pipeline = pipeline;
    }

    /** Labels and logs one text exactly as it was returned. */
    Pipeline.Result text(String text, String model, String prompt) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        try {
            return pipeline.label(new Pipeline.Request(Asset.of("completion.txt", bytes), NO_VISIBLE, model,
                    Optional.of(prompt)));
        } catch (FormatException e) {
            // Text that starts like a PDF or ZIP file ("%PDF-", "PK\3\4") is refused by format
            // detection. It is still an output: log its exact bytes and return the label beside it.
            return pipeline.record("completion.txt", bytes, "text/plain", model, Optional.of(prompt));
        }
    }

    /**
     * What the log records for one choice's assistant {@code message} as returned (whole, or
     * assembled from a stream): its text exactly, when the message is text alone; otherwise (tool
     * or function calls, a refusal, audio, reasoning ({@code reasoning_content} or {@code
     * reasoning}), or any other member that carries something) the canonical JSON of the message:
     * keys sorted at every depth, no white space, and the top-level members that carry nothing
     * ({@code null}, {@code ""}, {@code []}, {@code {}}) left out, so that a whole answer's {@code
     * "refusal":null,"annotations":[]} and a stream that never sent them log the same bytes, and
     * the hash covers everything the client got rather than an empty string. "" for no message.
     */
    static String loggedForm(JsonNode message) {
        if (message == null || !message.isObject()) {
            return "";
        }
        TreeMap<String, JsonNode> carried = new TreeMap<>();
        message.properties().forEach(e -> {
            if (carries(e.getValue())) {
                carried.put(e.getKey(), e.getValue());
            }
        });
        carried.remove("role");
        JsonNode content = carried.remove("content");
        if (carried.isEmpty()) {
            return content != null && content.isTextual() ? content.asText() : "";
        }
        ObjectNode canonical = ((ObjectNode) message).objectNode();
        message.properties().forEach(e -> {
            if (carries(e.getValue())) {
                canonical.set(e.getKey(), e.getValue());
            }
        });
        try {
            return CANONICAL.writeValueAsString(CANONICAL.treeToValue(canonical, TreeMap.class));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a parsed message did not serialise", e);
        }
    }

    private static boolean carries(JsonNode value) {
        return !(value.isNull() || value.isMissingNode() || value.isTextual() && value.asText().isEmpty()
                || value.isContainerNode() && value.isEmpty());
    }

    /**
     * Labels and logs one image; the result's asset holds the bytes to return. {@code omit} names the
     * optional marks left out ({@link ImageRequest#omit}: the visible corner label, C2PA).
     */
    Pipeline.Result image(String name, byte[] bytes, String mediaType, Set<String> omit, String model, String prompt) {
        try {
            return pipeline.label(new Pipeline.Request(Asset.of(name, bytes), omit, model, Optional.of(prompt)));
        } catch (FormatException e) {
            // No container for the format, or bytes a container refuses as corrupt: still an
            // output, so log its exact bytes and return the label beside it.
            return pipeline.record(name, bytes, mediaType, model, Optional.of(prompt));
        }
    }

    /**
     * Logs a generated file that no container marks yet (speech audio) by its exact bytes; the
     * label travels beside it (headers, envelope) and the bytes are returned unchanged.
     */
    Pipeline.Result recorded(String name, byte[] bytes, String mediaType, String model, String prompt) {
        return pipeline.record(name, bytes, mediaType, model, Optional.of(prompt));
    }

    /** Tokens when the upstream reports none: four characters a token, the usual rule of thumb. */
    static long estimateTokens(long chars) {
        return Math.max(1, (chars + 3) / 4);
    }
}
