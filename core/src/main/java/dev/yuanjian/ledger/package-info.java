/**
 * The transparency log: an append-only Merkle tree of {@link dev.yuanjian.ledger.ProvenanceRecord}s
 * hashed as in RFC 6962, with checkpoints in the C2SP signed-note format (Ed25519), inclusion and
 * consistency proofs, and the C2SP tlog-tiles layout. Compatible bit for bit with Go's
 * {@code golang.org/x/mod/sumdb/tlog} and {@code sumdb/note}.
 *
 * <p>Owns: the Merkle math (pure, storage-free), the log tables, checkpoint signing. Must not touch:
 * labels, file formats, HTTP.
 */
package dev.yuanjian.ledger;
