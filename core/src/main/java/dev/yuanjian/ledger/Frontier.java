package dev.yuanjian.ledger;

import java.util.Arrays;

/**
 * The right edge of a tree of {@code size} records: the hashes of its complete subtrees, one per
 * set bit of {@code size}, left to right (largest first). That is all an appender needs: record n
 * only reads the left siblings of the subtrees it completes, and those are exactly the rightmost
 * complete subtrees of the tree of size n. Not thread-safe; the writer owns its copy.
 */
final class Frontier implements HashReader {
    private long size;
    private final long[] indexes = new long[64];
    private final Hash[] hashes = new Hash[64];
    private int count;

    private Frontier() {
    }

    static Frontier empty() {
        return new Frontier();
    }

    /** The frontier of the tree of {@code size} records, read from storage in one call. */
    static Frontier load(long size, HashReader reader) {
        Frontier frontier = new Frontier();
        long[] needed = Tlog.treeHashIndexes(size);
        Hash[] read = Tlog.read(reader, needed);
        System.arraycopy(needed, 0, frontier.indexes, 0, needed.length);
        System.arraycopy(read, 0, frontier.hashes, 0, read.length);
        frontier.count = needed.length;
        frontier.size = size;
        return frontier;
    }

    long size() {
        return size;
    }

    Frontier copy() {
        Frontier copy = new Frontier();
        System.arraycopy(indexes, 0, copy.indexes, 0, count);
        System.arraycopy(hashes, 0, copy.hashes, 0, count);
        copy.count = count;
        copy.size = size;
        return copy;
    }

    /**
     * Appends the record with leaf hash {@code leaf} as record {@code size()} and returns the
     * hashes it adds to storage, to be stored from {@code storedHashIndex(0, size())} on.
     */
    Hash[] append(Hash leaf) {
        long n = size;
        Hash[] stored = Tlog.storedHashesForRecordHash(n, leaf, this);
        int completed = stored.length - 1;
        // The subtrees just merged leave the edge; the one they formed joins it.
        count -= completed;
        indexes[count] = Tlog.storedHashIndex(completed, n >> completed);
        hashes[count] = stored[completed];
        count++;
        size = n + 1;
        return stored;
    }

    /** The root hash of the tree of {@code size()} records. */
    Hash root() {
        return Tlog.treeHash(size, this);
    }

    @Override
    public Hash[] readHashes(long[] wanted) {
        Hash[] out = new Hash[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            int at = Arrays.binarySearch(indexes, 0, count, wanted[i]);
            if (at < 0) {
                throw new IllegalStateException("bad math: stored hash " + wanted[i]
                        + " is not on the edge of the tree of size " + size);
            }
            out[i] = hashes[at];
        }
        return out;
    }
}
