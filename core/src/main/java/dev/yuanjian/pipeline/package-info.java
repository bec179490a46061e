/**
 * The generate side's marking and recording steps as one flow: give it a file (or, later, a model
 * output) and it comes back with the explicit label, the GB 45438 implicit label sealed by this
 * producer, and an entry in the transparency log.
 *
 * <p>Owns: the order of those steps and content ids. Must not touch: file formats (that is
 * {@code label}), Merkle math or log storage (that is {@code ledger}).
 */
package dev.yuanjian.pipeline;
