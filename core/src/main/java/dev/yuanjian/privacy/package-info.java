/**
 * Personal data in text: the contracts and the machinery every layer shares. A
 * {@link dev.yuanjian.privacy.Recognizer} reads {@link dev.yuanjian.privacy.NormalizedText}
 * (full-width, zero-width and dash forms folded, offsets mapped back); the
 * {@link dev.yuanjian.privacy.Analyzer} runs a list of them and resolves overlaps; the
 * {@link dev.yuanjian.privacy.Pseudonymizer} replaces what was found by typed, numbered
 * {@link dev.yuanjian.privacy.Placeholder}s that a {@link dev.yuanjian.privacy.PlaceholderMap} keeps
 * consistent within a conversation, or by what a {@link dev.yuanjian.privacy.Policy} chooses per kind
 * among the {@link dev.yuanjian.privacy.Operator}s (mask, keyed hash, AES-GCM token, drop, keep); the
 * {@link dev.yuanjian.privacy.Restorer} puts placeholders back, in whole texts and in streams.
 *
 * <p>The recognizers themselves live in sub-packages that depend on this one, never the reverse:
 * {@code privacy.rules} (checksummed numbers, phones, e-mail, secrets...), {@code privacy.names}
 * (Chinese and English names, places, organisations); conversations that span requests are kept by
 * {@code privacy.vault}.
 *
 * <p>Owns: normalisation and its offset map, overlap resolution, placeholder syntax and restoring,
 * operators and policies (token formats, key derivation per use). Must not touch: HTTP, the
 * gateway's request shapes, the transparency log; no original value is ever logged from here.
 */
package dev.yuanjian.privacy;
