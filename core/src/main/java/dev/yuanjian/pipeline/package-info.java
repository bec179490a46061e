/**
 * The labelling flow as one pipeline ({@link dev.yuanjian.pipeline.Pipeline}): every mark in
 * order (on the container's repaired copy when the file was damaged, with a notice in the result),
 * the producer's digest, the log entry, the seals; and the platform's flow, propagation,
 * which adds this service's propagator fields to a label and logs that event. Content ids
 * ({@link dev.yuanjian.pipeline.ContentIds}) and keyed prompt digests
 * ({@link dev.yuanjian.pipeline.PromptDigester}) are made here.
 *
 * <p>Owns: the order of those steps and the guarantee that a returned file has the digest its log
 * entry records. Must not touch: file formats ({@code container}), what a mark writes ({@code label}
 * and the other mark packages), Merkle math or log storage ({@code ledger}).
 */
package dev.yuanjian.pipeline;
