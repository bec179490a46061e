package dev.yuanjian.ledger;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The transparency log as the rest of the product uses it. Indexes start at 0; a tree of size
 * {@code n} holds entries {@code 0..n-1}.
 */
public interface TransparencyLog extends AutoCloseable {

    /**
     * Appends {@code record} and returns once it is durable: the entry, its Merkle hashes and the
     * new tree size are committed to the database. Concurrent appends are batched into one
     * transaction; a returned index is never lost or reassigned.
     *
     * @throws IllegalArgumentException when an entry with the same content id is already logged
     */
    Appended append(ProvenanceRecord record);

    /** As {@link #append}, completing when durable; lets callers pipeline many appends. */
    CompletableFuture<Appended> appendAsync(ProvenanceRecord record);

    /** The number of durable entries. */
    long size();

    Optional<LoggedEntry> entry(long index);

    Optional<LoggedEntry> findByContentId(String contentId);

    /**
     * Entries whose content id lies in [{@code from}, {@code to}) in code-point order, oldest
     * first, at most {@code limit} (a watermark's payload names such a range).
     */
    List<LoggedEntry> findByContentIdRange(String from, String to, int limit);

    /** Entries whose record's {@code sha256} equals {@code sha256}, oldest first. */
    List<LoggedEntry> findBySha256(byte[] sha256);

    /**
     * The newest signed checkpoint; when the tree has grown since the last stored checkpoint a new
     * one is signed, stored and returned.
     */
    SignedCheckpoint checkpoint();

    /**
     * The newest stored checkpoint when it already covers entry {@code index} (its size is greater
     * than {@code index}); otherwise {@link #checkpoint()}. Proofs for readers use this, so that
     * reading the log signs a new checkpoint only when an entry is not yet in a signed one.
     */
    SignedCheckpoint checkpointCovering(long index);

    /** Every stored checkpoint, oldest first (for {@code log verify}). */
    List<SignedCheckpoint> checkpoints();

    /** Proof that entry {@code index} is in the tree of size {@code treeSize}. */
    InclusionProof inclusionProof(long index, long treeSize);

    /** Proof that the tree of size {@code oldSize} is a prefix of the tree of size {@code newSize}. */
    ConsistencyProof consistencyProof(long oldSize, long newSize);

    /**
     * A tile of the C2SP tlog-tiles layout: the hashes at tile level {@code level} (height 8),
     * tile number {@code n}, the first {@code width} (1..256) of them; or, for {@code level == -1},
     * the entry bundle of tile {@code n}. Empty when the tree is too small for that tile.
     */
    Optional<byte[]> tile(int level, long n, int width);

    /**
     * Recomputes the tree from the stored entries alone and checks every stored hash and every
     * stored checkpoint (signature, size, root). Reports each bad entry by index.
     */
    AuditReport audit();

    /** The note verifier key, {@code name+hash+base64}, that checks this log's checkpoints. */
    String verifierKey();

    /** The origin line of this log's checkpoints. */
    String origin();

    @Override
    void close();

    record Appended(long index, LoggedEntry entry) {
    }

    /** An entry as stored: its index, its record, and the RFC 6962 leaf hash of the record's canonical bytes. */
    record LoggedEntry(long index, ProvenanceRecord record, byte[] leafHash) {
    }

    /** A checkpoint and its signed-note text (the body and the signature lines, as served at /log/checkpoint). */
    record SignedCheckpoint(String origin, long size, byte[] rootHash, String note) {
    }

    /** RFC 6962 audit path for {@code index} in the tree of {@code treeSize}, with that tree's root. */
    record InclusionProof(long index, long treeSize, byte[] leafHash, List<byte[]> path, byte[] rootHash) {
    }

    record ConsistencyProof(long oldSize, long newSize, List<byte[]> path, byte[] oldRoot, byte[] newRoot) {
    }

    /**
     * The outcome of {@link #audit()}: {@code problems} is empty exactly when the log is intact;
     * each problem names the entry index or checkpoint size it concerns.
     */
    record AuditReport(long entries, int checkpointsChecked, List<Problem> problems) {
        public boolean intact() {
            return problems.isEmpty();
        }
    }

    /** One finding of an audit. {@code index} is the entry index, or -1 for a checkpoint finding. */
    record Problem(long index, long checkpointSize, String description) {
    }
}
