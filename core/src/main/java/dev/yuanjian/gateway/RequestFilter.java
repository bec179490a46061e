package dev.yuanjian.gateway;

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
}
