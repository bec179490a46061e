/**
 * The OpenAI-compatible HTTP surface: {@code POST /v1/chat/completions} (streaming and not),
 * {@code POST /v1/images/generations}, {@code GET /v1/models}. {@link
 * dev.yuanjian.server.gateway.GatewayRoutes#install} adds them to the server in one line.
 *
 * <p>Owns: reading request bodies safely (size limit, strict JSON), API-key checks per request,
 * writing answers, server-sent events and OpenAI-shaped errors. Must not touch: routing, labels or
 * the log (that is {@code dev.yuanjian.gateway} in core), nor the server's other routes.
 */
package dev.yuanjian.server.gateway;
