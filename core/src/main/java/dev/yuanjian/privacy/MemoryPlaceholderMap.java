package dev.yuanjian.privacy;

import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link PlaceholderMap} held in memory for the life of one request or command. Values are keyed
 * on their {@link EntityType#normalForm normal form}, as in the vault: {@code 13912340000} and
 * {@code 139-1234-0000} get one placeholder, which restores to the first spelling seen. Not thread-safe.
 */
public final class MemoryPlaceholderMap implements PlaceholderMap {
    private final Map<EntityType, Map<String, Placeholder>> byOriginal = new EnumMap<>(EntityType.class);
    private final Map<Placeholder, String> byPlaceholder = new HashMap<>();
    private final Set<Placeholder> reserved = new HashSet<>();
    private final Map<EntityType, Integer> last = new EnumMap<>(EntityType.class);

    @Override
    public Placeholder placeholderFor(EntityType type, String original) {
        Map<String, Placeholder> ofType = byOriginal.computeIfAbsent(type, t -> new HashMap<>());
        String key = type.normalForm(original);
        Placeholder existing = ofType.get(key);
        if (existing != null) {
            return existing;
        }
        int n = last.getOrDefault(type, 0);
        Placeholder next;
        do {
            next = new Placeholder(type, ++n);
        } while (reserved.contains(next));
        last.put(type, n);
        ofType.put(key, next);
        byPlaceholder.put(next, original);
        return next;
    }

    @Override
    public Optional<String> originalOf(Placeholder placeholder) {
        return Optional.ofNullable(byPlaceholder.get(placeholder));
    }

    @Override
    public void reserve(Placeholder literal) {
        if (!byPlaceholder.containsKey(literal)) {
            reserved.add(literal);
        }
    }
}
