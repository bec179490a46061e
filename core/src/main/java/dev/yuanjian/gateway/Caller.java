package dev.yuanjian.gateway;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who sent one generating request and in which conversation, as the server established it, and
 * what the request filters of that request leave for its response filters (the privacy filters
 * leave the placeholder map the answer is restored with). One per request; not shared between
 * requests, so nothing of one caller's request reaches another's.
 */
public final class Caller {
    /** The owner of requests made without an API key (a gateway open on this machine, {@code yuanjian generate}). */
    public static final String LOCAL = "local";
    /** The header naming the conversation a request belongs to. */
    public static final String CONVERSATION_HEADER = "X-Yuanjian-Conversation";
    private static final Pattern CONVERSATION = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final String owner;
    private final Optional<String> keyName;
    private final Optional<String> conversation;
    private final Map<Class<?>, Object> notes = new HashMap<>();

    private Caller(String owner, Optional<String> keyName, Optional<String> conversation) {
        this.owner = owner;
        this.keyName = keyName;
        this.conversation = conversation;
    }

    /** The local owner, no conversation. */
    public static Caller local() {
        return new Caller(LOCAL, Optional.empty(), Optional.empty());
    }

    /**
     * @param owner        an API key's id, or {@link #LOCAL}
     * @param conversation the {@value #CONVERSATION_HEADER} header as sent, if it was
     * @throws GatewayError 400 when the conversation id is not 1 to 128 of {@code A-Z a-z 0-9 . _ : -}
     */
    public static Caller of(String owner, Optional<String> conversation) {
        return of(owner, Optional.empty(), conversation);
    }

    /**
     * @param keyName the API key's name, which config.yaml may choose a privacy policy by
     * @see #of(String, Optional)
     */
    public static Caller of(String owner, Optional<String> keyName, Optional<String> conversation) {
        if (owner == null || owner.isEmpty()) {
            throw new IllegalArgumentException("a caller needs an owner");
        }
        if (conversation.isPresent() && !CONVERSATION.matcher(conversation.get()).matches()) {
            throw GatewayError.invalid(CONVERSATION_HEADER, "the " + CONVERSATION_HEADER + " header must be 1 to 128 "
                    + "letters, digits, '.', '_', ':' or '-' naming your conversation (e.g. a UUID); leave it out for a "
                    + "one-off request");
        }
        return new Caller(owner, keyName, conversation);
    }

    /** An API key's id, or {@link #LOCAL}: whose conversations these are. */
    public String owner() {
        return owner;
    }

    /** The API key's name, when the caller used one. */
    public Optional<String> keyName() {
        return keyName;
    }

    /** The conversation this request continues, if the client named one. */
    public Optional<String> conversation() {
        return conversation;
    }

    /** Leaves {@code value} for the filters that run after this one on the same request. */
    public <T> void note(Class<T> type, T value) {
        notes.put(type, value);
    }

    /** What a filter of this request left under {@code type}. */
    public <T> Optional<T> noted(Class<T> type) {
        return Optional.ofNullable(type.cast(notes.get(type)));
    }
}
