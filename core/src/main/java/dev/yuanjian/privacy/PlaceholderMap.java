package dev.yuanjian.privacy;

import java.util.Optional;

/**
 * The placeholders of one conversation, both ways: the same original always gets the same
 * placeholder, and a placeholder maps back only to the original it was issued for. Implementations:
 * {@link MemoryPlaceholderMap} for one request or one command, and the encrypted vault for
 * conversations that span requests.
 */
public interface PlaceholderMap {

    /**
     * The placeholder standing for {@code original} of kind {@code type}; issues the next number of
     * that kind when this original is new. Never returns a placeholder that {@link #reserve} was
     * told already appears literally in the conversation's text.
     */
    Placeholder placeholderFor(EntityType type, String original);

    /** The original {@code placeholder} stands for, if this map issued it. */
    Optional<String> originalOf(Placeholder placeholder);

    /**
     * Records that {@code text} contains placeholder-shaped literals written by the user, so that
     * none of them is issued for a different value (they then stay literal text when restoring).
     */
    void reserve(Placeholder literal);

    /**
     * Stores for good what this map issued and reserved since the last flush, in one transaction:
     * callers call it when a request's masking is done (the vault otherwise writes nothing). Nothing
     * to do for a map held in memory.
     */
    default void flush() {
    }

    /** Drops what was issued since the last flush (a masking that failed half-way). */
    default void discard() {
    }
}
