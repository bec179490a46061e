/**
 * The OpenAI-compatible HTTP surface: {@code POST /v1/chat/completions} and {@code POST /v1/responses}
 * (streaming and not), {@code POST /v1/images/generations}, {@code GET /v1/models}. {@link
 * dev.yuanjian.server.gateway.GatewayRoutes#routes} adds them to the server in one line; {@link
 * dev.yuanjian.server.gateway.GatewayRoutes#install} serves the gateway alone (benchmarks, tests).
 *
 * <p>Owns: reading request bodies safely (size limit, strict JSON), writing answers and server-sent
 * events, charging a request's tokens to the key {@link dev.yuanjian.server.AccessCheck} admitted.
 * Access checks and error bodies are the server's ({@code AccessCheck}, {@code ErrorWriter}), shared
 * with every other route. Must not touch: routing, labels or the log (that is {@code
 * dev.yuanjian.gateway} in core), nor the server's other routes.
 */
package dev.yuanjian.server.gateway;
