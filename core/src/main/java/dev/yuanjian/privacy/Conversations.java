package dev.yuanjian.privacy;

/**
 * Where the placeholder maps of conversations that span several requests live (the encrypted vault
 * in production). A conversation belongs to the caller that opened it: the same id under another
 * owner is another conversation, so nobody reads originals by guessing an id.
 */
public interface Conversations {

    /**
     * The map of conversation {@code conversationId} of {@code owner} (an API key's id, or a fixed
     * name for the local owner), created empty when new. Its entries expire after the store's
     * time-to-live counted from their last use.
     */
    PlaceholderMap open(String owner, String conversationId);
}
