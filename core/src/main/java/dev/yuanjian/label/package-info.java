/**
 * GB 45438-2025 as marks: the implicit (metadata) label of Annex E
 * ({@link dev.yuanjian.label.ImplicitLabelMark}, the fields in {@link dev.yuanjian.label.AigcLabel},
 * this service's integrity data in {@link dev.yuanjian.label.Seal}) and the explicit (visible)
 * label of section 5 ({@link dev.yuanjian.label.ExplicitLabelMark}, its wording in
 * {@link dev.yuanjian.label.ExplicitLabel}).
 *
 * <p>Owns: what the labels say, where the {@code AIGC} key is ({@code TC260:AIGC} in XMP), what the
 * producer's and the propagator's digests leave out, the seal format and the rules that tell a
 * label issued here (intact or altered) from a forged one and from another producer's, and the
 * lenient reading of other producers' spellings. Must not touch: file formats (it asks a
 * {@code Container}), drawing (a {@code Painter} of {@code render} draws), the log's storage (it
 * reads entries through {@code TransparencyLog}), the order of the labelling flow ({@code pipeline}).
 */
package dev.yuanjian.label;
