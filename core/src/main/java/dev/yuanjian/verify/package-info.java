/**
 * The verdict on a file: {@link dev.yuanjian.verify.Verifier} runs every mark's detector, turns
 * the strongest claim into a {@link dev.yuanjian.verify.Verdict} (intact, altered, forged,
 * labelled by another party, unlabelled) with the log entry and inclusion proof that back it, and
 * returns a {@link dev.yuanjian.verify.Report} listing every finding, after the notes the file's
 * container gives about its structure ({@code Container.notices}).
 *
 * <p>Owns: the rules that rank claims and the log lookups behind a verdict. Must not touch: file
 * formats (it asks a {@code Container}), any particular mark (it knows marks only through
 * {@code dev.yuanjian.mark}), log storage (it asks the {@code TransparencyLog}).
 */
package dev.yuanjian.verify;
