package dev.yuanjian.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.yuanjian.privacy.Policies;
import dev.yuanjian.privacy.Policy;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How personal data is treated (docs/privacy.md). config.yaml keys and the variables that win:
 *
 * <pre>
 * privacy.gateway          YUANJIAN_PRIVACY_GATEWAY           default true: the gateway masks personal data before any
 *                                                             backend call and restores it in answers
 * privacy.policy           -                                  KIND: OPERATOR mapping (or "KIND=OP,..." text); default: replace all
 * privacy.keys.ID_OR_NAME  -                                  the same, for one API key (by id, else by name)
 * privacy.vault.ttlHours   YUANJIAN_PRIVACY_VAULT_TTL_HOURS   default 24: a vault entry unused this long is purged
 * </pre>
 *
 * The vault key itself comes from {@code YUANJIAN_VAULT_KEY} or {@code keys/vault.key}.
 *
 * @param policies  the default policy and the per-key ones
 * @param vaultTtl  how long an unused vault entry lives
 * @param gateway   whether the gateway masks prompts and restores answers
 */
public record PrivacyConfig(Policies policies, Duration vaultTtl, boolean gateway) {
    public static final Duration DEFAULT_TTL = Duration.ofHours(24);
    public static final PrivacyConfig DEFAULTS = new PrivacyConfig(Policies.DEFAULTS, DEFAULT_TTL, true);

    /**
     * The privacy settings of the parsed config.yaml {@code root} and {@code env}.
     *
     * @throws IllegalArgumentException naming the key, when a value is malformed
     */
    public static PrivacyConfig parse(JsonNode root, Map<String, String> env) {
        JsonNode privacy = root.path("privacy");
        Policy defaults = policy(privacy.path("policy"), "privacy.policy");
        Map<String, Policy> byKey = new LinkedHashMap<>();
        privacy.path("keys").properties().forEach(e ->
                byKey.put(e.getKey(), policy(e.getValue(), "privacy.keys." + e.getKey())));
        String ttl = env.get("YUANJIAN_PRIVACY_VAULT_TTL_HOURS");
        JsonNode ttlNode = privacy.at("/vault/ttlHours");
        long hours;
        try {
            hours = ttl != null && !ttl.isBlank() ? Long.parseLong(ttl.strip())
                    : ttlNode.isMissingNode() || ttlNode.isNull() ? DEFAULT_TTL.toHours() : Long.parseLong(ttlNode.asText());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("privacy.vault.ttlHours (YUANJIAN_PRIVACY_VAULT_TTL_HOURS) must be a whole "
                    + "number of hours");
        }
        if (hours < 1) {
            throw new IllegalArgumentException("privacy.vault.ttlHours must be at least 1, got " + hours);
        }
        return new PrivacyConfig(new Policies(defaults, byKey), Duration.ofHours(hours), gateway(privacy, env));
    }

    private static boolean gateway(JsonNode privacy, Map<String, String> env) {
        String variable = env.get("YUANJIAN_PRIVACY_GATEWAY");
        JsonNode node = privacy.path("gateway");
        String value = variable != null && !variable.isBlank() ? variable.strip()
                : node.isMissingNode() || node.isNull() ? "true" : node.asText();
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new IllegalArgumentException("privacy.gateway (YUANJIAN_PRIVACY_GATEWAY) must be true or "
                    + "false, got " + value);
        };
    }

    private static Policy policy(JsonNode node, String key) {
        try {
            if (node.isMissingNode() || node.isNull()) {
                return Policy.REPLACE_ALL;
            }
            if (node.isTextual()) {
                return Policy.parse(node.asText());
            }
            if (!node.isObject()) {
                throw new IllegalArgumentException("expected a mapping of KIND: OPERATOR");
            }
            Map<String, String> entries = new LinkedHashMap<>();
            node.properties().forEach(e -> entries.put(e.getKey(), e.getValue().asText()));
            return Policy.of(entries);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + ": " + e.getMessage(), e);
        }
    }
}
