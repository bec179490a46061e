/**
 * C2PA Content Credentials (C2PA 2.2): the manifest store a producer embeds in an image, written
 * and read here because no Java implementation exists. {@link dev.yuanjian.c2pa.C2paMark} is the
 * mark (stage BINDING, last: its data hash covers every other mark); {@code ManifestStore} builds
 * and validates a store (claim v2, assertions, data hash); {@code Jumbf} reads and writes the
 * JUMBF boxes; {@code Cose} signs and checks the COSE_Sign1 claim signature (ES256);
 * {@link dev.yuanjian.c2pa.SignerCredentials} holds the signing key and certificate chain (a
 * development chain made on first use, or the deployment's own PEM files);
 * {@link dev.yuanjian.c2pa.TimeStamper} asks an RFC 3161 Time-Stamp Authority to countersign a
 * claim signature, and {@code TimeStamps} checks such a token; {@link dev.yuanjian.c2pa.TrustList}
 * reads a deployment's trust anchors and decides whether a chain leads to one.
 *
 * <p>Owns: the meaning of C2PA structures, claim signing, time-stamping and validation, the
 * signer's credentials, trust in signers and TSAs.
 * Must not touch: where a format keeps the store (the container's
 * {@link dev.yuanjian.container.ManifestSlot}), the GB 45438 label's contents (copied in, never
 * interpreted), the transparency log (the log entry arrives through the mark's seal).
 */
package dev.yuanjian.c2pa;
