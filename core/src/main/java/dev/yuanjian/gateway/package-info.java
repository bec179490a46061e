/**
 * The OpenAI-compatible gateway as plain logic, shared by the HTTP server and {@code yuanjian
 * generate}: validates requests, routes them over the model backends ({@code dev.yuanjian.model}),
 * and sends every output through the one labelling pipeline ({@code dev.yuanjian.pipeline}), so each
 * answer comes back with its GB 45438 label and content id and has a log entry. Checks plug in as
 * {@link dev.yuanjian.gateway.RequestFilter}s (before any backend is called) and
 * {@link dev.yuanjian.gateway.ResponseFilter}s (on each choice's text and tool-call arguments, whole
 * or streamed): personal data masked before any backend call ({@link
 * dev.yuanjian.gateway.PersonalDataFilter}, per {@link dev.yuanjian.gateway.Caller} and conversation)
 * and restored first in each answer ({@link dev.yuanjian.gateway.PersonalDataRestorer}), then the
 * visible label ({@link dev.yuanjian.gateway.ExplicitLabelFilter}).
 *
 * Embeddings, moderations and transcriptions are relayed as they are ({@link
 * dev.yuanjian.gateway.PassThrough}: routed, not labelled, not logged); speech audio is relayed
 * unchanged and logged by its exact bytes.
 *
 * <p>Owns: request validation, the filter contracts and running them, the response shapes
 * (OpenAI's plus the {@code aigc} object), stream relaying and finalising, OpenAI-shaped errors, the
 * Responses API ({@link dev.yuanjian.gateway.Responses}: passed through, or translated to and from
 * chat completions), multipart forms of audio uploads, and the rules for fetching images a backend
 * answers as URLs (no private addresses). Must not touch: HTTP serving, API keys (the caller
 * authenticates), label formats or the log's storage.
 */
package dev.yuanjian.gateway;
