/**
 * What a label's seal means, and the verdict on a file: {@link dev.yuanjian.verify.Seal} (the
 * compact Ed25519 signature in {@code ReservedCode1}), {@link dev.yuanjian.verify.Verifier} and its
 * outcome {@link dev.yuanjian.verify.Verdict}: intact, altered, forged or unlabelled, with the log
 * entry and inclusion proof that back it.
 *
 * <p>Owns: the seal format and the rules that tell the four verdicts apart. Must not touch: file
 * formats (it asks a {@code LabelCodec}), log storage (it asks the {@code TransparencyLog}).
 */
package dev.yuanjian.verify;
