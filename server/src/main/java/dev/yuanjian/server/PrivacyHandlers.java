package dev.yuanjian.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.yuanjian.app.JsonViews;
import dev.yuanjian.app.Yuanjian;
import dev.yuanjian.keys.ApiKey;
import dev.yuanjian.privacy.Entity;
import dev.yuanjian.privacy.EntityType;
import dev.yuanjian.privacy.MaskingRefused;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.PlaceholderMap;
import dev.yuanjian.privacy.Policy;
import dev.yuanjian.privacy.Pseudonymizer;
import dev.yuanjian.privacy.vault.Vault;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/v1/pii/*}: scan and mask a text, forget a person's value (docs/http-api.md). Scan also
 * answers Presidio's analyzer request ({@code language} present) in Presidio's shape, offsets in
 * code points as Python counts them. No original value is logged or put in an error message here:
 * a body that does not parse is refused by its position only.
 */
final class PrivacyHandlers {
    /** The largest JSON body: the text and its normalised copy are held in memory. */
    static final int MAX_BODY_BYTES = 4 << 20;
    /** The owner of conversations opened by a local caller without a key. */
    static final String LOCAL_OWNER = "local";

    private final Yuanjian app;
    private final ObjectMapper json = JsonViews.mapper();

    PrivacyHandlers(Yuanjian app) {
        this.app = app;
    }

    /** POST /api/v1/pii/scan: ours {@code {"text"}}, or Presidio's {@code {"text","language",...}}. */
    void scan(Context ctx) {
        JsonNode body = body(ctx);
        String text = text(body, "text");
        List<Entity> entities = app.analyzer().analyze(text);
        if (body.has("language")) {
            presidio(ctx, body, text, entities);
            return;
        }
        ObjectNode out = json.createObjectNode();
        out.set("entities", entities(entities));
        ctx.json(out);
    }

    private void presidio(Context ctx, JsonNode body, String text, List<Entity> entities) {
        String language = body.path("language").asText("");
        if (!language.equals("zh") && !language.equals("en")) {
            throw new HttpResponseException(400, "language must be \"zh\" or \"en\"", Map.of("code", "unsupported_language"));
        }
        Optional<Set<String>> wanted = Optional.empty();
        if (body.hasNonNull("entities")) {
            if (!body.get("entities").isArray()) {
                throw new HttpResponseException(400, "entities must be an array of entity type names",
                        Map.of("code", "bad_request"));
            }
            Set<String> names = new HashSet<>();
            body.get("entities").forEach(n -> names.add(n.asText()));
            wanted = Optional.of(names);
        }
        double threshold = 0;
        if (body.hasNonNull("score_threshold")) {
            if (!body.get("score_threshold").isNumber()) {
                throw new HttpResponseException(400, "score_threshold must be a number in [0, 1]", Map.of("code", "bad_request"));
            }
            threshold = body.get("score_threshold").asDouble();
        }
        ArrayNode out = json.createArrayNode();
        for (Entity e : entities) {
            String name = e.type().presidioName();
            if (e.score() < threshold || wanted.isPresent() && !wanted.get().contains(name)) {
                continue;
            }
            // Python indexes strings by code point; ours are UTF-16 units: an emoji before a value is
            // one index there and two here.
            out.addObject().put("entity_type", name).put("start", text.codePointCount(0, e.start()))
                    .put("end", text.codePointCount(0, e.end())).put("score", e.score());
        }
        ctx.json(out);
    }

