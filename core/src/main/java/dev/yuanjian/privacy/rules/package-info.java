/**
 * The rule layer of privacy recognition: one {@link dev.yuanjian.privacy.Recognizer} per kind of
 * structured personal data (resident ID, credit code, phones, cards, passports, plates, e-mail, IP
 * addresses, URLs with credentials, secrets), each a candidate scan, a validator (checksums from the
 * standards) and context words. {@link dev.yuanjian.privacy.rules.Rules#all} lists them.
 *
 * <p>Every scan reads the text once from left to right and bounds the work per candidate, so a
 * recognizer's time is linear in the text whatever the text; {@code java.util.regex} is not used.
 * Owns: candidate scans, validators, context words, scores. Must not touch: normalisation (that is
 * {@link dev.yuanjian.privacy.NormalizedText}), overlap resolution, placeholders, names (package
 * {@code dev.yuanjian.privacy.names}).
 */
package dev.yuanjian.privacy.rules;
