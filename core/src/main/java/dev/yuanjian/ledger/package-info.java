/**
 * The transparency log: an append-only Merkle tree of {@link dev.yuanjian.ledger.ProvenanceRecord}s
 * hashed as in RFC 6962, with checkpoints in the C2SP signed-note format (Ed25519), inclusion and
 * consistency proofs, and the C2SP tlog-tiles layout. Compatible bit for bit with Go's
 * {@code golang.org/x/mod/sumdb/tlog} and {@code sumdb/note} (a test runs Go's code on our output).
 *
 * <p>Layers, each usable alone:
 * <ul>
 *   <li>Pure math, no storage: {@link dev.yuanjian.ledger.Tlog} (hashing, stored-hash layout, tree
 *       hashes, proofs and their checks), {@link dev.yuanjian.ledger.Tile} (tile math and C2SP tile
 *       paths), reading hashes only through the one-method {@link dev.yuanjian.ledger.HashReader}.</li>
 *   <li>Signed notes: {@link dev.yuanjian.ledger.Note}, {@link dev.yuanjian.ledger.NoteVerifier},
 *       {@link dev.yuanjian.ledger.Checkpoint}; enough for an offline verifier.</li>
 *   <li>Storage: {@link dev.yuanjian.ledger.JdbcTransparencyLog}, the
 *       {@link dev.yuanjian.ledger.TransparencyLog} contract over the tables of
 *       {@code db/migration/V1__ledger.sql} (H2 or PostgreSQL), with batched durable appends and
 *       the audit ({@code log verify}).</li>
 * </ul>
 *
 * <p>Owns: the Merkle math, the log tables ({@code ledger_*}), checkpoint signing. Must not touch:
 * labels, file formats, HTTP (the server serves {@code tile(...)} and {@code checkpoint()} under
 * {@code /log/}, using {@link dev.yuanjian.ledger.Tile#parse} for the paths).
 */
package dev.yuanjian.ledger;
