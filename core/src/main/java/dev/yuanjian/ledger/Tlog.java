package dev.yuanjian.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Merkle math of the log, pure and storage-free: RFC 6962 hashing, the stored-hash layout,
 * tree hashes, and inclusion ("record") and consistency ("tree") proofs with their checks.
 * Hashes are read through a {@link HashReader}; nothing here touches a database or a file.
 *
 * <p>Compatible bit for bit with Go's {@code golang.org/x/mod/sumdb/tlog} (same stored hash
 * indexes, same proof order, bottom-up as in RFC 6962 section 2.1), except that the empty tree
 * hashes to {@code SHA-256("")} as RFC 6962 defines it, where Go returns all zeros. No proof ever
 * involves the empty tree.
 *
 * <p>Stored hashes: the hash at tree coordinates (level, n) covers records
 * {@code [n * 2^level, (n + 1) * 2^level)}; it is stored once that subtree is complete, at the
 * dense index {@link #storedHashIndex}. Record {@code n} adds its leaf hash plus one hash per
 * subtree it completes, all at consecutive indexes starting at {@code storedHashIndex(0, n)}.
 */
public final class Tlog {
    /** The root of the empty tree: {@code SHA-256("")} (RFC 6962 section 2.1). */
    public static final Hash EMPTY_TREE = Hash.sha256(new byte[0]);

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;

    private Tlog() {
    }

    /** The coordinates of a stored hash: its level (0 = leaves) and its number within the level. */
    public record Node(int level, long n) {
    }

    /** RFC 6962 leaf hash: {@code SHA-256(0x00 || data)}. */
    public static Hash recordHash(byte[] data) {
        MessageDigest digest = Hash.sha256Digest();
        digest.update(LEAF_PREFIX);
        digest.update(data);
        return Hash.of(digest.digest());
    }

    /** RFC 6962 interior node hash: {@code SHA-256(0x01 || left || right)}. */
    public static Hash nodeHash(Hash left, Hash right) {
        MessageDigest digest = Hash.sha256Digest();
        digest.update(NODE_PREFIX);
        left.updateDigest(digest);
        right.updateDigest(digest);
        return Hash.of(digest.digest());
    }

    /**
     * Maps tree coordinates (level, n) to a dense linear order in which hashes are written as the
     * log grows: record n's leaf hash comes right after the hashes completed by record n - 1.
     */
    public static long storedHashIndex(int level, long n) {
        // The hash (level, n) is written with the last record it covers, (0, ((n + 1) << level) - 1),
        // right after that record's leaf and the `level - 1` hashes below it.
        long lastRecord = ((n + 1) << level) - 1;
        return leafStoredIndex(lastRecord) + level;
    }

    /** Where record n's leaf hash is stored: n plus the interior hashes completed by records 0..n-1. */
    private static long leafStoredIndex(long n) {
        // Records 0..n-1 complete n/2 + n/4 + ... interior hashes.
        long index = 0;
        for (long m = n; m > 0; m >>= 1) {
            index += m;
        }
        return index;
    }

    /** The inverse of {@link #storedHashIndex}. */
    public static Node splitStoredHashIndex(long index) {
        if (index < 0) {
            throw new IllegalArgumentException("negative stored hash index " + index);
        }
        // leafStoredIndex(n) lies in [2n - 64, 2n], so the record that wrote `index` is near index/2.
        long n = index / 2;
        long at = leafStoredIndex(n);
        while (at > index) {
            n--;
            at = leafStoredIndex(n);
        }
        while (true) {
            long next = at + 1 + Long.numberOfTrailingZeros(n + 1);
            if (next > index) {
                break;
            }
            n++;
            at = next;
        }
        int level = (int) (index - at);
        return new Node(level, n >> level);
    }

    /** The number of stored hashes of a tree with {@code n} records. */
    public static long storedHashCount(long n) {
        if (n == 0) {
            return 0;
        }
        long last = n - 1;
        return leafStoredIndex(last) + 1 + Long.numberOfTrailingZeros(n);
    }

    /**
     * The hashes that record {@code n} with leaf hash {@code leaf} adds to storage, to be stored at
     * consecutive indexes from {@code storedHashIndex(0, n)}: the leaf, then one hash per subtree
     * the record completes (1 + the number of trailing one bits of n). Reads the left siblings of
     * those subtrees, which records before n stored.
     */
    public static Hash[] storedHashesForRecordHash(long n, Hash leaf, HashReader reader) {
        int completed = Long.numberOfTrailingZeros(n + 1);
        long[] siblings = new long[completed];
        for (int level = 0; level < completed; level++) {
            // Increasing index order: higher levels were stored earlier.
            siblings[completed - 1 - level] = storedHashIndex(level, (n >> level) - 1);
        }
        Hash[] left = read(reader, siblings);
        Hash[] hashes = new Hash[1 + completed];
        hashes[0] = leaf;
        for (int level = 0; level < completed; level++) {
            hashes[level + 1] = nodeHash(left[completed - 1 - level], hashes[level]);
        }
        return hashes;
    }

    /** As {@link #storedHashesForRecordHash} for the record bytes {@code data}. */
    public static Hash[] storedHashes(long n, byte[] data, HashReader reader) {
        return storedHashesForRecordHash(n, recordHash(data), reader);
    }

    /**
     * The root hash of the tree of the first {@code n} records, from at most 1 + log2(n) stored
     * hashes (one per complete subtree in the binary decomposition of n) read in one call.
     */
    public static Hash treeHash(long n, HashReader reader) {
        if (n < 0) {
            throw new IllegalArgumentException("negative tree size " + n);
        }
        if (n == 0) {
            return EMPTY_TREE;
        }
        Plan plan = new Plan();
        plan.span(0, n);
        return plan.hashes(reader)[0];
    }

    /** The stored hash indexes {@link #treeHash} reads: the complete subtrees of a tree of size n. */
    public static long[] treeHashIndexes(long n) {
        LongList out = new LongList();
        completeSubtrees(0, n, out);
        return out.toArray();
    }

    /**
     * The proof that record {@code n} is in the tree of size {@code t} (RFC 6962 "audit path"),
     * nearest sibling first.
     *
     * @throws IllegalArgumentException unless {@code 0 <= n < t}
     */
    public static List<Hash> proveRecord(long t, long n, HashReader reader) {
        if (t < 0 || n < 0 || n >= t) {
            throw new IllegalArgumentException("no record " + n + " in a tree of size " + t);
        }
        Plan plan = new Plan();
        recordProofSpans(0, t, n, plan);
        return List.of(plan.hashes(reader));
    }

    /** The stored hash indexes {@link #proveRecord} reads, sorted. */
    static long[] proveRecordIndexes(long t, long n) {
        Plan plan = new Plan();
        recordProofSpans(0, t, n, plan);
        return plan.indexes();
    }

    /** Plans the subtrees whose hashes prove leaf n in [lo, hi): deepest sibling first. */
    private static void recordProofSpans(long lo, long hi, long n, Plan plan) {
        if (hi - lo == 1) {
            return; // the verifier has the leaf hash
        }
        long k = split(hi - lo);
        if (n < lo + k) {
            recordProofSpans(lo, lo + k, n, plan);
            plan.span(lo + k, hi);
        } else {
            recordProofSpans(lo + k, hi, n, plan);
            plan.span(lo, lo + k);
        }
    }

    /**
     * Whether {@code proof} shows that the tree of size {@code t} with root {@code treeHash} has
     * record {@code n} with leaf hash {@code leaf}. Never throws: bad input is simply not a proof.
     */
    public static boolean checkRecord(List<Hash> proof, long t, Hash treeHash, long n, Hash leaf) {
        if (proof == null || treeHash == null || leaf == null || t < 0 || n < 0 || n >= t
                || hasNull(proof)) {
            return false;
        }
        Hash root = runRecordProof(proof, proof.size(), 0, t, n, leaf);
        return root != null && root.equals(treeHash);
    }

    /** The root of [lo, hi) implied by the first {@code len} proof hashes, or null if they do not fit. */
    private static Hash runRecordProof(List<Hash> proof, int len, long lo, long hi, long n, Hash leaf) {
        if (hi - lo == 1) {
            return len == 0 ? leaf : null; // a proof with spare hashes is not a proof
        }
        if (len == 0) {
            return null;
        }
        long k = split(hi - lo);
        Hash sibling = proof.get(len - 1);
        if (n < lo + k) {
            Hash left = runRecordProof(proof, len - 1, lo, lo + k, n, leaf);
            return left == null ? null : nodeHash(left, sibling);
        }
        Hash right = runRecordProof(proof, len - 1, lo + k, hi, n, leaf);
        return right == null ? null : nodeHash(sibling, right);
    }

    /**
     * The proof that the tree of size {@code t} contains the tree of size {@code n} as a prefix
     * (RFC 6962 "consistency proof"). Empty when {@code n == t}.
     *
     * @throws IllegalArgumentException unless {@code 1 <= n <= t}
     */
    public static List<Hash> proveTree(long t, long n, HashReader reader) {
        if (t < 1 || n < 1 || n > t) {
            throw new IllegalArgumentException("no consistency proof from size " + n + " to size " + t);
        }
        Plan plan = new Plan();
        treeProofSpans(0, t, n, plan);
        return List.of(plan.hashes(reader));
    }

    /** The stored hash indexes {@link #proveTree} reads, sorted. */
    static long[] proveTreeIndexes(long t, long n) {
        Plan plan = new Plan();
        treeProofSpans(0, t, n, plan);
        return plan.indexes();
    }

    /** Plans the subtrees proving that the old tree's part of [lo, hi) is [lo, n). */
    private static void treeProofSpans(long lo, long hi, long n, Plan plan) {
        if (n == hi) {
            if (lo != 0) {
                plan.span(lo, hi); // the verifier only knows the whole old root, not this part
            }
            return;
        }
        long k = split(hi - lo);
        if (n <= lo + k) {
            treeProofSpans(lo, lo + k, n, plan);
            plan.span(lo + k, hi);
        } else {
            treeProofSpans(lo + k, hi, n, plan);
            plan.span(lo, lo + k);
        }
    }

    /**
     * Whether {@code proof} shows that the tree of size {@code t} with root {@code treeHash}
     * contains as a prefix the tree of size {@code n} with root {@code oldHash}. Never throws.
     */
    public static boolean checkTree(List<Hash> proof, long t, Hash treeHash, long n, Hash oldHash) {
        if (proof == null || treeHash == null || oldHash == null || t < 1 || n < 1 || n > t
                || hasNull(proof)) {
            return false;
        }
        Hash[] roots = runTreeProof(proof, proof.size(), 0, t, n, oldHash);
        return roots != null && roots[0].equals(oldHash) && roots[1].equals(treeHash);
    }

    /**
     * The hashes of [lo, hi) in the old tree (cut at n) and in the new tree implied by the first
     * {@code len} proof hashes, as {old, new}; null when the proof does not fit.
     */
    private static Hash[] runTreeProof(List<Hash> proof, int len, long lo, long hi, long n, Hash old) {
        if (n == hi) {
            if (lo == 0) {
                return len == 0 ? new Hash[] {old, old} : null;
            }
            return len == 1 ? new Hash[] {proof.get(0), proof.get(0)} : null;
        }
        if (len == 0) {
            return null;
        }
        long k = split(hi - lo);
        Hash sibling = proof.get(len - 1);
        if (n <= lo + k) {
            Hash[] left = runTreeProof(proof, len - 1, lo, lo + k, n, old);
            return left == null ? null : new Hash[] {left[0], nodeHash(left[1], sibling)};
        }
        Hash[] right = runTreeProof(proof, len - 1, lo + k, hi, n, old);
        return right == null ? null : new Hash[] {nodeHash(sibling, right[0]), nodeHash(sibling, right[1])};
    }

    private static boolean hasNull(List<Hash> proof) {
        for (Hash hash : proof) {
            if (hash == null) {
                return true;
            }
        }
        return false;
    }

    /** RFC 6962's split point: the largest power of two smaller than {@code size} (size >= 2). */
    static long split(long size) {
        return Long.highestOneBit(size - 1);
    }

    /**
     * Appends the stored indexes of the complete subtrees that make up [lo, hi), left to right:
     * the binary decomposition of hi - lo, largest first. lo must be aligned to the first one.
     */
    static void completeSubtrees(long lo, long hi, LongList out) {
        while (lo < hi) {
            long size = Long.highestOneBit(hi - lo);
            int level = Long.numberOfTrailingZeros(size);
            if ((lo & (size - 1)) != 0) {
                throw new IllegalStateException("bad math: [" + lo + ", " + hi + ") is not aligned");
            }
            out.add(storedHashIndex(level, lo >> level));
            lo += size;
        }
    }

    /** Reads {@code indexes} and insists that the reader kept its contract. */
    static Hash[] read(HashReader reader, long[] indexes) {
        if (indexes.length == 0) {
            return new Hash[0];
        }
        Hash[] hashes = reader.readHashes(indexes);
        if (hashes == null || hashes.length != indexes.length) {
            throw new LogStorageException("readHashes(" + indexes.length + " indexes) returned "
                    + (hashes == null ? "null" : hashes.length + " hashes"));
        }
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] == null) {
                throw new LogStorageException("readHashes returned no hash for stored index " + indexes[i]);
            }
        }
        return hashes;
    }

    /**
     * A list of subtrees [lo, hi) whose hashes are wanted, read from storage in one sorted call:
     * each subtree hash is the right fold of its complete subtrees' stored hashes.
     */
    static final class Plan {
        private final List<long[]> spans = new ArrayList<>();

        void span(long lo, long hi) {
            spans.add(new long[] {lo, hi});
        }

        long[] indexes() {
            LongList all = new LongList();
            for (long[] span : spans) {
                completeSubtrees(span[0], span[1], all);
            }
            long[] sorted = all.toArray();
            Arrays.sort(sorted);
            int unique = 0;
            for (int i = 0; i < sorted.length; i++) {
                if (i == 0 || sorted[i] != sorted[i - 1]) {
                    sorted[unique++] = sorted[i];
                }
            }
            return Arrays.copyOf(sorted, unique);
        }

        Hash[] hashes(HashReader reader) {
            long[] indexes = indexes();
            Hash[] stored = read(reader, indexes);
            Hash[] result = new Hash[spans.size()];
            LongList parts = new LongList();
            for (int s = 0; s < spans.size(); s++) {
                parts.clear();
                completeSubtrees(spans.get(s)[0], spans.get(s)[1], parts);
                Hash h = stored[Arrays.binarySearch(indexes, parts.get(parts.size() - 1))];
                for (int i = parts.size() - 2; i >= 0; i--) {
                    h = nodeHash(stored[Arrays.binarySearch(indexes, parts.get(i))], h);
                }
                result[s] = h;
            }
            return result;
        }
    }

    /** A growable list of primitive longs, to plan reads without boxing. */
    static final class LongList {
        private long[] values = new long[16];
        private int size;

        void add(long value) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = value;
        }

        long get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        void clear() {
            size = 0;
        }

        long[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
