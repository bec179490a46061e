package dev.yuanjian.testing;

import dev.yuanjian.privacy.Conversations;
import dev.yuanjian.privacy.MemoryPlaceholderMap;
import dev.yuanjian.privacy.PlaceholderMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Conversations kept in memory for tests, keyed by owner and id, as the vault keys them; never expire. */
public final class MemoryConversations implements Conversations {
    private final Map<String, PlaceholderMap> maps = new ConcurrentHashMap<>();

    @Override
    public PlaceholderMap open(String owner, String conversationId) {
        return maps.computeIfAbsent(owner + "\u0000" + conversationId, k -> new MemoryPlaceholderMap());
    }
}
