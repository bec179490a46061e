/**
 * API keys of the gateway: creation (shown once, stored as a SHA-256), scopes ({@code generate},
 * {@code verify}, {@code admin}), per-key limits (requests and tokens per minute, a token budget),
 * and the access decision for one request ({@link dev.yuanjian.keys.Gatekeeper}): without any key
 * the gateway serves only callers on this machine.
 *
 * <p>Owns: the {@code api_keys} table (migration V2) and the in-memory rate buckets. Must not
 * touch: HTTP (the caller passes the header and whether the peer is local), models, the log.
 */
package dev.yuanjian.keys;
