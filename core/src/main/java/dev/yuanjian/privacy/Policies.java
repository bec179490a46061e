package dev.yuanjian.privacy;

import java.util.Map;
import java.util.Optional;

/**
 * The policy of each caller: {@code defaults} for everyone, overridden for an API key named by its
 * id or its name (config.yaml {@code privacy.keys}). The id wins over the name.
 */
public record Policies(Policy defaults, Map<String, Policy> byKey) {
    public static final Policies DEFAULTS = new Policies(Policy.REPLACE_ALL, Map.of());

    public Policies {
        byKey = Map.copyOf(byKey);
    }

    /** The policy of the key {@code id} / {@code name}; empty for a local caller without a key. */
    public Policy forCaller(Optional<String> id, Optional<String> name) {
        return id.map(byKey::get).or(() -> name.map(byKey::get)).orElse(defaults);
    }
}
