package dev.yuanjian.gateway;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A check or rewrite of a chat request that runs before any backend is called (privacy filters
 * replace personal data here). Filters run in the order the composition root lists them.
 */
public interface RequestFilter {

    /** Stable name, for logs and errors. */
    String name();

    /**
     * Inspects {@code request} and may rewrite its {@link ChatRequest#body()} in place.
     *
     * @throws GatewayError to refuse the request (an OpenAI-shaped error reaches the client and no
     *                      backend is called)
     */
    void filter(ChatRequest request);

    /**
     * Whether a Responses API request may reach a Responses backend as the client sent it
     * ({@code responsesBody}), once {@link #filter} has run on its chat form {@code chat}; when any
     * filter says no, the request goes as the chat form. Default: yes (this filter rewrites only
     * what the chat form carries).
     */
    default boolean passesThrough(ObjectNode responsesBody, ChatRequest chat) {
        return true;
    }

    /**
     * Inspects and may rewrite the JSON body of a request that is relayed as it is, with nothing in
     * its answer to restore ({@code /v1/embeddings}, {@code /v1/moderations}). Default: nothing.
     *
     * @throws GatewayError to refuse the request (no backend is called)
     */
    default void filterRelayed(ObjectNode body, Caller caller) {
    }
}