    /**
     * POST /api/v1/pii/mask {@code {"text", "conversation"?}}: the text masked by the caller's policy
     * (config.yaml privacy.policy, or privacy.keys for its key). With a conversation, placeholders
     * come from the vault and stay the same across requests of that conversation of this caller.
     */
    void mask(Context ctx) {
        JsonNode body = body(ctx);
        String text = text(body, "text");
        Optional<ApiKey> key = AccessCheck.key(ctx);
        Policy policy = app.privacy().policies().forCaller(key.map(ApiKey::id), key.map(ApiKey::name));
        PlaceholderMap map = new MemoryPlaceholderMap();
        if (body.hasNonNull("conversation")) {
            String conversation = text(body, "conversation");
            if (conversation.isEmpty() || conversation.length() > 200) {
                throw new HttpResponseException(400, "conversation must be 1 to 200 characters", Map.of("code", "bad_request"));
            }
            map = app.conversations().open(key.map(ApiKey::id).orElse(LOCAL_OWNER), conversation);
        }
        Pseudonymizer.Masked masked = app.pseudonymizer().mask(text, map, policy);
        map.flush(); // the request's new vault entries, stored in one transaction
        ObjectNode out = json.createObjectNode().put("text", masked.text());
        out.set("entities", entities(masked.entities()));
        ctx.json(out);
    }

    /**
     * POST /api/v1/pii/forget {@code {"subject", "type"?}}: erases the value's vault entries and
     * subject key everywhere.
     */
    void forget(Context ctx) {
        JsonNode body = body(ctx);
        String subject = text(body, "subject");
        if (subject.isBlank()) {
            throw new HttpResponseException(400, "subject must not be empty", Map.of("code", "bad_request"));
        }
        Optional<EntityType> type = Optional.empty();
        if (body.hasNonNull("type")) {
            try {
                type = Optional.of(Policy.type(text(body, "type")));
            } catch (IllegalArgumentException e) {
                throw new HttpResponseException(400, "type: " + e.getMessage(), Map.of("code", "bad_request"));
            }
        }
        Vault.Forgotten forgotten;
        try {
            forgotten = app.vault().forget(subject, type);
        } catch (java.io.UncheckedIOException e) {
            throw new HttpResponseException(503, "the vault cannot be opened: its key (keys/vault.key or "
                    + "YUANJIAN_VAULT_KEY) is missing or not the vault's; the operator must restore the original key",
                    Map.of("code", MaskingRefused.Reason.VAULT_UNAVAILABLE.code()));
        }
        ctx.json(json.createObjectNode().put("entries", forgotten.entries()).put("subjectKeys", forgotten.subjects()));
    }

    private ArrayNode entities(List<Entity> entities) {
        ArrayNode list = json.createArrayNode();
        for (Entity e : entities) {
            list.addObject().put("type", e.type().name()).put("tag", e.type().tag()).put("start", e.start())
                    .put("end", e.end()).put("score", e.score()).put("recognizer", e.recognizer());
        }
        return list;
    }

    private JsonNode body(Context ctx) {
        long declared = ctx.contentLength();
        if (declared > MAX_BODY_BYTES) {
            throw new HttpResponseException(413, "the body is larger than " + (MAX_BODY_BYTES >> 20) + " MiB; send "
                    + "the text in smaller parts", Map.of("code", "too_large"));
        }
        byte[] bytes = ctx.bodyAsBytes();
        ErrorWriter.bodyConsumed(ctx);
        if (bytes.length > MAX_BODY_BYTES) {
            throw new HttpResponseException(413, "the body is larger than " + (MAX_BODY_BYTES >> 20) + " MiB",
                    Map.of("code", "too_large"));
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new HttpResponseException(400, "the body must be a JSON object", Map.of("code", "bad_request"));
            }
            return node;
        } catch (JsonProcessingException e) {
            // Jackson's message quotes the text around the fault: that may be personal data.
            var at = e.getLocation();
            throw new HttpResponseException(400, "the body is not valid UTF-8 JSON" + (at == null ? ""
                    : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"), Map.of("code", "bad_request"));
        } catch (java.io.IOException e) {
            throw new HttpResponseException(400, "the body is not valid UTF-8 JSON", Map.of("code", "bad_request"));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || !node.isTextual()) {
            throw new HttpResponseException(400, field + " must be a string", Map.of("code", "bad_request"));
        }
        return node.asText();
    }
}
