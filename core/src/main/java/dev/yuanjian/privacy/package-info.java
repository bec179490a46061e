/**
 * Personal data in text: recognizing it in Chinese and English ({@link dev.yuanjian.privacy.Recognizer}s
 * over {@link dev.yuanjian.privacy.NormalizedText}, run by the {@link dev.yuanjian.privacy.Analyzer}),
 * and replacing it by typed, numbered {@link dev.yuanjian.privacy.Placeholder}s that a
 * {@link dev.yuanjian.privacy.PlaceholderMap} keeps consistent within a conversation and maps back,
 * or by what a {@link dev.yuanjian.privacy.Policy} chooses per kind among the
 * {@link dev.yuanjian.privacy.Operator}s (mask, keyed hash, AES-GCM token, drop, keep), applied with
 * the installation's keys by {@link dev.yuanjian.privacy.Operators}.
 *
 * <p>Owns: the recognizers, normalisation and its offset map, overlap resolution, placeholder syntax,
 * operators and policies (token formats, key derivation per use).
 * Must not touch: HTTP, the gateway's request shapes, the transparency log; no original value is
 * ever logged from here.
 */
package dev.yuanjian.privacy;
